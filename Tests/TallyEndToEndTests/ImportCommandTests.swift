import Foundation
import Testing

/// `tally import` and `tally summary` through the real binary: output, exit codes, and a
/// database left as it was when a file is bad.
@Suite struct ImportCommandTests {
  static let cur = TallyBinary.fixture("cur/every-line-item-type.csv")

  /// The fixture's month by hand (see AWSCURMapperTests): billed and effective 17.75000012;
  /// list 24.75000012 = public on-demand costs 10 + 2 + 5 + 1.2E-7 on the lines that have one,
  /// billed cost on the 9 lines without (−2.00 negation counts 0), i.e. 17.00000012 + 7.75.
  @Test func importsAndSummarises() throws {
    let scratch = try ScratchDirectory()
    let db = scratch.file("t.sqlite")
    let imported = try TallyBinary.run(["--db", db, "import", Self.cur])
    #expect(imported.status == 0)
    #expect(imported.stdout.hasPrefix("imported "))
    #expect(imported.stdout.contains("14 lines"))
    let summary = try TallyBinary.run(["--db", db, "summary", "--format", "json"])
    #expect(summary.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
    let months = try #require(json["months"] as? [[String: Any]])
    #expect(months.count == 1)
    #expect(months.first?["month"] as? String == "2026-10")
    #expect(months.first?["billed_cost"] as? String == "17.75000012")
    #expect(months.first?["effective_cost"] as? String == "17.75000012")
    #expect(months.first?["list_cost"] as? String == "24.75000012")
    #expect(months.first?["lines"] as? Int == 14)

    let again = try TallyBinary.run(["--db", db, "import", Self.cur])
    #expect(again.status == 0)
    #expect(again.stdout.hasPrefix("skipped "))
  }

  /// A bad file among good ones: the good one is imported, the bad one named with its line and
  /// column on stderr, and the exit code is 3.
  @Test func badFileExitsThreeAndKeepsTheGoodOnes() throws {
    let scratch = try ScratchDirectory()
    let db = scratch.file("t.sqlite")
    let bad = scratch.file("bad.csv")
    try String(contentsOfFile: Self.cur, encoding: .utf8)
      .replacingOccurrences(of: ",USD,10.00,", with: ",USD,1O.00,")
      .write(toFile: bad, atomically: true, encoding: .utf8)
    let focus = TallyBinary.fixture("focus/old-names-and-quirks.csv")
    let run = try TallyBinary.run(["--db", db, "import", bad, focus])
    #expect(run.status == 3)
    #expect(run.stderr.contains("\(bad):2:14 (lineItem/UnblendedCost): expected a decimal number"))
    #expect(run.stdout.contains("failed    \(bad)"))
    #expect(run.stdout.contains("imported  \(focus)"))
    let summary = try TallyBinary.run(["--db", db, "summary", "--format", "csv"])
    #expect(!summary.stdout.contains("2026-10"))  // nothing of the bad CUR month
    #expect(summary.stdout.contains("2026-09,EUR,2,12.62,11.37,13.00,12.75"))
  }

  @Test func usageErrorsExitTwo() throws {
    #expect(try TallyBinary.run(["bogus"]).status == 2)
    #expect(try TallyBinary.run(["import"]).status == 2)
    #expect(try TallyBinary.run(["summary", "--format", "yaml"]).status == 2)
  }

  @Test func missingFileExitsThree() throws {
    let scratch = try ScratchDirectory()
    let run = try TallyBinary.run([
      "--db", scratch.file("t.sqlite"), "import", scratch.file("nope.csv"),
    ])
    #expect(run.status == 3)
    #expect(run.stderr.contains("nope.csv: no such file or directory"))
  }
}

/// A configuration error names the file and line and exits 2.
@Suite struct ConfigurationCommandTests {
  @Test func aTypoInTheConfigExitsTwo() throws {
    let scratch = try ScratchDirectory()
    let config = scratch.file("tally.yaml")
    try "database: t.sqlite\npolicy:\n  tags:\n    - key: team\n      requird: true\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let run = try TallyBinary.run(["--config", config, "summary"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(config):5: policy.tags[0]: unknown key \"requird\""))
  }
}
