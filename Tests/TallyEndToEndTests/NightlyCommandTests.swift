import Foundation
import Testing

@testable import TallyKit

/// `tally nightly` through the real binary, as cron runs it.
@Suite struct NightlyCommandTests {
  /// A folder with a config, a good CUR and a good FOCUS file.
  static func makeSetup() throws -> ScratchDirectory {
    let scratch = try ScratchDirectory()
    try FileManager.default.createDirectory(
      atPath: scratch.file("exports/aws"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TallyBinary.fixture("cur/every-line-item-type.csv"),
      toPath: scratch.file("exports/aws/cur.csv"))
    try FileManager.default.copyItem(
      atPath: TallyBinary.fixture("focus/old-names-and-quirks.csv"),
      toPath: scratch.file("exports/focus.csv"))
    try """
    database: tally.sqlite
    sources:
      - name: aws
        paths: ["exports/aws/**/*.csv"]
      - name: focus
        paths: ["exports/*.csv"]
    reports:
      out: reports
    """.write(toFile: scratch.file("tally.yaml"), atomically: true, encoding: .utf8)
    return scratch
  }

  @Test func quietWhenAllIsWellAndNothingTwice() throws {
    let scratch = try Self.makeSetup()
    let first = try TallyBinary.run(["nightly"], in: scratch.path)
    #expect(first.status == 0)
    #expect(first.stdout.isEmpty, "cron mails any output: a good run prints nothing")
    #expect(first.stderr.isEmpty)
    let second = try TallyBinary.run(["nightly", "--verbose"], in: scratch.path)
    #expect(second.status == 0)
    #expect(second.stdout.contains("Nothing changed since run #1."))
    let runs = try TallyBinary.run(["runs", "--format", "json"], in: scratch.path)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [String: Any])
    let list = try #require(json["runs"] as? [[String: Any]])
    #expect(list.map { $0["imported"] as? Int } == [0, 2])
    #expect(list.map { $0["skipped"] as? Int } == [2, 0])
  }

  /// A provider restates October (l01: 10.00 → 12.00, and its team tag becomes markup): the
  /// third run replaces exactly that delivery, and its diff, printed, stored (`tally runs
  /// --run 3`) and in the report's "what changed" section, shows the month's billed total
  /// 17.75 → 19.75 (the unit tests' hand sum), payments losing l01's 10.00 (its only line)
  /// and the new team gaining 12.00, with the team's name escaped in the HTML.
  @Test func aRestatedMonthIsReplacedAndItsDiffReported() throws {
    let scratch = try Self.makeSetup()
    #expect(try TallyBinary.run(["nightly"], in: scratch.path).status == 0)
    let second = try TallyBinary.run(["nightly", "--verbose"], in: scratch.path)
    #expect(!second.stderr.contains("report 2026"), "an unchanged month is not rendered again")
    let cur = scratch.file("exports/aws/cur.csv")
    let lines = try String(contentsOfFile: cur, encoding: .utf8).components(separatedBy: "\n")
    try lines.map { line in
      guard line.hasPrefix("l01,") else { return line }
      return line.replacingOccurrences(of: ",USD,10.00,", with: ",USD,12.00,")
        .replacingOccurrences(of: ",payments,", with: ",<b>pay</b>,")
    }.joined(separator: "\n").write(toFile: cur, atomically: true, encoding: .utf8)
    let third = try TallyBinary.run(["nightly", "--verbose"], in: scratch.path)
    #expect(third.status == 0, "\(third.stderr)")
    #expect(third.stderr.contains("report 2026-10"))
    #expect(!third.stderr.contains("report 2026-09"), "only the restated month is rendered")
    let printed = third.stdout.split(separator: "\n").map(String.init)
    #expect(printed.first == "Changes since run #2:")
    #expect(
      printed.contains {
        $0.hasPrefix("replacing delivery: ") && $0.hasSuffix("exports/aws/cur.csv")
      })
    #expect(printed.contains("restated months: 2026-10"))
    #expect(printed.contains("billed 2026-10 USD: 17.75 → 19.75"))
    #expect(printed.contains("team <b>pay</b> 2026-10 USD: – → 12.00"))
    // l01 was payments' only line: l14's team tag conflicts with its Team tag (Payments).
    #expect(printed.contains("team payments 2026-10 USD: 10.00 → –"))

    let stored = try TallyBinary.run(["runs", "--run", "3"], in: scratch.path)
    #expect(stored.status == 0)
    #expect(stored.stdout.contains("Run #3: ok"))
    #expect(stored.stdout.hasSuffix(printed.map { $0 + "\n" }.joined()), "the same diff")

    let page = try String(
      contentsOfFile: scratch.file("reports/2026-10/index.html"), encoding: .utf8)
    #expect(page.contains("Run #3 of tally nightly"))
    #expect(page.contains("&lt;b&gt;pay&lt;/b&gt;"))
    #expect(!page.contains("<b>pay</b>"))
    #expect(page.contains(">cur.csv<"))
    #expect(page.contains(">replaced<"))
  }

  /// A corrupt file among good ones: the good ones are imported, the run exits 3 naming the bad
  /// one, and a later run with the file fixed imports it.
  @Test func aCorruptFileAmongGoodOnes() throws {
    let scratch = try Self.makeSetup()
    let bad = scratch.file("exports/aws/bad.csv")
    // Another payer, so another delivery stream of the same configured source.
    let fixture = try String(
      contentsOfFile: TallyBinary.fixture("cur/every-line-item-type.csv"), encoding: .utf8)
    let good = fixture.replacingOccurrences(of: "000111222333", with: "000999888777")
    try good.replacingOccurrences(of: ",USD,10.00,", with: ",USD,ten,").write(
      toFile: bad, atomically: true, encoding: .utf8)
    let run = try TallyBinary.run(["nightly"], in: scratch.path)
    #expect(run.status == 3)
    #expect(run.stderr.contains("bad.csv:2:14 (lineItem/UnblendedCost)"))
    #expect(run.stderr.contains("1 deliveries failed"))
    let summary = try TallyBinary.run(["summary", "--format", "csv"], in: scratch.path)
    #expect(summary.stdout.contains("2026-10,USD,14,"))  // the good CUR only
    try good.write(toFile: bad, atomically: true, encoding: .utf8)
    let fixed = try TallyBinary.run(["nightly"], in: scratch.path)
    #expect(fixed.status == 0)
    let after = try TallyBinary.run(["summary", "--format", "csv"], in: scratch.path)
    #expect(after.stdout.contains("2026-10,USD,28,"))
  }

  @Test func aSecondRunExitsWithTheLockCode() throws {
    let scratch = try Self.makeSetup()
    let held = try RunLock(database: scratch.file("tally.sqlite"))
    let run = try TallyBinary.run(["nightly"], in: scratch.path)
    #expect(run.status == 5)
    #expect(run.stderr.contains("another tally run holds"))
    #expect(run.stderr.contains("pid \(ProcessInfo.processInfo.processIdentifier)"))
    #expect(!FileManager.default.fileExists(atPath: scratch.file("tally.sqlite")))
    withExtendedLifetime(held) {}
  }

  @Test func jsonLogsAreOneObjectPerLine() throws {
    let scratch = try Self.makeSetup()
    try "x,y\n1,2\n".write(
      toFile: scratch.file("exports/aws/unknown.csv"), atomically: true, encoding: .utf8)
    let run = try TallyBinary.run(["nightly", "--log-format", "json"], in: scratch.path)
    #expect(run.status == 3)
    let lines = run.stderr.split(separator: "\n")
    #expect(!lines.isEmpty)
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(object?["level"] as? String == "error")
    }
  }
}
