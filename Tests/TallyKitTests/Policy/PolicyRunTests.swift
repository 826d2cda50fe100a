import Foundation
import Testing

@testable import TallyKit

/// The policy stage on `policy/month.csv` with `policy/tally.yaml`. Every expectation is worked
/// out by hand from the fixture's lines (billed cost; effective differs only on i-001):
///
/// | line | account | service | resource | tags | billed | verdict |
/// |---|---|---|---|---|---|---|
/// | 2026-09 | A | EC2 | i-005 | {} | 7 | team, env missing |
/// | L1, L2 | A | EC2 | i-001 | Team=payments env=prod cost-center=CC-1001 | 100 + 100 (eff 90 + 90) | compliant |
/// | L3 | A | EC2 | i-002 | team=Pay env=prd | 50 | compliant (aliases → payments, prod) |
/// | L4 | A | EC2 | i-003 | owner-team=search env=dev | 40 | env invalid |
/// | L5 | A | EC2 | i-004 | team=Paymnts env=prod | 30 | team invalid, did you mean payments |
/// | L6 | A | EC2 | i-005 | {} | 20 | never tagged: team, env missing |
/// | L7 | A | S3 | bucket-logs | {} | 10 | team missing (env out of scope) |
/// | L8 | B | S3 | bucket-data | {} | 8 | compliant, team=data inherited from B |
/// | L9 | A | S3 | bucket-x | Team=search team=data | 6 | team in conflict |
/// | L10 | A | — | — | {} Tax | 5 | exempt |
/// | L11 | A | EC2 | i-006 | team=search env=staging cost-center=cc-12 | 12 | cost-center invalid |
/// | L12 | A | Support | — | {} Purchase | 15 | team missing |
/// | L13 | A | EC2 | — | {} Credit | -4 | exempt |
@Suite struct PolicyRunTests {
  static let october = BillingMonth(year: 2026, month: 10)

  /// A store with the fixture imported and the configuration read; the store's folder lives
  /// as long as the value.
  final class Prepared {
    let directory: TemporaryDirectory
    let store: Store
    let configuration: Configuration

    init() throws {
      directory = try TemporaryDirectory()
      store = try Store(path: directory.file("t.sqlite"))
      _ = try Importer(store: store).importDelivery(at: TestPaths.fixture("policy/month.csv"))
      configuration = try Configuration.load(from: TestPaths.fixture("policy/tally.yaml"))
    }
  }

  static func usd(_ units: Int64) -> Money { Money(nanos: units * Money.nanosPerUnit) }

  static func row(
    _ rows: [ComplianceRow], _ dimension: ComplianceDimension = .overall, _ name: String = "",
    key: String = ""
  ) throws -> ComplianceRow {
    try #require(rows.first { $0.dimension == dimension && $0.name == name && $0.key == key })
  }

