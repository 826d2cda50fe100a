import Foundation
import Testing

@testable import TallyKit

/// The finance sections of the month report (tag compliance, unallocated spend, data quality)
/// on the allocation fixture (`allocation/two-months.csv` with `allocation/tally.yaml`, worked
/// out by hand in `AllocationFixtureTests`), evaluated and allocated, against committed
/// snapshots (re-record with `RECORD_SNAPSHOTS=1 swift test --filter MonthReportSectionsTests`)
/// and against the fixture by hand and the stored results by direct SQL sums.
@Suite struct MonthReportSectionsTests {
  static let month = BillingMonth(year: 2026, month: 10)
  static let snapshots = TestPaths.repository.appendingPathComponent(
    "Tests/TallyKitTests/Snapshots/month-report-sections")

  /// The fixture's configuration with its team key required, so that untagged cost is
  /// non-compliant too.
  static func configuration() throws -> Configuration {
    let path = TestPaths.fixture("allocation/tally.yaml")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("      aliases: [Team]\n"))
    return try Configuration(
      yaml: text.replacingOccurrences(
        of: "      aliases: [Team]\n", with: "      aliases: [Team]\n      required: true\n"),
      file: path)
  }

  /// The fixture imported, its policy evaluated and its months allocated, in `directory`.
  static func store(in directory: TemporaryDirectory) throws -> Store {
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("allocation/two-months.csv"))
    let configuration = try configuration()
    try PolicyRun(configuration: configuration).refresh(through: month, on: store)
    _ = try Allocator(configuration: configuration).allocate(nil, all: false, in: store)
    return store
  }

  @Test func matchesTheSnapshots() throws {
    let directory = try TemporaryDirectory()
    // The team pages have their own snapshots (TeamPagesTests).
    let files = try MonthReport(store: try Self.store(in: directory), month: Self.month).files()
      .filter { !$0.path.hasPrefix("teams/") }
    try MonthReportTests.compare(files, with: Self.snapshots, scratch: directory)
  }

  /// The policy requires `team` (alias `Team`; required in this test) and exempts nothing, so every October USD line
  /// without a valid team value is non-compliant. By hand from the fixture: logs-bucket-1 10,
  /// i-pay2 7 ("Paymnts"), support 30, tax 10, the untagged credit -5, cw-1 4, fn-1 6, i-x 2,
  /// Route 53 1.000000001 (no resource id), i-orphan 3 and the savings plan fee 0: 68.000000001
  /// of 198.000000001 effective, so 65.7 % compliant (130 of 198.000000001).
  @Test func complianceMatchesTheFixtureByHand() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    let root = directory.file("out")
    try MonthReport(store: store, month: Self.month).publish(to: root)

    let rows = try IndependentCSV.rows("\(root)/2026-10/policy-violations.csv")
    let usd = rows.filter { $0["currency"] == "USD" }
    // One row per problem: count each resource (or account and service) once.
    var perResource: [String: Int64] = [:]
    for row in usd {
      let identity = [row["resource"], row["account"], row["service"]].map { $0 ?? "" }
        .joined(separator: "|")
      perResource[identity] = IndependentCSV.nanos(row["resource_noncompliant_effective_cost"])
    }
    #expect(perResource.values.reduce(0, +) == 68_000_000_001)
    #expect(usd.contains { $0["resource"] == "i-pay2" && $0["value"] == "Paymnts" })
    #expect(usd.contains { $0["resource"] == "" && $0["service"] == "Amazon Route 53" })

    // The same figure by a direct SQL sum over the stored results.
    let stored = try store.connection.scalarInt64(
      """
      SELECT sum(noncompliant_effective) FROM policy_resources
      WHERE billing_period = '2026-10' AND billing_currency = 'USD'
      """)
    #expect(stored == 68_000_000_001)

    let html = try String(contentsOfFile: "\(root)/2026-10/index.html", encoding: .utf8)
    #expect(html.contains("Compliance by cost (USD)"))
    #expect(html.contains("65.7%"))
    #expect(html.contains("<polyline"))  // the six-month trend
    #expect(html.contains("href=\"policy-violations.csv\""))
  }

  /// By hand from the fixture: only i-orphan (account 111100000005: no tag, no rule, no pool)
  /// is unallocated, 3 on every basis, in USD; EUR is all allocated. Per basis and currency the
  /// CSV's amounts add up to the bucket in `allocations` (a direct SQL sum).
  @Test func unallocatedResourcesMatchTheBucket() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    let root = directory.file("out")
    try MonthReport(store: store, month: Self.month).publish(to: root)

    let rows = try IndependentCSV.rows("\(root)/2026-10/unallocated-resources.csv")
    #expect(rows.count == 3)
    for basis in CostBasis.allCases {
      let own = rows.filter { $0["basis"] == basis.rawValue }
      #expect(own.map { $0["resource"] } == ["i-orphan"])
      #expect(own.first?["account"] == "111100000005")
      #expect(own.first?["currency"] == "USD")
      #expect(own.reduce(0) { $0 + IndependentCSV.nanos($1["amount"]) } == 3_000_000_000)
      for currency in ["USD", "EUR"] {
        let bucket = try store.connection.scalarInt64(
          """
          SELECT coalesce(sum(amount), 0) FROM allocations WHERE billing_period = '2026-10'
            AND team IS NULL AND basis = '\(basis.rawValue)' AND currency = '\(currency)'
          """)
        let listed = own.filter { $0["currency"] == currency }.reduce(0) {
          $0 + IndependentCSV.nanos($1["amount"])
        }
        #expect(listed == bucket, "\(basis) \(currency)")
      }
    }
    let html = try String(contentsOfFile: "\(root)/2026-10/index.html", encoding: .utf8)
    #expect(html.contains("Costliest unallocated resources (USD)"))
    #expect(html.contains("href=\"unallocated-resources.csv\""))
  }

  /// A database allocated before `allocation_unallocated` existed (the table dropped, then
  /// migration 10 run on it, as opening a version 9 database does) has stale allocations (a
  /// report of them says the bucket is not broken down), and the report's stages allocate the
  /// month again, filling the table.
  @Test func allocationsFromBeforeMigration10AreRedone() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("t.sqlite")
    do {
      let store = try Self.store(in: directory)
      try store.connection.execute("DROP TABLE allocation_unallocated")
      try store.connection.execute(Schema.version10)
    }
    let store = try Store(path: path)
    #expect(try store.schemaVersion == Schema.currentVersion)
    let configuration = try Self.configuration()
    let allocator = Allocator(configuration: configuration)
    #expect(try allocator.freshness(of: Self.month, in: store) == .staleData)
    // Rendered as stored, the bucket is shown without a breakdown it does not have.
    let before = try MonthReport(store: store, month: Self.month).files()
    let page = try #require(before.first { $0.path == "index.html" }?.contents)
    #expect(page.contains("3.00 USD") && page.contains("not broken down by resource"))
    for stage in NightlyRun.standardStages(configuration) where stage.name == "allocation" {
      try stage.run(store, Self.month)
    }
    #expect(try allocator.freshness(of: Self.month, in: store) == .current)
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM allocation_unallocated WHERE billing_period = '2026-10'") == 3)
  }

  /// Tag keys outside the policy written three ways (`Cost Center` 4, `cost-center` 2,
  /// `costcenter` 1, by hand) are listed as one key; `env`, written one way, is not; the
  /// policy's `team` (written `team` and `Team`) is in the policy table, not in this one.
  @Test func otherTagKeyCollisionsAreListed() throws {
    let directory = try TemporaryDirectory()
    let header =
      "ProviderName,BillingAccountId,SubAccountId,SubAccountName,BillingPeriodStart,"
      + "BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,"
      + "EffectiveCost,ListCost,ContractedCost,BillingCurrency,ServiceName,RegionId,ResourceId,"
      + "ResourceType,Tags\n"
    let tags = [
      (#"{""Cost Center"":""a"",""team"":""data""}"#, 4),
      (#"{""cost-center"":""b"",""Team"":""data""}"#, 2),
      (#"{""costcenter"":""c"",""env"":""prod""}"#, 1),
    ]
    let lines = tags.enumerated().map { index, entry in
      "AWS,9,1,a,2026-10-01,2026-11-01,2026-10-02,2026-10-03,Usage,\(entry.1),\(entry.1),"
        + "\(entry.1),\(entry.1),USD,Amazon EC2,us-east-1,i-\(index),Instance,\"\(entry.0)\"\n"
    }
    let bill = directory.file("bill.csv")
    try Data((header + lines.joined()).utf8).write(to: URL(fileURLWithPath: bill))
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: bill)
    try PolicyRun(configuration: try Self.configuration()).refresh(through: Self.month, on: store)
    let policy = try #require(try PolicyInputs(store: store, month: Self.month))
    let other = policy.otherCollisions["USD"] ?? []
    #expect(other.map(\.rawKey) == ["Cost Center", "cost-center", "costcenter"])
    #expect(other.allSatisfy { $0.matchKey == "costcenter" && $0.lines == 1 })
    #expect(other.map(\.effective.nanos) == [4_000_000_000, 2_000_000_000, 1_000_000_000])
    #expect(policy.collisions["USD"]?.map(\.rawKey).sorted() == ["Team", "team"])
  }

  /// Twelve amounts of 0.333333333 with ten shown: rounded one by one the rows would show ten
  /// times 0.33 and 0.67 for the other two, 3.97, against a total of 4.00 (3.999999996). By
  /// largest remainder the rows add up to the total shown.
  @Test func costliestRowsAddUpToTheRoundedTotal() throws {
    let amounts = Array(repeating: Money(nanos: 333_333_333), count: 12)
    let table = try HTMLPage.Table.costliest(
      amounts, limit: 10, caption: "c", columns: [("Item", false), ("Cost", true)],
      emptyText: "", amount: { $0 }, cells: { _ in [.text("x")] })
    #expect(table.rows.count == 11)
    #expect(table.rows.last?.first?.text == "2 others")
    let rows = table.rows.compactMap { $0.last?.sortKey }.compactMap { Int64($0) }
    #expect(rows.reduce(0, +) == 4_000_000_000)
    #expect(table.footer.first?.last?.text == "4.00")
  }

  /// Without stored policy results the section says so in words and no CSV is written.
  @Test func aMonthNeverEvaluatedSaysSo() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("allocation/two-months.csv"))
    let files = try MonthReport(store: store, month: Self.month).files()
    #expect(!files.contains { $0.path == "policy-violations.csv" })
    let html = try #require(files.first { $0.path == "index.html" }?.contents)
    #expect(html.contains("no current tag-policy results are stored for 2026-10"))
    #expect(!html.contains("Compliance by cost"))
  }
}
