import Foundation
import Testing

/// `tally report` brings the stored results it shows up to date first, for the stages whose
/// section the configuration has, on the allocation fixture of the library tests
/// (`allocation/two-months.csv` and its `tally.yaml`).
@Suite struct ReportCommandTests {
  let directory: ScratchDirectory
  let database: String

  init() throws {
    directory = try ScratchDirectory()
    database = directory.file("t.sqlite")
    let imported = try TallyBinary.run([
      "--db", database, "import", TallyBinary.fixture("allocation/two-months.csv"),
    ])
    #expect(imported.status == 0, "\(imported.stderr)")
  }

  /// A month allocated under one configuration is allocated again when the report's
  /// configuration differs (here: the bucket's name), and a month never evaluated is evaluated.
  @Test func staleAndMissingResultsAreRedoneBeforeRendering() throws {
    let config = directory.file("tally.yaml")
    let original = try String(
      contentsOfFile: TallyBinary.fixture("allocation/tally.yaml"), encoding: .utf8)
    try Data(original.utf8).write(to: URL(fileURLWithPath: config))
    let allocated = try TallyBinary.run(["--db", database, "--config", config, "allocate"])
    #expect(allocated.status == 0, "\(allocated.stderr)")

    #expect(original.contains("allocation:\n"))
    let renamed = original.replacingOccurrences(
      of: "allocation:\n", with: "allocation:\n  unallocated: nobody\n")
    try Data(renamed.utf8).write(to: URL(fileURLWithPath: config))
    let out = directory.file("out")
    let report = try TallyBinary.run([
      "--db", database, "--config", config, "report", "--month", "2026-10", "--out", out,
    ])
    #expect(report.status == 0, "\(report.stderr)")
    let allocation = try String(contentsOfFile: "\(out)/2026-10/allocation.csv", encoding: .utf8)
    #expect(allocation.contains(",nobody,"))
    #expect(!allocation.contains(",unallocated,"))
    #expect(FileManager.default.fileExists(atPath: "\(out)/2026-10/policy-violations.csv"))
  }

  /// Without a configuration no stage runs: the report shows what is stored (nothing) and says
  /// so.
  @Test func noSectionNoStage() throws {
    let out = directory.file("out")
    let report = try TallyBinary.run(
      ["--db", database, "report", "--month", "2026-10", "--out", out], in: directory.path)
    #expect(report.status == 0, "\(report.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: "\(out)/2026-10")
    #expect(!files.contains("policy-violations.csv") && !files.contains("allocation.csv"))
    let index = try String(contentsOfFile: "\(out)/2026-10/index.html", encoding: .utf8)
    #expect(index.contains("no current tag-policy results are stored for 2026-10"))
  }
}