  @Test func overallComplianceIsWeightedByCost() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    let rows = try store.complianceRows(in: Self.october, currency: "USD")
    let overall = try Self.row(rows)
    // compliant L1 + L2 + L3 + L8 = 100 + 100 + 50 + 8; non-compliant L4 + L5 + L6 + L7 + L9 +
    // L11 + L12 = 40 + 30 + 20 + 10 + 6 + 12 + 15; exempt L10 + L13 = 5 − 4.
    #expect(overall.compliant == CostPair(billed: Self.usd(258), effective: Self.usd(238)))
    #expect(overall.noncompliant == CostPair(billed: Self.usd(133), effective: Self.usd(133)))
    #expect(overall.exempt == CostPair(billed: Self.usd(1), effective: Self.usd(1)))
    #expect(overall.inherited.billed == Self.usd(8))
    #expect(overall.lines == 13)
    #expect(abs(overall.compliance(.billed) - 258.0 / 391.0) < 1e-12)
    #expect(abs(overall.compliance(.effective) - 238.0 / 371.0) < 1e-12)
    // Nine resources judged (i-001…i-006, three buckets); six with non-compliant lines.
    #expect(overall.resources == 9)
    #expect(overall.noncompliantResources == 6)
  }

  @Test func perKeyComplianceCountsScopeAndInheritance() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    let rows = try store.complianceRows(in: Self.october, currency: "USD")
    // team: non-compliant L5 (invalid) 30, L6 20, L7 10, L12 15 (missing), L9 6 (conflict).
    let team = try Self.row(rows, key: "team")
    #expect(team.compliant.billed == Self.usd(310))
    #expect(team.noncompliant.billed == Self.usd(81))
    #expect(team.inherited.billed == Self.usd(8))
    #expect(team.outOfScope.billed == .zero)
    #expect(team.resources == 9)
    #expect(team.noncompliantResources == 4)  // i-004, i-005, bucket-logs, bucket-x
    // env is scoped to EC2: S3 and Support lines (10 + 8 + 6 + 15) are out of its scope.
    let env = try Self.row(rows, key: "env")
    #expect(env.compliant.billed == Self.usd(292))  // L1 L2 L3 (prd → prod) L5 L11
    #expect(env.noncompliant.billed == Self.usd(60))  // L4 dev, L6 missing
    #expect(env.outOfScope.billed == Self.usd(39))
    #expect(env.exempt.billed == Self.usd(1))
    #expect(env.resources == 6)
    #expect(env.noncompliantResources == 2)
    // cost-center is optional: only L11's bad value counts against it.
    let costCenter = try Self.row(rows, key: "cost-center")
    #expect(costCenter.compliant.billed == Self.usd(379))
    #expect(costCenter.noncompliant.billed == Self.usd(12))
  }

  @Test func perTeamAccountAndService() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    let rows = try store.complianceRows(in: Self.october, currency: "USD")
    let payments = try Self.row(rows, .team, "payments")  // L1 L2 L3
    #expect(payments.compliant.billed == Self.usd(250))
    #expect(payments.noncompliant.billed == .zero)
    let search = try Self.row(rows, .team, "search")  // L4, L11
    #expect(search.noncompliant.billed == Self.usd(52))
    let data = try Self.row(rows, .team, "data")  // L8, inherited
    #expect(data.compliant.billed == Self.usd(8))
    let none = try Self.row(rows, .team, "")  // L5 L6 L7 L9 L12, and the exempt L10 L13
    #expect(none.noncompliant.billed == Self.usd(81))
    #expect(none.exempt.billed == Self.usd(1))
    let accountB = try Self.row(rows, .account, "222222222222")
    #expect(accountB.compliant.billed == Self.usd(8))
    #expect(accountB.noncompliant.billed == .zero)
    let ec2 = try Self.row(rows, .service, "Amazon Elastic Compute Cloud")
    #expect(ec2.compliant.billed == Self.usd(250))
    #expect(ec2.noncompliant.billed == Self.usd(102))  // L4 L5 L6 L11
    #expect(ec2.exempt.billed == Self.usd(-4))  // the credit L13
    let s3 = try Self.row(rows, .service, "Amazon Simple Storage Service")
    #expect(s3.noncompliant.billed == Self.usd(16))
    #expect(s3.resources == 3)
    #expect(s3.noncompliantResources == 2)
  }

  /// i-005 has never had a tag: its spend is non-compliant, with both required keys missing,
  /// and it was already non-compliant in September.
  @Test func neverTaggedSpendIsNonCompliant() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    let offenders = try store.noncompliantResources(
      in: Self.october, currency: "USD", basis: .billed, limit: nil)
    let untagged = try #require(offenders.first { $0.resourceID == "i-005" })
    #expect(untagged.cost.billed == Self.usd(20))
    #expect(untagged.problems.map(\.key) == ["team", "env"])
    #expect(untagged.problems.allSatisfy { $0.problem == "missing" })
    #expect(untagged.firstNoncompliant == BillingMonth(year: 2026, month: 9))
    // Spend without a resource id cannot hide either: the Support fee is listed.
    let support = try #require(offenders.first { $0.resourceID == nil })
    #expect(support.service == "AWS Support (Business)")
    #expect(support.cost.billed == Self.usd(15))
  }

  @Test func offendersAreListedCostliestFirstWithTheirProblems() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    let offenders = try store.noncompliantResources(
      in: Self.october, currency: "USD", basis: .billed, limit: nil)
    #expect(
      offenders.map { $0.resourceID ?? "-" } == [
        "i-003", "i-004", "i-005", "-", "i-006", "bucket-logs", "bucket-x",
      ])
    let misspelt = try #require(offenders.first { $0.resourceID == "i-004" })
    #expect(
      misspelt.problems == [
        ResourceProblem(key: "team", problem: "invalid", detail: "Paymnts", suggestion: "payments")
      ])
    #expect(misspelt.firstNoncompliant == Self.october)
    let conflict = try #require(offenders.first { $0.resourceID == "bucket-x" })
    #expect(conflict.problems.first?.detail == "Team=search, team=data")
    #expect(
      try store.noncompliantResources(in: Self.october, currency: "USD", basis: .billed, limit: 2)
        .count == 2)
  }

  @Test func canonicalisationReportAndFindings() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    let variants = try store.keyVariants(in: Self.october, currency: "USD", basis: .billed)
      .filter { $0.key == "team" }
    // Team: L1 L2 L9 = 100 + 100 + 6; team: L3 L5 L9 L11 = 50 + 30 + 6 + 12; owner-team: L4.
    #expect(variants.map(\.rawKey) == ["Team", "team", "owner-team"])
    #expect(variants.map(\.cost.billed) == [Self.usd(206), Self.usd(98), Self.usd(40)])
    #expect(variants.map(\.lines) == [3, 4, 1])
    let findings = try store.policyFindings(in: Self.october, currency: "USD", basis: .billed)
    #expect(
      findings.map { "\($0.key) \($0.kind) \($0.detail) \($0.suggestion) \($0.cost.billed)" } == [
        "env invalid dev  40.00", "team invalid Paymnts payments 30.00",
        "cost-center invalid cc-12  12.00", "team conflict Team=search, team=data  6.00",
      ])
  }

  /// Changing the config changes the results without a re-import: the stored results carry
  /// the policy's fingerprint and go stale with it.
  @Test func aConfigChangeNeedsNoReimport() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    let first = try PolicyRun(configuration: configuration).refresh(
      through: Self.october, on: store)
    #expect(first.map(\.month) == [BillingMonth(year: 2026, month: 9), Self.october])
    #expect(
      try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store).isEmpty)

    var relaxed = configuration
    relaxed.policy.tags[0].values?.append("Paymnts")
    let second = try PolicyRun(configuration: relaxed).refresh(through: Self.october, on: store)
    #expect(second.count == 2)
    let overall = try Self.row(try store.complianceRows(in: Self.october, currency: "USD"))
    #expect(overall.compliant.billed == Self.usd(288))  // L5 (30) is compliant now
  }

  /// 13 October lines with 10 distinct tag sets and 2 accounts judged in far fewer evaluations
  /// than lines: L1 and L2 share a group.
  @Test func evaluatesPerDistinctGroupNotPerLine() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    let stats = try PolicyRun(configuration: configuration).evaluate(Self.october, on: store)
    #expect(stats.lines == 13)
    #expect(stats.groups == 12)
    // Tag sets: Team/env/cc, team=Pay, owner-team, Paymnts, {} (A), {} (B), conflict, cc-12.
    #expect(stats.tagGroups == 8)
  }

  /// Imports made before `line_groups` existed have their groups recorded when a month is
  /// first evaluated: the results are the same either way.
  @Test func groupsMissingFromAnOlderImportAreRecordedOnDemand() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    _ = try PolicyRun(configuration: configuration).evaluate(Self.october, on: store)
    let recorded = try store.complianceRows(in: Self.october, currency: "USD")
    try store.connection.execute("DELETE FROM line_groups")
    _ = try PolicyRun(configuration: configuration).evaluate(Self.october, on: store)
    #expect(try store.complianceRows(in: Self.october, currency: "USD") == recorded)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM line_groups") == 13)
  }

  /// A newer delivery of the same source and month replaces the older one's lines, and with
  /// them its groups: only the newer lines are judged.
  @Test func aSupersededDeliveryIsNoLongerJudged() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let importer = Importer(store: store, sourceName: "focus-test")
    _ = try importer.importDelivery(at: TestPaths.fixture("policy/month.csv"))
    // The newer delivery keeps the header and the first October line (i-001, 100 billed).
    let lines = try String(contentsOfFile: TestPaths.fixture("policy/month.csv"), encoding: .utf8)
      .split(separator: "\n")
    let newer = directory.file("newer.csv")
    try (lines[0...2].joined(separator: "\n") + "\n").write(
      toFile: newer, atomically: true, encoding: .utf8)
    _ = try importer.importDelivery(at: newer)
    let configuration = try Configuration.load(from: TestPaths.fixture("policy/tally.yaml"))
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    let overall = try Self.row(try store.complianceRows(in: Self.october, currency: "USD"))
    #expect(overall.lines == 1)
    #expect(overall.compliant.billed == Self.usd(100))
    #expect(overall.noncompliant.billed == .zero)
  }

  /// `policy/inventory.csv` lists i-005 (never tagged in the bill) with Team=payments and
  /// env=prod, bucket-logs (untagged in the bill) with team=data, and i-001 with team=search,
  /// which its bill tag Team=payments overrides. So L6 (20) and L7 (10) become compliant thanks
  /// to the inventory: compliant 258 + 30, non-compliant 133 − 30.
  @Test func aResourceUntaggedInTheBillButTaggedInTheInventory() throws {
    let prepared = try Prepared()
    defer { withExtendedLifetime(prepared) {} }
    let (store, configuration) = (prepared.store, prepared.configuration)
    try PolicyRun(configuration: configuration).refresh(through: Self.october, on: store)
    _ = try Importer(store: store).importDelivery(at: TestPaths.fixture("policy/inventory.csv"))
    // The new snapshot makes the stored results stale: both months are evaluated again.
    let again = try PolicyRun(configuration: configuration).refresh(
      through: Self.october, on: store)
    #expect(again.count == 2)
    let rows = try store.complianceRows(in: Self.october, currency: "USD")
    let overall = try Self.row(rows)
    #expect(overall.compliant.billed == Self.usd(288))
    #expect(overall.noncompliant.billed == Self.usd(103))
    #expect(overall.inventory.billed == Self.usd(30))
    #expect(overall.inherited.billed == Self.usd(8))
    #expect(try Self.row(rows, .team, "payments").compliant.billed == Self.usd(270))
    #expect(try Self.row(rows, .team, "data").compliant.billed == Self.usd(18))
    let offenders = try store.noncompliantResources(
      in: Self.october, currency: "USD", basis: .billed, limit: nil)
    #expect(!offenders.contains { $0.resourceID == "i-005" || $0.resourceID == "bucket-logs" })
    // tag_resolutions keeps its meaning (per tag set and account, bill and account defaults):
    // the inventory's tags do not appear there.
    #expect(
      try store.tagResolutions(in: Self.october).values.joined().allSatisfy {
        $0.source != TagSource.inventory.rawValue
      })

    var ignoring = configuration
    ignoring.policy.inventoryFillsGaps = false
    try PolicyRun(configuration: ignoring).refresh(through: Self.october, on: store)
    let without = try Self.row(try store.complianceRows(in: Self.october, currency: "USD"))
    #expect(without.compliant.billed == Self.usd(258))
    #expect(without.inventory.billed == .zero)
  }
}
