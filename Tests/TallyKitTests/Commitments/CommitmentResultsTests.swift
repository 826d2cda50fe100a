import Foundation
import Testing

@testable import TallyKit

/// The commitments stage's stored results: what is written is what is read back, the stage
/// stores the owned commitments worked out by hand, and results go stale when the settings or
/// any month the look-back reaches change.
@Suite struct CommitmentResultsTests {
  static let october = BillingMonth(year: 2026, month: 10)

  static func money(_ text: String) throws -> Money { try Money(parsing: text) }

  /// A report with every field set to a distinct value, written by hand: a savings plan with
  /// a stale-data guard and a reservation, each with a three-point curve; two owned
  /// commitments (one without an end date) and one expiry month.
  static func handBuiltReport() throws -> CommitmentReport {
    let window = HourWindow(
      start: Timestamp(year: 2026, month: 9, day: 1), end: Timestamp(year: 2026, month: 11, day: 1))
    let recent = HourWindow(start: Timestamp(year: 2026, month: 10, day: 29), end: window.end)
    func estimate(_ savings: String, _ upfront: String, breakEven: Double?) throws
      -> CommitmentEstimate
    {
      CommitmentEstimate(
        monthlySavings: try money(savings), monthlyOnDemandCost: try money("1000.25"),
        monthlyCommitmentCost: try money("700.10"), savingsRate: 0.125, utilization: 0.96875,
        coverage: 0.5, breakEvenMonths: breakEven, upfrontCost: try money(upfront),
        recurringMonthlyCost: try money("350.05"))
    }
    var report = CommitmentReport(
      lookbackDays: 60, term: .threeYears, payment: .partialUpfront, expiringWithinDays: 45)
    report.notes = ["gcp flexible-cud (EUR): no eligible on-demand usage in the window", "two"]
    report.recommendations = [
      Recommendation(
        kind: .reservedInstance, provider: "aws", currency: "USD", term: .threeYears,
        payment: .partialUpfront, discount: 0.375, discountSource: .bill,
        discountNote: "measured on 12 reserved lines", hourlyCommitment: nil,
        reservation: ReservationTarget(
          region: "us-east-1", family: "m5", platform: "Linux/UNIX", tenancy: "Shared",
          sizeFlexible: true, normalizedUnits: 24, instanceType: "m5.xlarge", instances: 3,
          smallestInstanceType: "m5.large", smallestInstances: 6),
        estimate: try estimate("120.50", "9000.00", breakEven: 14.25),
        savingsCurve: [
          CurvePoint(
            fraction: 0.5, hourlyCommitment: nil, normalizedUnits: 12,
            monthlySavings: try money("80.00"), utilization: 1, coverage: 0.25),
          CurvePoint(
            fraction: 1, hourlyCommitment: nil, normalizedUnits: 24,
            monthlySavings: try money("120.50"), utilization: 0.96875, coverage: 0.5),
          CurvePoint(
            fraction: 1.5, hourlyCommitment: nil, normalizedUnits: 36,
            monthlySavings: try money("-15.75"), utilization: 0.75, coverage: 0.625),
        ], window: window, basis: window, staleDataGuard: nil),
      Recommendation(
        kind: .savingsPlan, provider: "aws", currency: "USD", term: .threeYears,
        payment: .partialUpfront, discount: 0.28125, discountSource: .mixed,
        discountNote: "share of eligible spend by source: bill 75%, built-in 25%",
        hourlyCommitment: try money("1.234"), reservation: nil,
        estimate: try estimate("45.67", "0", breakEven: nil),
        savingsCurve: [
          CurvePoint(
            fraction: 1, hourlyCommitment: try money("1.234"), normalizedUnits: nil,
            monthlySavings: try money("45.67"), utilization: 0.96875, coverage: 0.5)
        ], window: window, basis: recent,
        staleDataGuard: StaleDataGuard(
          windowHourlyCommitment: try money("2.5"), recentHourlyCommitment: try money("1.234"),
          windowNormalizedUnits: nil, recentNormalizedUnits: nil, reason: "usage stopped")),
    ]
    report.owned = OwnedCommitments(
      month: october,
      commitments: [
        OwnedCommitment(
          id: "arn:aws:ec2:us-east-1:1:reserved-instances/ri-b", provider: "aws", currency: "USD",
          type: "Reserved Instance", category: "Usage", term: "1yr", payment: "Partial Upfront",
          offering: "standard", end: Timestamp(year: 2026, month: 12, day: 15),
          usedCost: try money("0.400000001"), unusedCost: try money("0.24"),
          coveredOnDemandCost: try money("0.48"), netSavings: try money("-0.160000001"),
          utilization: 0.625, coverage: 0.125),
        OwnedCommitment(
          id: "=HYPERLINK(\"x\")", provider: "azure", currency: "EUR", type: "Reservation",
          category: "", term: "", payment: "", offering: "", end: nil,
          usedCost: try money("10"), unusedCost: .zero, coveredOnDemandCost: try money("12"),
          netSavings: try money("2"), utilization: 1, coverage: 0),
      ],
      expiryCalendar: [
        ExpiryMonth(
          month: BillingMonth(year: 2026, month: 12), currency: "USD",
          commitments: ["arn:aws:ec2:us-east-1:1:reserved-instances/ri-b"],
          monthlyCost: try money("0.640000001"), coveredOnDemandCost: try money("0.48"))
      ])
    return report
  }

