import Testing

@testable import TallyKit

/// `tally.yaml` is read strictly: unknown keys and bad values name the file and line.
@Suite struct ConfigurationTests {
  static let example = """
    database: data/tally.sqlite
    sources:
      - name: aws-cur
        paths: ["exports/aws/**/*.csv.gz"]
    policy:
      tags:
        - key: team
          aliases: [Team, owner-team]
          required: true
          values: [payments, search, data, platform, ml]
          value_aliases: { pay: payments }
        - key: cost-center
          pattern: '^CC-[0-9]{4}$'
      exempt:
        - charge_category: [Tax, Credit]
      account_defaults:
        "111122223333": { team: platform }
    allocation:
      by: team
      cost: effective
    reports:
      out: reports
    """

  @Test func readsTheDocumentedExample() throws {
    let configuration = try Configuration(yaml: Self.example, file: "tally.yaml")
    #expect(configuration.database == "data/tally.sqlite")
    #expect(configuration.sources.map(\.name) == ["aws-cur"])
    #expect(configuration.policy.tags.map(\.key) == ["team", "cost-center"])
    #expect(configuration.policy.tags[0].aliases == ["Team", "owner-team"])
    #expect(configuration.policy.tags[0].valueAliases == ["pay": "payments"])
    #expect(configuration.policy.tags[1].pattern == "^CC-[0-9]{4}$")
    #expect(configuration.policy.exempt == [.field(.chargeCategory, ["Tax", "Credit"])])
    #expect(configuration.policy.accountDefaults == ["111122223333": ["team": "platform"]])
    #expect(configuration.allocation.cost == .effective)
  }

  /// `requird` is on line 4 of this text; the error names it and suggests `required`.
  @Test func aTypoInAKeyNamesItsLine() throws {
    let yaml = """
      policy:
        tags:
          - key: team
            requird: true
      """
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: yaml, file: "t.yaml")
    }
    #expect(error.file == "t.yaml")
    #expect(error.line == 4)
    #expect(error.message.contains("unknown key \"requird\""))
    #expect(error.message.contains("did you mean \"required\""))
  }

  /// The bad pattern is on line 4.
  @Test func anInvalidRegexNamesItsLine() throws {
    let yaml = """
      policy:
        tags:
          - key: cost-center
            pattern: '^CC-[0-9{4}$'
      """
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: yaml, file: "t.yaml")
    }
    #expect(error.line == 4)
    #expect(error.message.contains("invalid regular expression"))
  }

  @Test func unknownTopLevelKeyAndBadValues() throws {
    let typo = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: "databse: x.sqlite\n", file: "t.yaml")
    }
    #expect(typo.line == 1)
    #expect(typo.message.contains("did you mean \"database\""))
    let badCost = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: "allocation:\n  cost: amortised\n", file: "t.yaml")
    }
    #expect(badCost.line == 2)
    #expect(badCost.message.contains("expected one of effective, billed, list"))
    let badCategory = try #require(throws: ConfigurationError.self) {
      try Configuration(
        yaml: "policy:\n  exempt:\n    - charge_category: [Taxes]\n", file: "t.yaml")
    }
    #expect(badCategory.line == 3)
  }

  @Test func invalidYAMLNamesItsLine() throws {
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: "policy:\n  tags: [a, b\n", file: "t.yaml")
    }
    #expect(error.message.hasPrefix("not valid YAML"))
    #expect(error.line != nil)
  }

  @Test func conditionsMatchLines() throws {
    let yaml = """
      policy:
        exempt:
          - any: [ { charge_category: [Tax] }, { service: ["aws support (business)"] } ]
          - { resource: ["arn:aws:s3:::logs-*"], not: { tags: { team: "*" } } }
      """
    let exempt = try Configuration(yaml: yaml, file: "t.yaml").policy.exempt
    var tax = LineAttributes()
    tax.chargeCategory = "Tax"
    var support = LineAttributes()
    support.service = "AWS Support (Business)"
    var logs = LineAttributes()
    logs.resourceID = "arn:aws:s3:::logs-eu"
    var taggedLogs = logs
    taggedLogs.tags = ["team": "data"]
    #expect(exempt[0].matches(tax))
    #expect(exempt[0].matches(support))  // names compare case-insensitively
    #expect(!exempt[0].matches(logs))
    #expect(exempt[1].matches(logs))
    #expect(!exempt[1].matches(taggedLogs))
  }

  @Test func readsTheKeysThePolicyStageAdded() throws {
    let yaml = """
      policy:
        tags:
          - key: CostCenter
            enforce_key_case: true
            values: ["300*"]
            scope: { aws_resource_type: [ec2:instance, "rds:*"] }
        aws_tag_policy: [root.json, [ou-a.json, ou-b.json]]
      """
    let policy = try Configuration(yaml: yaml, file: "t.yaml").policy
    #expect(policy.tags[0].enforceKeyCase)
    #expect(policy.tags[0].scope == .awsResourceType(["ec2:instance", "rds:*"]))
    #expect(policy.awsTagPolicies == [["root.json"], ["ou-a.json", "ou-b.json"]])
    #expect(policy.inputs.awsResourceType)
    let single = try Configuration(yaml: "policy:\n  aws_tag_policy: p.json\n", file: "t.yaml")
    #expect(single.policy.awsTagPolicies == [["p.json"]])
  }

  @Test func aBadResourceTypeNamesItsLine() throws {
    let yaml = """
      policy:
        exempt:
          - aws_resource_type: [ec2]
      """
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: yaml, file: "t.yaml")
    }
    #expect(error.line == 3)
    #expect(error.message.contains("expected service:type"))
  }
}
