import Foundation
import Testing

/// `tally report` and the commitments stage, through the binary: with a `commitments` section
/// the month's results are computed when missing and again when the section changes; without
/// one nothing is computed and the section says so.
@Suite struct ReportCommitmentsTests {
  let directory: ScratchDirectory
  let database: String

  /// A store with the sample AWS bill of 2026-09 and the hand-built CUR fixture as 2026-10.
  init() throws {
    directory = try ScratchDirectory()
    database = directory.file("t.sqlite")
    let imported = try TallyBinary.run([
      "--db", database, "import",
      TallyBinary.repository.appendingPathComponent("sample-bills/aws-cur-2026-09.csv").path,
      TallyBinary.fixture("cur/every-line-item-type.csv"),
    ])
    #expect(imported.status == 0, "\(imported.stderr)")
  }

  private func report(config: String?) throws -> String {
    let out = directory.file("out")
    let arguments =
      ["--db", database] + (config.map { ["--config", $0] } ?? [])
      + ["report", "--month", "2026-10", "--out", out]
    let result = try TallyBinary.run(arguments, in: directory.path)
    #expect(result.status == 0, "\(result.stderr)")
    return "\(out)/2026-10"
  }

  @Test func missingThenStaleResultsAreComputedBeforeRendering() throws {
    let config = directory.file("tally.yaml")
    try "commitments:\n  term: 1yr\n".write(toFile: config, atomically: true, encoding: .utf8)
    let first = try report(config: config)
    // sp-1 and ri-1 of the fixture (see OwnedCommitmentsTests): unused 0.20 and 1.00.
    let owned = try String(contentsOfFile: "\(first)/owned-commitments.csv", encoding: .utf8)
    #expect(owned.contains("savingsplan/sp-1,aws,USD,Savings Plan,Spend,,,,,1.30,0.20,"))
    #expect(
      owned.contains("reserved-instances/ri-1,aws,USD,Reserved Instance,Usage,,,,,4.00,1.00,"))
    let recommendations = try String(
      contentsOfFile: "\(first)/recommendations.csv", encoding: .utf8)
    #expect(recommendations.contains(",USD,1yr,no-upfront,"))
    #expect(!recommendations.contains(",3yr,"))

    try "commitments:\n  term: 3yr\n".write(toFile: config, atomically: true, encoding: .utf8)
    let second = try report(config: config)
    let again = try String(contentsOfFile: "\(second)/recommendations.csv", encoding: .utf8)
    #expect(again.contains(",USD,3yr,no-upfront,"))
    #expect(!again.contains(",1yr,"))
  }

  @Test func withoutTheSectionNothingIsComputed() throws {
    let folder = try report(config: nil)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder)
    #expect(!files.contains("owned-commitments.csv") && !files.contains("recommendations.csv"))
    let index = try String(contentsOfFile: "\(folder)/index.html", encoding: .utf8)
    #expect(index.contains("no commitment results are stored for 2026-10"))
  }
}
