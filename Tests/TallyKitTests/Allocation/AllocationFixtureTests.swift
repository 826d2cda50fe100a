import Foundation
import Testing

@testable import TallyKit

/// The hand-built month `allocation/two-months.csv` with `allocation/tally.yaml`, imported into a
/// store and allocated. Effective cost, USD, October (line numbers are data rows of the file):
///
/// direct   payments 80 (l2, tag) − 5 (l8, credit following i-pay1) + 7 (l5, invalid tag
///          `Paymnts`, rule payments-account) = 82; search 50 (l3, tag `Team`) + 2 (l11, rule
///          accounts) = 52; platform 10 (l4, rule log-buckets); data 4 (l9, rule owner-tag);
///          ml 6 (l10, rule eu-region). Σ direct = 154.
/// support  30 (l6) proportional to 4 : 6 : 82 : 10 : 52 (data, ml, payments, platform,
///          search): floors 0.779220779, 1.168831168, 15.974025974, 1.948051948, 10.129870129
///          with remainders 34, 128, 4, 8, 134 (of 154); the 2 nanos left go to search and ml.
/// tax      10 (l7) even over payments, search, data: 3.333333334, 3.333333333, 3.333333333.
/// dns      1.000000001 (l12) proportional over research and ops, who have no direct cost: the
///          even fallback gives 0.500000001 and 0.5.
/// commit.  l14 has effective cost 0 (billed 1.000000001: 60/40 → 0.600000001 and 0.4).
/// left     3 (l13) matches nothing: unallocated.
/// EUR      payments 20, search 10 by tag; support 3 proportional 20 : 10 → 2 and 1.
@Suite struct AllocationFixtureTests {
  let directory: TemporaryDirectory
  let database: String
  let configuration: Configuration
  let october = BillingMonth(year: 2026, month: 10)

