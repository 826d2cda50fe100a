import Foundation
import Testing

@testable import TallyKit

/// AWS tag policies read directly. The fixtures in `policy/aws/` are hand-written; the
/// effective policy `effective.json` was worked out by hand from AWS's merge rules:
///
/// - root (`root-a.json`, then `root-b.json`): costcenter = CostCenter (key locked with
///   `@@none`), values [100, 200] (children may only append or remove), enforced for
///   ec2:instance; project = Project, [alpha, beta, gamma]. root-b assigns PROJECT — ignored,
///   the first assignment of a level wins — and lets children only remove project values.
/// - OU (`ou.json`, indented with tabs): costcenter's key → ignored (locked); values += 300*;
///   enforced_for += rds:db; project values += delta (ignored: only @@remove allowed), −gamma.
/// - account (`account.json`): costcenter values −200; a new key Environment with no tag_key
///   (so the required spelling is `environment`) and values [prod, staging].
@Suite struct AWSTagPolicyTests {
  static func fixture(_ name: String) -> String { TestPaths.fixture("policy/aws/\(name)") }

  static func merged() throws -> (policy: AWSTagPolicy, notes: [String]) {
    try AWSTagPolicy.merging(
      levels: [
        [fixture("root-a.json"), fixture("root-b.json")], [fixture("ou.json")],
        [fixture("account.json")],
      ], namedIn: "t.yaml", line: 1)
  }

  @Test func authoredPoliciesMergeToTheDocumentedEffectivePolicy() throws {
    let (policy, _) = try Self.merged()
    let expected = try AWSTagPolicy.read(file: Self.fixture("effective.json"))
    #expect(policy == expected)
    #expect(policy.keys.map(\.requiredTagKey) == ["CostCenter", "Project", "environment"])
    #expect(policy.keys[0].tagValues == ["100", "300*"])
    #expect(policy.keys[0].enforcedFor == ["ec2:instance", "rds:db"])
    #expect(policy.keys[1].tagValues == ["alpha", "beta"])
  }

  @Test func ignoredOperationsAreReportedWithFileAndLine() throws {
    let (_, notes) = try Self.merged()
    #expect(notes.count == 3)
    #expect(notes[0].contains("root-b.json:1: ignored tags.project.tag_key"))
    #expect(notes[0].contains("same level"))
    #expect(notes[1].contains("ou.json:4: ignored tags.costcenter.tag_key.@@assign"))
    #expect(notes[1].contains("allows only no operator"))
    #expect(notes[2].contains("ou.json:9: ignored tags.project.tag_value.@@append"))
  }

  /// The output of `aws organizations describe-effective-policy` holds the policy as a string.
  @Test func readsTheDescribeEffectivePolicyOutput() throws {
    let described = try AWSTagPolicy.read(file: Self.fixture("describe-effective-policy.json"))
    #expect(described == (try AWSTagPolicy.read(file: Self.fixture("effective.json"))))
  }

  @Test func effectiveJSONReadsBackAsTheSamePolicy() throws {
    let (policy, _) = try Self.merged()
    let directory = try TemporaryDirectory()
    let file = directory.file("effective.json")
    try policy.effectiveJSON().write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try AWSTagPolicy.read(file: file) == policy)
  }

  /// Each key becomes a required rule, spelt as tag_key, values compared exactly, on AWS lines
  /// of the enforced resource types.
  @Test func keysBecomeRules() throws {
    let rules = try AWSTagPolicy.read(file: Self.fixture("effective.json")).rules()
    #expect(rules.map(\.key) == ["CostCenter", "Project", "environment"])
    #expect(rules.allSatisfy { $0.required && $0.enforceKeyCase && $0.caseSensitiveValues })
    #expect(
      rules[0].scope
        == .all([
          .field(.provider, ["AWS", "Amazon Web Services"]),
          .awsResourceType(["ec2:instance", "rds:db"]),
        ]))
    #expect(rules[1].scope == .all([.field(.provider, ["AWS", "Amazon Web Services"])]))
  }

  @Test func mistakesNameTheFileAndLine() throws {
    let directory = try TemporaryDirectory()
    func error(_ json: String) throws -> ConfigurationError {
      let file = directory.file("p.json")
      try json.write(toFile: file, atomically: true, encoding: .utf8)
      return try #require(throws: ConfigurationError.self) { try AWSTagPolicy.read(file: file) }
    }
    let typo = try error(
      """
      {
        "tags": {
          "team": {
            "tag_value": { "@@apend": ["a"] }
          }
        }
      }
      """)
    #expect(typo.line == 4)
    #expect(typo.message.contains("unknown key \"@@apend\"; did you mean \"@@append\"?"))
    let wildcards = try error(#"{"tags": {"owner": {"tag_value": {"@@assign": ["*@*.com"]}}}}"#)
    #expect(wildcards.message.contains("one * wildcard"))
    let global = try error(#"{"tags": {"team": {"enforced_for": {"@@assign": ["*:instance"]}}}}"#)
    #expect(global.message.contains("name the service"))
    let mismatch = try error(#"{"tags": {"team": {"tag_key": {"@@assign": "Owner"}}}}"#)
    #expect(mismatch.message.contains("must be the policy key"))
    let append = try error(#"{"tags": {"team": {"tag_key": {"@@append": "Team"}}}}"#)
    #expect(append.message.contains("tag_key takes @@assign"))
    let notJSON = try error("{\"tags\": {\"team\": [}\n")
    #expect(notJSON.file.hasSuffix("p.json"))
  }

  @Test func theConfigNamesLevelsAndMissingFiles() throws {
    let configuration = try Configuration.load(from: Self.fixture("aws.yaml"))
    #expect(configuration.policy.awsTagPolicies.map(\.count) == [2, 1, 1])
    #expect(configuration.policy.tags.map(\.key) == ["CostCenter", "Project", "environment"])
    #expect(configuration.policy.tags[0].origin?.hasSuffix("root-a.json") == true)
    #expect(configuration.policy.awsTagPolicyNotes.count == 3)

    let directory = try TemporaryDirectory()
    let config = directory.file("tally.yaml")
    try "policy:\n  aws_tag_policy: missing.json\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration.load(from: config)
    }
    #expect(error.file == config)
    #expect(error.line == 2)
    #expect(error.message.contains("missing.json"))
  }

  @Test func aKeyInBothTallyYAMLAndTheAWSPolicyIsAnError() throws {
    let directory = try TemporaryDirectory()
    let config = directory.file("tally.yaml")
    try """
    policy:
      tags:
        - key: costcenter
      aws_tag_policy: \(Self.fixture("effective.json"))
    """.write(toFile: config, atomically: true, encoding: .utf8)
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration.load(from: config)
    }
    #expect(error.message.contains("also belongs to policy.tags: costcenter"))
  }
}
