import Foundation
import Testing

@testable import TallyKit

/// The hand-built CUR fixture `cur/every-line-item-type.csv` has one line of every
/// LineItemType; the expected effective costs below were worked out by hand from the
/// amortisation rules in DESIGN.md.
@Suite struct AWSCURMapperTests {
  /// LineItemId → (billed, effective) in nanos, by hand:
  /// - l01 Usage 10.00 → effective = unblended 10.00
  /// - l02 SavingsPlanCoveredUsage 2.00 → SavingsPlanEffectiveCost 1.30
  /// - l03 SavingsPlanNegation −2.00 → 0
  /// - l04 SavingsPlanRecurringFee 1.00 → TotalCommitmentToDate 1.50 − UsedCommitment 1.30 = 0.20
  /// - l05 SavingsPlanUpfrontFee 0.50 → 0
  /// - l06 Fee with a reservation ARN (RI upfront) 3.00 → 0
  /// - l07 RIFee 2.00 → unused upfront 0.60 + unused recurring 0.40 = 1.00
  /// - l08 DiscountedUsage 0 → reservation/EffectiveCost 4.00
  /// - l09 Fee without ARN (support) 1.50 → 1.50
  /// - l10 Tax 0.80, l11 Credit −0.50, l12 Refund −0.25, l13 EdpDiscount −0.30 → unblended
  /// - l14 Usage 1.2E-7 → 120 nanos
  static let expected: [String: (billed: Int64, effective: Int64)] = [
    "l01": (10_000_000_000, 10_000_000_000), "l02": (2_000_000_000, 1_300_000_000),
    "l03": (-2_000_000_000, 0), "l04": (1_000_000_000, 200_000_000), "l05": (500_000_000, 0),
    "l06": (3_000_000_000, 0), "l07": (2_000_000_000, 1_000_000_000), "l08": (0, 4_000_000_000),
    "l09": (1_500_000_000, 1_500_000_000), "l10": (800_000_000, 800_000_000),
    "l11": (-500_000_000, -500_000_000), "l12": (-250_000_000, -250_000_000),
    "l13": (-300_000_000, -300_000_000), "l14": (120, 120),
  ]