  @Test func aHandBuiltReportReadsBackEqual() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let report = try Self.handBuiltReport()
    let run = CommitmentRunRecord(month: Self.october, configFingerprint: "c", dataFingerprint: "d")
    try store.transaction { try store.replaceCommitmentResults(report, run: run) }
    #expect(try store.commitmentResults(of: Self.october) == report)
    #expect(try store.commitmentRun(of: Self.october) == run)
    #expect(try store.commitmentResults(of: BillingMonth(year: 2026, month: 9)) == nil)
    // Amounts are stored as nanos: 0.400000001 + 0.24 and 10 + 0, by hand.
    let sums = try store.connection.prepare(
      "SELECT currency, sum(used_cost) + sum(unused_cost) FROM owned_commitments GROUP BY 1")
    var byCurrency: [String: Int64] = [:]
    while try sums.step() { byCurrency[sums.text(at: 0)] = sums.int64(at: 1) }
    #expect(byCurrency == ["EUR": 10_000_000_000, "USD": 640_000_001])

    // Storing again replaces the month as a whole.
    var smaller = report
    smaller.recommendations.removeLast()
    smaller.owned?.commitments.removeLast()
    try store.transaction { try store.replaceCommitmentResults(smaller, run: run) }
    #expect(try store.commitmentResults(of: Self.october) == smaller)
  }

  /// The stage over `cur/owned-commitments.csv` stores what `OwnedCommitmentsTests` worked
  /// out by hand (see there): sp-a used 2.10, unused 1.90, utilisation 0.525; ri-b used 0.40,
  /// unused 0.24, utilisation 0.625; and reads back exactly what it computed.
  @Test func theStageStoresTheOwnedCommitmentsWorkedOutByHand() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("cur/owned-commitments.csv"))
    let computed = try CommitmentsRun(configuration: Configuration()).run(
      on: store, month: Self.october)
    var stored = try #require(try store.commitmentResults(of: Self.october))
    stored.learnedDiscounts = computed.learnedDiscounts  // not stored
    #expect(stored == computed)
    let owned = try #require(stored.owned?.commitments)
    let plan = try #require(owned.first { $0.id.hasSuffix("sp-a") })
    #expect(plan.usedCost == (try Self.money("2.10")))
    #expect(plan.unusedCost == (try Self.money("1.90")))
    #expect(abs(plan.utilization - 0.525) < 1e-12)
    let reservation = try #require(owned.first { $0.id.hasSuffix("ri-b") })
    #expect(reservation.usedCost == (try Self.money("0.40")))
    #expect(reservation.unusedCost == (try Self.money("0.24")))
    #expect(abs(reservation.utilization - 0.625) < 1e-12)
    #expect(stored.owned?.expiryCalendar.map(\.month.description) == ["2026-12", "2027-03"])
  }

  /// Results are current until the `commitments` section changes or a month the look-back
  /// reaches gets new data (September, for October with the default 30 days).
  @Test func resultsGoStaleWithTheSettingsOrAnyMonthTheLookBackReaches() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("cur/owned-commitments.csv"))
    let stage = CommitmentsRun(configuration: Configuration())
    #expect(!(try stage.isCurrent(Self.october, in: store)))
    #expect(try stage.refresh(Self.october, in: store))
    #expect(try stage.isCurrent(Self.october, in: store))
    #expect(!(try stage.refresh(Self.october, in: store)))

    let threeYears = try Configuration(yaml: "commitments:\n  term: 3yr\n", file: "t.yaml")
    #expect(!(try CommitmentsRun(configuration: threeYears).isCurrent(Self.october, in: store)))

    _ = try Importer(store: store).importDelivery(
      at: TestPaths.repository.appendingPathComponent("sample-bills/aws-cur-2026-09.csv").path)
    #expect(!(try stage.isCurrent(Self.october, in: store)))
    #expect(
      Recommender.months(through: Self.october, lookbackDays: 30).map(\.description) == [
        "2026-09", "2026-10",
      ])
    #expect(
      Recommender.months(through: Self.october, lookbackDays: 60).map(\.description) == [
        "2026-08", "2026-09", "2026-10",
      ])
  }
}
