import Testing

@testable import TallyKit

/// The same policy written as AWS tag policies (`policy/aws/aws.yaml`, merged from three
/// levels) and as tally rules (`policy/aws/equivalent.yaml`) gives the same results on
/// `policy/aws/month.csv`. The effective policy: CostCenter ∈ {100, 300*} on ec2:instance and
/// rds:db; Project ∈ {alpha, beta}; environment ∈ {prod, staging}; all required, spelt exactly.
///
/// | line | resource | tags | billed | by hand |
/// |---|---|---|---|---|
/// | A1 | i-aaa | CostCenter=100 Project=alpha environment=prod | 10 | compliant |
/// | A2 | i-bbb | costcenter=100 … | 20 | CostCenter miscased |
/// | A3 | i-ccc | CostCenter=3001 … | 30 | compliant (300*) |
/// | A4 | rds db:orders | CostCenter=200 … | 40 | 200 was removed: invalid |
/// | A5 | bucket-z | Project=Alpha environment=prod | 50 | CostCenter out of scope; Alpha ≠ alpha |
/// | A6 | i-ddd | {} | 60 | never tagged: all three missing |
/// | A7 | lambda function:resize | Project=beta environment=prod | 70 | compliant (CostCenter out of scope) |
/// | A8 | — | {} Tax | 5 | exempt |
@Suite struct AWSPolicyParityTests {
  static let october = BillingMonth(year: 2026, month: 10)

  static func results(config: String) throws -> (
    rows: [ComplianceRow], offenders: [NoncompliantResource], findings: [PolicyFinding]
  ) {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: TestPaths.fixture("policy/aws/month.csv"))
    let configuration = try Configuration.load(from: TestPaths.fixture("policy/aws/\(config)"))
    try PolicyRun(configuration: configuration).refresh(through: october, on: store)
    defer { withExtendedLifetime(directory) {} }
    return (
      try store.complianceRows(in: october, currency: "USD"),
      try store.noncompliantResources(in: october, currency: "USD", basis: .billed, limit: nil),
      try store.policyFindings(in: october, currency: "USD", basis: .billed)
    )
  }

  @Test func awsPolicyAndTallyRulesGiveTheSameResults() throws {
    let aws = try Self.results(config: "aws.yaml")
    let tally = try Self.results(config: "equivalent.yaml")
    #expect(aws.rows == tally.rows)
    #expect(aws.offenders == tally.offenders)
    #expect(aws.findings == tally.findings)
  }

  @Test func theAWSPolicyIsJudgedAsWorkedOutByHand() throws {
    let aws = try Self.results(config: "aws.yaml")
    let overall = try #require(aws.rows.first { $0.dimension == .overall && $0.key.isEmpty })
    let usd = { (units: Int64) in Money(nanos: units * Money.nanosPerUnit) }
    #expect(overall.compliant.billed == usd(110))  // A1 A3 A7
    #expect(overall.noncompliant.billed == usd(170))  // A2 A4 A5 A6
    #expect(overall.exempt.billed == usd(5))
    let costCenter = try #require(
      aws.rows.first { $0.dimension == .overall && $0.key == "CostCenter" })
    #expect(costCenter.outOfScope.billed == usd(120))  // A5 (S3) and A7 (Lambda)
    #expect(costCenter.noncompliant.billed == usd(120))  // A2 A4 A6
    let problems = Dictionary(
      uniqueKeysWithValues: aws.offenders.map { ($0.resourceID ?? "", $0.problems) })
    #expect(
      problems["i-bbb"] == [
        ResourceProblem(
          key: "CostCenter", problem: "miscased", detail: "costcenter", suggestion: nil)
      ])
    #expect(
      problems["bucket-z"] == [
        ResourceProblem(key: "Project", problem: "invalid", detail: "Alpha", suggestion: "alpha")
      ])
    #expect(problems["i-ddd"]?.map(\.problem) == ["missing", "missing", "missing"])
  }
}
