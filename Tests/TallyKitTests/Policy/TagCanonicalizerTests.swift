import Testing

@testable import TallyKit

/// Canonical keys and values, each expectation worked out by hand from the rules below.
@Suite struct TagCanonicalizerTests {
  static let policy: PolicyConfiguration = {
    var team = TagRule(key: "team")
    team.aliases = ["owner-team"]
    team.values = ["payments", "search", "data"]
    team.valueAliases = ["pay": "payments"]
    var cost = TagRule(key: "cost-center")
    cost.pattern = "CC-[0-9]{4}"
    var env = TagRule(key: "Env")
    env.caseSensitiveKey = true
    var policy = PolicyConfiguration()
    policy.tags = [team, cost, env]
    return policy
  }()

  @Test func foldsKeyAliasesCaseAndPrefixes() {
    let canonical = TagCanonicalizer(policy: Self.policy)
    #expect(canonical.canonicalKey("user:Team").key == "team")
    #expect(canonical.canonicalKey("user_team").key == "team")
    #expect(canonical.canonicalKey(" Owner-Team ").key == "team")
    #expect(canonical.canonicalKey("Env").key == "Env")
    #expect(canonical.canonicalKey("env").key == "env")  // case-sensitive rule: no match
    #expect(canonical.canonicalKey("aws:createdBy").key == "aws:createdby")
  }

  @Test func valuesAreTrimmedAliasedAndSpeltAsAllowed() {
    let canonical = TagCanonicalizer(policy: Self.policy)
    let tags = canonical.canonicalize([
      ("user:team", " Payments "), ("cost-center", "CC-1234"), ("Env", "prod"),
    ])
    #expect(tags.validValue("team") == "payments")
    #expect(tags.validValue("cost-center") == "CC-1234")
    #expect(canonical.canonicalize([("team", "PAY")]).validValue("team") == "payments")
  }

  @Test func invalidValuesCarryANearMiss() {
    let canonical = TagCanonicalizer(policy: Self.policy)
    let tags = canonical.canonicalize([("team", "Paymnts"), ("cost-center", "cc-12")])
    #expect(tags.tags["team"]?.status == .invalidValue(suggestion: "payments"))
    #expect(tags.tags["cost-center"]?.status == .invalidValue(suggestion: nil))
    #expect(tags.validValue("team") == nil)
    #expect(
      canonical.canonicalize([("team", "")]).tags["team"]?.status == .invalidValue(suggestion: nil))
  }

  /// `Team=search` and `team=data` on one resource disagree: the key is in conflict. When they
  /// agree after folding (`Team=Payments`, `team=payments`) there is no conflict.
  @Test func disagreeingRawKeysAreAConflict() {
    let canonical = TagCanonicalizer(policy: Self.policy)
    let conflict = canonical.canonicalize([("user:Team", "search"), ("user:team", "data")])
    #expect(conflict.tags["team"]?.status == .conflict)
    #expect(conflict.tags["team"]?.rawKeys == ["user:Team", "user:team"])
    #expect(conflict.validValue("team") == nil)
    let agreeing = canonical.canonicalize([("user:Team", "Payments"), ("user:team", "payments")])
    #expect(agreeing.validValue("team") == "payments")
  }

  /// `*` in an allowed value matches any run of characters; other values are still respelt.
  @Test func wildcardValues() {
    var owner = TagRule(key: "owner")
    owner.values = ["*@example.com", "Platform"]
    var policy = PolicyConfiguration()
    policy.tags = [owner]
    let canonical = TagCanonicalizer(policy: policy)
    #expect(
      canonical.canonicalize([("owner", "ana@example.com")]).validValue("owner")
        == "ana@example.com")
    #expect(canonical.canonicalize([("owner", "platform")]).validValue("owner") == "Platform")
    #expect(
      canonical.canonicalize([("owner", "ana@example.org")]).tags["owner"]?.status
        == .invalidValue(suggestion: nil))
    #expect(TagCanonicalizer.wildcardMatches("300*", "3001", caseSensitive: true))
    #expect(TagCanonicalizer.wildcardMatches("a*b*c", "axxbyyc", caseSensitive: true))
    #expect(!TagCanonicalizer.wildcardMatches("a*b*c", "axxbyy", caseSensitive: true))
    #expect(!TagCanonicalizer.wildcardMatches("A*", "abc", caseSensitive: true))
    #expect(TagCanonicalizer.wildcardMatches("A*", "abc", caseSensitive: false))
  }

  @Test func enforcedKeyCaseRecordsOtherSpellings() {
    var cost = TagRule(key: "CostCenter")
    cost.enforceKeyCase = true
    var policy = PolicyConfiguration()
    policy.tags = [cost]
    let canonical = TagCanonicalizer(policy: policy)
    let tags = canonical.canonicalize([("user:CostCenter", "1"), ("costcenter", "1")])
    #expect(tags.tags["CostCenter"]?.miscasedKeys == ["costcenter"])
    #expect(tags.validValue("CostCenter") == "1")
  }
}