  @Test func effectiveCostOfEveryLineItemType() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("cur/every-line-item-type.csv"))
    let rows = try store.connection.prepare(
      """
      SELECT x_line_item_type, billed_cost, effective_cost, charge_category
      FROM detailed_cost_lines ORDER BY id
      """
    )
    var seen: [(String, Int64, Int64, String)] = []
    try rows.forEachRow {
      seen.append(($0.text(at: 0), $0.int64(at: 1), $0.int64(at: 2), $0.text(at: 3)))
    }
    #expect(seen.count == 14)
    for (index, row) in seen.enumerated() {
      let id = String(format: "l%02d", index + 1)
      let expected = try #require(Self.expected[id])
      #expect(row.1 == expected.billed, "billed cost of \(id) (\(row.0))")
      #expect(row.2 == expected.effective, "effective cost of \(id) (\(row.0))")
    }
    // Charge categories: fees are purchases, refunds and credits are credits.
    #expect(
      seen.map(\.3) == [
        "Usage", "Usage", "Usage", "Purchase", "Purchase", "Purchase", "Purchase", "Usage",
        "Purchase", "Tax", "Credit", "Credit", "Usage", "Usage",
      ])
  }

  /// Every commitment fee is in the fixture, so over the month the amortised total equals the
  /// billed total: Σ billed = 17.75000012 by hand (see the table above), and so is Σ effective.
  @Test func effectiveTotalEqualsBilledTotalWhenEveryFeeIsPresent() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("cur/every-line-item-type.csv"))
    let totals = try #require(try store.monthTotals().first)
    #expect(totals.totals.billed.nanos == 17_750_000_120)
    #expect(totals.totals.effective.nanos == 17_750_000_120)
    #expect(Self.expected.values.reduce(0) { $0 + $1.billed } == 17_750_000_120)
  }

  /// `user:team` and `user:Team` are different raw keys and both are kept on one line.
  @Test func tagKeysThatDifferOnlyByCaseStayDistinct() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("cur/every-line-item-type.csv"))
    let items = try store.connection.prepare(
      """
      SELECT i.raw_key, i.raw_value FROM cost_lines l JOIN tag_set_items i ON i.tag_set_id = l.tag_set
      WHERE l.id = (SELECT min(id) FROM detailed_cost_lines WHERE x_usage_type = 'Requests-Tier1')
      ORDER BY i.raw_key
      """)
    var pairs: [String] = []
    try items.forEachRow { pairs.append("\($0.text(at: 0))=\($0.text(at: 1))") }
    #expect(pairs == ["user:Team=Payments", "user:team=payments"])
    // The lines tagged only `user:team=payments` (l01) and the S3 line share no tag set.
    #expect(try store.connection.scalarInt64("SELECT count(DISTINCT tag_set) FROM cost_lines") == 5)
  }

  /// Account ids are text: leading zeros survive.
  @Test func accountIdsAreText() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("cur/every-line-item-type.csv"))
    #expect(try store.connection.scalarText("SELECT account_id FROM accounts") == "000111222333")
  }

  /// Consecutive lines that repeat, change and return to a timestamp, Spot usage types at the
  /// start, middle and end of the text, quantities on and off the fast path, and tag values
  /// that repeat: each line's values must be its own. Expected instants come from Foundation's
  /// ISO 8601 parser, quantities from `Double(_:)`, categories and tag sets by hand.
  @Test func repeatedAndChangingValuesOnConsecutiveLines() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("cur.csv")
    let header =
      "bill/PayerAccountId,bill/BillingPeriodStartDate,lineItem/LineItemType,"
      + "lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/UsageType,pricing/term,"
      + "lineItem/UsageAmount,lineItem/UnblendedCost,resourceTags/user:team"
    let rows = [
      "1,2026-10-01T00:00:00Z,Usage,2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,SpotUsage:m5,,1.5,1,a",
      "1,2026-10-01T00:00:00Z,Usage,2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,BoxUsage:m5,OnDemand,0.1,1,a",
      "1,2026-10-01T00:00:00Z,Usage,2026-10-01T01:00:00Z,2026-10-01T02:00:00Z,EU-SpotUsage:c5,,2.5e-3,1,b",
      "1,2026-10-01T00:00:00Z,Usage,2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,Spo,,1e23,1,a",
      "1,2026-10-01T00:00:00Z,Usage,2026-10-01 00:00:00,2026-10-01T01:00:00Z,Spot,,12345.678901234567,1,",
    ]
    try ([header] + rows).joined(separator: "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: path)

    let query = try store.connection.prepare(
      """
      SELECT charge_period_start, charge_period_end, ifnull(pricing_category, ''),
        consumed_quantity, tag_set
      FROM detailed_cost_lines ORDER BY id
      """)
    var seen: [(start: Int64, end: Int64, category: String, quantity: Double, tags: Int64)] = []
    try query.forEachRow {
      seen.append(
        ($0.int64(at: 0), $0.int64(at: 1), $0.text(at: 2), $0.double(at: 3), $0.int64(at: 4)))
    }
    let iso = ISO8601DateFormatter()
    func seconds(_ text: String) throws -> Int64 {
      Int64(try #require(iso.date(from: text)).timeIntervalSince1970)
    }
    let midnight = try seconds("2026-10-01T00:00:00Z")
    let one = try seconds("2026-10-01T01:00:00Z")
    let two = try seconds("2026-10-01T02:00:00Z")
    #expect(seen.map(\.start) == [midnight, midnight, one, midnight, midnight])
    #expect(seen.map(\.end) == [one, one, two, one, one])
    #expect(seen.map(\.category) == ["Dynamic", "Standard", "Dynamic", "", "Dynamic"])
    let quantities = ["1.5", "0.1", "2.5e-3", "1e23", "12345.678901234567"].map {
      Double($0) ?? .nan
    }
    #expect(seen.map(\.quantity.bitPattern) == quantities.map(\.bitPattern))
    // Lines 1, 2 and 4 carry team=a; line 3 team=b; line 5 no tag.
    let tags = seen.map(\.tags)
    #expect(tags[0] == tags[1] && tags[1] == tags[3])
    #expect(Set([tags[0], tags[2], tags[4]]).count == 3)
  }
}
