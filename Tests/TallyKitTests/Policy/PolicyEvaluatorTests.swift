import Testing

@testable import TallyKit

/// One group of lines at a time: resolution (`TagResolver`) then judgement
/// (`PolicyEvaluator`), each expectation read off the rules below by hand.
@Suite struct PolicyEvaluatorTests {
  static let policy: PolicyConfiguration = {
    var team = TagRule(key: "team")
    team.aliases = ["owner-team"]
    team.required = true
    team.values = ["payments", "search"]
    team.valueAliases = ["pay": "payments"]
    var env = TagRule(key: "env")
    env.required = true
    env.values = ["prod", "staging"]
    env.scope = .field(.service, ["Amazon Elastic Compute Cloud"])
    var costCenter = TagRule(key: "cost-center")
    costCenter.pattern = "CC-[0-9]{4}"
    var policy = PolicyConfiguration()
    policy.tags = [team, env, costCenter]
    policy.exempt = [.field(.chargeCategory, ["Tax", "Credit"])]
    policy.accountDefaults = ["222222222222": ["team": "search"]]
    return policy
  }()

  static func ec2(account: String = "111111111111") -> LineAttributes {
    var line = LineAttributes()
    line.account = account
    line.service = "Amazon Elastic Compute Cloud"
    line.chargeCategory = "Usage"
    return line
  }

  /// Resolves `raw` (and `inventory`) for `line`'s account, then judges the line.
  static func verdict(
    _ raw: [(key: String, value: String)], inventory: [(key: String, value: String)] = [],
    _ line: LineAttributes = ec2(), policy: PolicyConfiguration = policy
  ) -> GroupVerdict {
    let resolved = TagResolver(policy: policy).resolve(
      raw, inventory: inventory, accountID: line.account)
    return PolicyEvaluator(policy: policy, teamKey: "team").evaluate(line, resolved: resolved)
  }

  @Test func keyAliasesAndCaseVariantsAreMerged() {
    let variants = Self.verdict([("user:Team", "payments"), ("ENV", "prod")])
    #expect(variants.status == .compliant(.bill))
    #expect(variants.team == "payments")
    let alias = Self.verdict([("Owner-Team", "search"), ("env", "staging")])
    #expect(alias.status == .compliant(.bill))
    #expect(alias.team == "search")
    // Two spellings that agree are one key; two that disagree are a conflict.
    #expect(
      Self.verdict([("Team", "payments"), ("team", "Payments"), ("env", "prod")]).status
        == .compliant(.bill))
    let conflict = Self.verdict([("Team", "payments"), ("team", "search"), ("env", "prod")])
    #expect(conflict.keys[0] == .conflict(pairs: "Team=payments, team=search"))
    #expect(conflict.status == .noncompliant)
  }

  @Test func valueAliasesAllowedValuesAndPatterns() {
    #expect(Self.verdict([("team", "PAY"), ("env", "prod")]).team == "payments")
    let misspelt = Self.verdict([("team", "serch"), ("env", "prod")])
    #expect(misspelt.keys[0] == .invalid(value: "serch", suggestion: "search"))
    let badPattern = Self.verdict([("team", "search"), ("env", "prod"), ("cost-center", "CC-12")])
    #expect(badPattern.keys[2] == .invalid(value: "CC-12", suggestion: nil))
    let goodPattern = Self.verdict([
      ("team", "search"), ("env", "prod"), ("cost-center", "CC-1234"),
    ])
    #expect(goodPattern.status == .compliant(.bill))
    // The optional key may be absent.
    #expect(Self.verdict([("team", "search"), ("env", "prod")]).keys[2] == .compliant(nil))
  }

  @Test func scopeLimitsWhereAKeyIsJudged() {
    var s3 = LineAttributes()
    s3.account = "111111111111"
    s3.service = "Amazon Simple Storage Service"
    let verdict = Self.verdict([("team", "search")], s3)
    #expect(verdict.keys[1] == .outOfScope)
    #expect(verdict.status == .compliant(.bill))
    #expect(Self.verdict([("team", "search")]).keys[1] == .missing)
  }

  @Test func exemptLinesAreNotJudged() {
    var tax = Self.ec2()
    tax.chargeCategory = "Tax"
    let verdict = Self.verdict([], tax)
    #expect(verdict.status == .exempt)
    #expect(verdict.keys.allSatisfy { $0 == .exempt })
  }

  @Test func accountDefaultsFillMissingKeysOnly() {
    let inherited = Self.verdict([("env", "prod")], Self.ec2(account: "222222222222"))
    #expect(inherited.status == .compliant(.accountDefault))
    #expect(inherited.team == "search")
    // A key the bill has, even with a bad value, is not replaced by the default.
    let own = Self.verdict(
      [("team", "nobody"), ("env", "prod")], Self.ec2(account: "222222222222"))
    #expect(own.keys[0] == .invalid(value: "nobody", suggestion: nil))
  }

  /// The bill has no tags for the resource; the inventory has them.
  @Test func inventoryTagsFillAResourceUntaggedInTheBill() {
    let filled = Self.verdict([], inventory: [("Team", "payments"), ("env", "prod")])
    #expect(filled.status == .compliant(.inventory))
    #expect(filled.keys[0] == .compliant(.inventory))
    #expect(filled.team == "payments")
    // The bill's own tags win over the inventory's.
    let billFirst = Self.verdict(
      [("team", "search"), ("env", "prod")], inventory: [("team", "payments")])
    #expect(billFirst.team == "search")
    #expect(billFirst.status == .compliant(.bill))
    // inventory_fills_gaps: false ignores them.
    var strict = Self.policy
    strict.inventoryFillsGaps = false
    let ignored = Self.verdict(
      [], inventory: [("team", "payments"), ("env", "prod")], policy: strict)
    #expect(ignored.keys[0] == .missing)
  }

  /// `enforce_key_case`: `costcenter` folds into `CostCenter` (the value still counts) but the
  /// spelling is a problem, as AWS tag policies have it.
  @Test func enforcedKeyCaseFlagsOtherSpellings() {
    var rule = TagRule(key: "CostCenter")
    rule.required = true
    rule.enforceKeyCase = true
    rule.values = ["100", "300*"]
    rule.caseSensitiveValues = true
    var policy = PolicyConfiguration()
    policy.tags = [rule]
    #expect(Self.verdict([("user:CostCenter", "100")], policy: policy).status == .compliant(.bill))
    #expect(
      Self.verdict([("costcenter", "100")], policy: policy).keys[0]
        == .miscased(keys: ["costcenter"]))
    #expect(Self.verdict([("CostCenter", "3007")], policy: policy).status == .compliant(.bill))
    #expect(
      Self.verdict([("CostCenter", "400")], policy: policy).keys[0]
        == .invalid(value: "400", suggestion: "100"))
  }
}
