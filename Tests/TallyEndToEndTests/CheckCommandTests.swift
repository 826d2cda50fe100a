import Foundation
import Testing

/// `tally check` and `tally config check` through the real binary, on the policy fixture of the
/// unit tests (`policy/month.csv` and `policy/tally.yaml`; expectations in PolicyRunTests).
@Suite struct CheckCommandTests {
  static let month = TallyBinary.fixture("policy/month.csv")
  static let config = TallyBinary.fixture("policy/tally.yaml")

  static func e2eFixture(_ name: String) -> String {
    TallyBinary.repository.appendingPathComponent("Tests/TallyEndToEndTests/Fixtures/\(name)").path
  }

  /// A database with the fixture imported, in a folder that lives as long as the value.
  final class Imported {
    let scratch: ScratchDirectory
    let db: String

    init() throws {
      scratch = try ScratchDirectory()
      db = scratch.file("t.sqlite")
      #expect(try TallyBinary.run(["--db", db, "import", CheckCommandTests.month]).status == 0)
    }
  }

  /// The DESIGN.md shape: month, cost_basis, overall and keys, money as decimal strings and
  /// ratios as numbers. Effective cost: compliant 90 + 90 + 50 + 8, non-compliant 133.
  @Test func jsonHasTheDocumentedShape() throws {
    let imported = try Imported()
    defer { withExtendedLifetime(imported) {} }
    let db = imported.db
    let run = try TallyBinary.run([
      "--db", db, "--config", Self.config, "check", "--format", "json",
    ])
    #expect(run.status == 0)
    #expect(run.stderr.contains("evaluated 2026-10"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(json["month"] as? String == "2026-10")
    #expect(json["cost_basis"] as? String == "effective")
    let overall = try #require(json["overall"] as? [String: Any])
    #expect(overall["compliant_cost"] as? String == "238.00")
    #expect(overall["noncompliant_cost"] as? String == "133.00")
    #expect(overall["exempt_cost"] as? String == "1.00")
    #expect(abs((overall["compliance"] as? Double ?? 0) - 238.0 / 371.0) < 1e-6)
    let keys = try #require(json["keys"] as? [[String: Any]])
    #expect(keys.map { $0["key"] as? String } == ["team", "env", "cost-center"])
    #expect(keys[0]["resources"] as? Int == 9)
    #expect(keys[0]["noncompliant_resources"] as? Int == 4)
    #expect(keys[0]["compliant_cost"] is String)
    #expect(keys[0]["compliance"] is Double)
  }

  /// Effective compliance is 238 ÷ 371 = 64.2%.
  @Test func failUnderGatesOnOverallCompliance() throws {
    let imported = try Imported()
    defer { withExtendedLifetime(imported) {} }
    let db = imported.db
    let failing = try TallyBinary.run([
      "--db", db, "--config", Self.config, "check", "--fail-under", "70",
    ])
    #expect(failing.status == 1)
    #expect(failing.stdout.contains("FAILED: overall compliance 64.2% < 70.0%"))
    let passing = try TallyBinary.run([
      "--db", db, "--config", Self.config, "check", "--fail-under", "64",
    ])
    #expect(passing.status == 0)
    #expect(!passing.stderr.contains("evaluated"))  // results were current: not evaluated again
  }

  @Test func listPrintsTheTopOffenders() throws {
    let imported = try Imported()
    defer { withExtendedLifetime(imported) {} }
    let db = imported.db
    let run = try TallyBinary.run([
      "--db", db, "--config", Self.config, "check", "--list", "--limit", "3", "--format", "csv",
    ])
    #expect(run.status == 0)
    let lines = run.stdout.split(separator: "\r\n")
    #expect(lines.count == 4)
    #expect(lines[0] == "resource,account,service,team,noncompliant_cost,since,problems")
    #expect(
      lines[1].hasPrefix("i-003,111111111111,Amazon Elastic Compute Cloud,search,40.00,2026-10,"))
    #expect(lines[2].contains("team=\"\"Paymnts\"\" not allowed (did you mean \"\"payments\"\"?)"))
    #expect(lines[3].hasPrefix("i-005,111111111111,Amazon Elastic Compute Cloud,,20.00,2026-09,"))
  }

  @Test func aTypoInTheConfigExitsTwoWithFileAndLine() throws {
    let imported = try Imported()
    defer { withExtendedLifetime(imported) {} }
    let db = imported.db
    let typo = Self.e2eFixture("policy/typo.yaml")
    let run = try TallyBinary.run(["--db", db, "--config", typo, "check"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(typo):4: policy.tags[0]: unknown key \"requird\""))
    let checked = try TallyBinary.run(["config", "check", typo])
    #expect(checked.status == 2)
    #expect(checked.stderr.contains("did you mean \"required\""))
  }

  @Test func anInvalidRegexExitsTwoWithFileAndLine() throws {
    let bad = Self.e2eFixture("policy/bad-regex.yaml")
    let run = try TallyBinary.run(["config", "check", bad])
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(bad):6: policy.tags[1].pattern: invalid regular expression"))
  }

  @Test func configCheckSummarisesAValidFile() throws {
    let run = try TallyBinary.run(["config", "check", Self.config])
    #expect(run.status == 0)
    #expect(run.stdout.hasPrefix("\(Self.config): ok\n"))
    #expect(run.stdout.contains("policy: 3 tag keys, 1 exemption, default tags for 1 account"))
    let aws = TallyBinary.fixture("policy/aws/aws.yaml")
    let effective = try TallyBinary.run(["config", "check", aws, "--aws-effective"])
    #expect(effective.status == 0)
    #expect(effective.stdout.contains("\"tag_value\": [\"100\", \"300*\"]"))
  }

  @Test func helpPrintsTheOptionsAndExitsZero() throws {
    let help = try TallyBinary.run(["check", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--fail-under"))
    #expect(try TallyBinary.run(["--help"]).status == 0)
  }
}
