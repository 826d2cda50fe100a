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

/// Detection and the new formats through the binary: exit codes, diagnostics, format names.
@Suite struct FormatsCommandTests {
  /// A file tally cannot recognise fails with exit code 3 (input error) and a message that says
  /// what was looked for.
  @Test func unrecognisedFileExitsWithCode3() throws {
    let scratch = try ScratchDirectory()
    let run = try TallyBinary.run([
      "--db", scratch.file("t.sqlite"), "import",
      TallyBinary.endToEndFixture("unrecognised.csv"),
    ])
    #expect(run.status == 3)
    #expect(run.stderr.contains("unrecognised.csv:1"))
    #expect(run.stderr.contains("looked for"))
  }

  /// Malformed files of the new formats fail with exit code 3 and a diagnostic naming the
  /// file, the line and the column; the database keeps what it had.
  @Test(arguments: [
    ("bad-tags.csv", ":3:33 (Tags, character 8): bad JSON in the tags"),
    ("bad-date.jsonl", ":2 (usage_start_time): expected a timestamp"),
    ("bad-page.json", ":4:3: bad JSON"),
  ])
  func malformedFilesExitWithCode3(_ name: String, _ diagnostic: String) throws {
    let scratch = try ScratchDirectory()
    let database = scratch.file("t.sqlite")
    let good = try TallyBinary.run([
      "--db", database, "import", TallyBinary.endToEndFixture("azure-on-demand.csv"),
    ])
    #expect(good.status == 0, "\(good.stderr)")
    let before = try TallyBinary.run(["--db", database, "summary", "--format", "json"])
    let run = try TallyBinary.run([
      "--db", database, "import", TallyBinary.endToEndFixture(name),
    ])
    #expect(run.status == 3)
    #expect(run.stderr.contains(name + diagnostic), "\(run.stderr)")
    #expect(run.stdout.contains("failed"))
    let after = try TallyBinary.run(["--db", database, "summary", "--format", "json"])
    #expect(after.stdout == before.stdout)
  }

  /// Each import line names the format and version detected, and JSON output carries the
  /// kind, the resources of an inventory and the notes.
  @Test func importLinesNameTheFormat() throws {
    let scratch = try ScratchDirectory()
    let run = try TallyBinary.run([
      "--db", scratch.file("t.sqlite"), "import",
      TallyBinary.endToEndFixture("azure-on-demand.csv"),
      TallyBinary.endToEndFixture("generic-inventory.csv"),
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("azure-on-demand.csv: azure-ea cost c360, 2 lines"))
    #expect(run.stdout.contains("note: no reservation or savings plan rows"))
    #expect(run.stdout.contains("generic-inventory.csv: inventory generic-csv csv, 1 resources"))
    let json = try TallyBinary.run([
      "--db", scratch.file("u.sqlite"), "import", "--format", "json",
      TallyBinary.endToEndFixture("generic-inventory.csv"),
    ])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let delivery = try #require((object["deliveries"] as? [[String: Any]])?.first)
    #expect(delivery["kind"] as? String == "inventory")
    #expect(delivery["resources"] as? Int == 1)
  }
}
