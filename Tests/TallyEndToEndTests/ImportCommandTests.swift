import Foundation
import Testing

/// `tally import` as a user runs it: the exit code and what it prints.
@Suite struct ImportCommandTests {
  /// A file tally cannot recognise fails with exit code 3 (input error) and a message that says
  /// what was looked for; nothing is written to standard output as an import.
  @Test func unrecognisedFileExitsWithCode3() throws {
    let scratch = try ScratchDirectory()
    let run = try TallyBinary.run([
      "--db", scratch.file("t.sqlite"), "import", TallyBinary.fixture("unrecognised.csv"),
    ])
    #expect(run.status == 3)
    #expect(run.standardError.contains("unrecognised.csv:1"))
    #expect(run.standardError.contains("looked for"))
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
      "--db", database, "import", TallyBinary.fixture("azure-on-demand.csv"),
    ])
    #expect(good.status == 0, "\(good.standardError)")
    let before = try TallyBinary.run(["--db", database, "summary", "--format", "json"])
    let run = try TallyBinary.run(["--db", database, "import", TallyBinary.fixture(name)])
    #expect(run.status == 3)
    #expect(run.standardError.contains(name + diagnostic), "\(run.standardError)")
    #expect(run.standardOutput.contains("failed"))
    let after = try TallyBinary.run(["--db", database, "summary", "--format", "json"])
    #expect(after.standardOutput == before.standardOutput)
  }

  /// Each import line names the format and version detected, and JSON output carries the
  /// kind, the resources of an inventory and the notes.
  @Test func importLinesNameTheFormat() throws {
    let scratch = try ScratchDirectory()
    let run = try TallyBinary.run([
      "--db", scratch.file("t.sqlite"), "import", TallyBinary.fixture("azure-on-demand.csv"),
      TallyBinary.fixture("generic-inventory.csv"),
    ])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("azure-on-demand.csv: azure-ea cost c360, 2 lines"))
    #expect(run.standardOutput.contains("note: no reservation or savings plan rows"))
    #expect(
      run.standardOutput.contains(
        "generic-inventory.csv: inventory generic-csv csv, 1 resources"))
    let json = try TallyBinary.run([
      "--db", scratch.file("u.sqlite"), "import", "--format", "json",
      TallyBinary.fixture("generic-inventory.csv"),
    ])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
    let delivery = try #require((object["deliveries"] as? [[String: Any]])?.first)
    #expect(delivery["kind"] as? String == "inventory")
    #expect(delivery["resources"] as? Int == 1)
  }
}