  init() throws {
    directory = try TemporaryDirectory()
    database = directory.file("t.sqlite")
    let store = try Store(path: database)
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("allocation/two-months.csv"))
    configuration = try Configuration.load(from: TestPaths.fixture("allocation/tally.yaml"))
    let output = try Allocator(configuration: configuration).allocate(nil, all: false, in: store)
    #expect(output.conserved)
    #expect(Set(output.months.map(\.month)) == ["2026-09", "2026-10"])
  }

  func view(_ configuration: Configuration? = nil, basis: CostBasis? = nil) throws
    -> StoredAllocationView
  {
    try StoredAllocationView(
      configuration: configuration ?? self.configuration, database: database, month: nil,
      basis: basis, window: { [$0, $0.previous] })
  }

  @Test func teamsAreWorkedOutByHand() throws {
    let teams = try view().teams()
    #expect(teams.month == "2026-10" && teams.costBasis == "effective")
    let usd = Dictionary(
      uniqueKeysWithValues: teams.teams.filter { $0.currency == "USD" }.map { ($0.team, $0) })
    #expect(
      usd.mapValues(\.total) == [
        "payments": "101.307359308",  // 82 + 15.974025974 + 3.333333334
        "search": "65.463203463",  // 52 + 10.129870130 + 3.333333333
        "platform": "11.948051948",  // 10 + 1.948051948
        "data": "8.112554112",  // 4 + 0.779220779 + 3.333333333
        "ml": "7.168831169",  // 6 + 1.168831169
        "research": "0.500000001", "ops": "0.50",
      ])
    #expect(usd["payments"]?.direct == "82.00")
    #expect(usd["payments"]?.shared == "19.307359308")
    // September: payments 40 by tag, nobody else.
    #expect(usd["payments"]?.previousTotal == "40.00")
    #expect(usd["payments"]?.delta == "61.307359308")
    #expect(usd["search"]?.previousTotal == "0.00")
    #expect(
      teams.totals == [
        .init(currency: "EUR", allocated: "33.00", unallocated: "0.00", total: "33.00"),
        .init(
          currency: "USD", allocated: "195.000000001", unallocated: "3.00",
          total: "198.000000001"),
      ])
    let eur = teams.teams.filter { $0.currency == "EUR" }.map { [$0.team, $0.total] }
    #expect(eur == [["payments", "22.00"], ["search", "11.00"]])
    #expect(!teams.teams.contains { $0.team == "unallocated" })

    // In USD at 1.1 per EUR: payments 101.307359308 + 22 × 1.1; the total 198.000000001 + 36.3.
    let reporting = try #require(teams.reporting)
    #expect(reporting.rates == [.init(currency: "EUR", rate: "1.10", month: "2026-10")])
    #expect(reporting.teams.first { $0.team == "payments" }?.total == "125.507359308")
    #expect(reporting.totals.map(\.total) == ["234.300000001"])
  }

  /// A reporting currency without a rate for one of the month's currencies is a config error.
  @Test func aMissingRateIsAConfigurationError() throws {
    var configuration = self.configuration
    configuration.allocation.exchangeRates = ["EUR": .monthly([october.previous: Money(nanos: 1)])]
    let error = try #require(throws: ConfigurationError.self) {
      try view(configuration).teams()
    }
    #expect(error.message.contains("no rate from EUR to USD for 2026-10"))
  }

  /// The line groups read are checked against the totals the import recorded from the file:
  /// a group lost from the store stops the allocation rather than shrinking the bill.
  @Test func aLostLineGroupStopsTheAllocation() throws {
    let store = try Store(path: database)
    try store.connection.execute(
      """
      DELETE FROM line_groups WHERE rowid =
        (SELECT max(rowid) FROM line_groups WHERE billing_period = '2026-10')
      """)
    #expect(throws: AllocationError.doesNotReconcile(october)) {
      try Allocator(configuration: configuration).run(on: store, month: october)
    }
  }

  @Test func everyBasisIsStoredAndConserved() throws {
    // Billed: the commitments purchase (1.000000001) is split 60/40: payments 0.600000001.
    let billed = try view(basis: .billed).explain("payments")
    let usd = try #require(billed.currencies.first { $0.currency == "USD" })
    #expect(
      usd.steps.first { $0.source == "commitments" }?.amount == "0.600000001")
    for basis in CostBasis.allCases {
      let teams = try view(basis: basis).teams()
      for total in teams.totals {
        let sum = try teams.teams.filter { $0.currency == total.currency }.reduce(Money.zero) {
          try $0.adding(try Money(parsing: $1.total))
        }
        #expect(
          try sum.adding(try Money(parsing: total.unallocated)) == (try Money(parsing: total.total))
        )
      }
    }
  }

  /// The waterfall of payments in USD adds up to its total, step by step as worked out above.
  @Test func explainAddsUpToTheTeamTotal() throws {
    let explain = try view().explain("payments")
    let usd = try #require(explain.currencies.first { $0.currency == "USD" })
    #expect(usd.total == "101.307359308")
    #expect(
      usd.steps.map { [$0.step, $0.source, $0.amount] } == [
        ["tag", "bill", "80.00"], ["resource", "", "-5.00"], ["rule", "payments-account", "7.00"],
        ["shared", "support", "15.974025974"], ["shared", "tax", "3.333333334"],
      ])
    let sum = try usd.steps.reduce(Money.zero) { try $0.adding(try Money(parsing: $1.amount)) }
    #expect(sum == (try Money(parsing: usd.total)))
    let support = try #require(usd.steps.first { $0.source == "support" })
    #expect(support.share?.weight == "82.00" && support.share?.weightTotal == "154.00")
    #expect(support.pool?.map(\.amount) == ["30.00"])
    #expect(usd.steps[2].parts.first?.tagStatus == "invalid")

    // The table shows the same steps in cents, adding up to the total shown.
    let table = try explain.rendered(as: .table)
    #expect(table.contains("rule payments-account"))
    #expect(table.contains("101.31"))
    // The bucket explains itself.
    let bucket = try view().explain("unallocated")
    #expect(bucket.currencies.first?.steps.map(\.amount) == ["3.00"])
  }

  @Test func teamViewReadsTheStoredAllocation() throws {
    let team = try view().team("payments")
    #expect(team.totals.first { $0.currency == "USD" }?.total == "101.307359308")
    #expect(team.services.first { $0.currency == "USD" }?.service == "Amazon EC2")
    #expect(team.services.first { $0.currency == "USD" }?.amount == "82.00")
    #expect(
      team.accounts.filter { $0.currency == "USD" }.map { [$0.accountID, $0.accountName ?? ""] }
        == [["111100000001", "payments-prod"]])
    // Without a valid team tag: i-pay2 (invalid, 7, by rule) and the credit on i-pay1 (−5).
    #expect(team.untagged == [.init(currency: "USD", cost: "2.00", resources: 2)])
    #expect(
      team.untaggedResources.map { [$0.resourceID, $0.tagStatus, $0.rule, $0.amount] } == [
        ["i-pay2", "invalid", "payments-account", "7.00"], ["i-pay1", "missing", "", "-5.00"],
      ])
    #expect(
      team.trend.filter { $0.currency == "USD" }.map(\.total) == ["40.00", "101.307359308"])
    #expect(team.reporting?.totals.first?.total == "125.507359308")
    let unknown = #expect(throws: AllocationError.self) { try view().team("paymnts") }
    #expect(unknown == .unknownTeam("paymnts", month: october, suggestion: "payments"))
  }

  /// Dropping the log-buckets rule and allocating again moves l4 (10) to the bucket, and the
  /// support pool is split without platform — without importing anything again.
  @Test func aChangedRuleNeedsNoReimport() throws {
    let text = try String(
      contentsOfFile: TestPaths.fixture("allocation/tally.yaml"), encoding: .utf8)
    let edited = text.replacingOccurrences(
      of: """
            - name: log-buckets
              when: { resource: ["logs-*"] }
              team: platform

        """, with: "")
    #expect(edited != text)
    let changed = try Configuration(yaml: edited, file: "edited.yaml")
    #expect(changed.allocationFingerprint != configuration.allocationFingerprint)
    let store = try Store(path: database)
    let imports = try store.currentImportCount()
    let before = try view(changed)
    #expect(before.notes.contains { $0.contains("another configuration") })

    let output = try Allocator(configuration: changed).allocate([october], all: false, in: store)
    #expect(output.conserved)
    let teams = try view(changed).teams()
    #expect(!teams.teams.contains { $0.team == "platform" })
    #expect(teams.totals.first { $0.currency == "USD" }?.unallocated == "13.00")
    #expect(try store.currentImportCount() == imports)
    #expect(try Allocator(configuration: changed).freshness(of: october, in: store) == .current)
    #expect(
      try Allocator(configuration: configuration).freshness(of: october, in: store)
        == .staleConfiguration)
  }
}
