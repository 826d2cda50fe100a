import Foundation
import Testing

/// `tally nightly` killed with `kill -9` at exact points, and run twice at once, through the
/// real binary. The points are reached with `TALLY_PAUSE_AT` (the binary stops itself there;
/// see `PausePoint`), so nothing depends on timing.
@Suite struct NightlyFaultTests {
  /// The fixture CUR again under another payer: a second delivery stream with the same lines,
  /// so the month's totals double (14 → 28 lines, billed 17.75000012 → 35.50000024).
  static func addSecondPayer(to scratch: ScratchDirectory) throws {
    let fixture = try String(
      contentsOfFile: TallyBinary.fixture("cur/every-line-item-type.csv"), encoding: .utf8)
    try fixture.replacingOccurrences(of: "000111222333", with: "000999888777").write(
      toFile: scratch.file("exports/aws/second-payer.csv"), atomically: true, encoding: .utf8)
  }

  func statuses(_ scratch: ScratchDirectory) throws -> [String] {
    let runs = try TallyBinary.run(["runs", "--format", "json"], in: scratch.path)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [String: Any])
    return try #require(json["runs"] as? [[String: Any]]).compactMap { $0["status"] as? String }
  }

  func summary(_ scratch: ScratchDirectory) throws -> String {
    try TallyBinary.run(["summary", "--format", "csv"], in: scratch.path).stdout
  }

  /// Hidden staging folders left under `reports/`.
  func staging(_ scratch: ScratchDirectory) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: scratch.file("reports")).filter {
      $0.hasPrefix(".staging-")
    }
  }

  @Test func killedDuringAnImportThenANormalRun() throws {
    let scratch = try NightlyCommandTests.makeSetup()
    #expect(try TallyBinary.run(["nightly"], in: scratch.path).status == 0)
    try Self.addSecondPayer(to: scratch)
    let killed = try BackgroundTally(["nightly"], in: scratch.path, pausingAt: "import")
    #expect(killed.waitForPause(), "the run reaches the import of the new delivery")
    killed.kill9()

    // The killed delivery's transaction never committed: the store is as after run 1.
    #expect(try summary(scratch).contains("2026-10,USD,14,17.75000012,"))
    #expect(try statuses(scratch) == ["running", "ok"])

    let next = try TallyBinary.run(["nightly"], in: scratch.path)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(next.stderr.contains("run #2 was interrupted"))
    #expect(try statuses(scratch) == ["ok", "interrupted", "ok"])
    #expect(try summary(scratch).contains("2026-10,USD,28,35.50000024,"))
    let page = try String(
      contentsOfFile: scratch.file("reports/2026-10/index.html"), encoding: .utf8)
    #expect(page.contains("35.50 USD"))
    #expect(try staging(scratch).isEmpty)
  }

  /// Killed after the report was staged, before it was swapped in: the old report stays
  /// published, and the next run publishes the new one and removes the staging folder.
  @Test func killedWhileRenderingThenANormalRun() throws {
    let scratch = try NightlyCommandTests.makeSetup()
    #expect(try TallyBinary.run(["nightly"], in: scratch.path).status == 0)
    let published = scratch.file("reports/2026-10/index.html")
    #expect(try String(contentsOfFile: published, encoding: .utf8).contains("17.75 USD"))
    try Self.addSecondPayer(to: scratch)
    let killed = try BackgroundTally(["nightly"], in: scratch.path, pausingAt: "report")
    #expect(killed.waitForPause(), "the run reaches the report of 2026-10")
    killed.kill9()

    #expect(try String(contentsOfFile: published, encoding: .utf8).contains("17.75 USD"))
    #expect(try staging(scratch).count == 1, "the half-published report is only staged")
    #expect(try summary(scratch).contains("2026-10,USD,28,35.50000024,"))

    let next = try TallyBinary.run(["nightly", "--verbose"], in: scratch.path)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(next.stderr.contains("run #2 was interrupted"))
    #expect(next.stderr.contains("report 2026-10"), "the month is made again")
    let page = try String(contentsOfFile: published, encoding: .utf8)
    #expect(page.contains("35.50 USD"))
    #expect(page.contains("Run #3 of tally nightly"))
    #expect(page.contains("against run #1"), "the diff is against the last successful run")
    #expect(try staging(scratch).isEmpty)
    #expect(try statuses(scratch) == ["ok", "interrupted", "ok"])
    let quiet = try TallyBinary.run(["nightly", "--verbose"], in: scratch.path)
    #expect(!quiet.stderr.contains("report 2026-10"), "the report is current now")
  }

  /// Two nightly runs at once: the second exits at once with code 5 naming the first's pid
  /// (stopped mid-import, holding the lock) and records nothing; the first then finishes.
  @Test func twoNightliesAtOnce() throws {
    let scratch = try NightlyCommandTests.makeSetup()
    let first = try BackgroundTally(["nightly"], in: scratch.path, pausingAt: "import")
    #expect(first.waitForPause())
    let started = Date()
    let second = try TallyBinary.run(["nightly"], in: scratch.path)
    #expect(second.status == 5)
    #expect(second.stderr.contains("another tally run holds"))
    #expect(second.stderr.contains("pid \(first.pid) since "))
    #expect(Date().timeIntervalSince(started) < 30, "it does not wait for the lock")
    repeat { first.resume() } while first.waitForPause()  // it stops at each new delivery
    let result = first.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try statuses(scratch) == ["ok"])
  }
}
