import Foundation
import Testing

@testable import TallyKit

/// The month report of a store holding the hand-built CUR fixture (2026-10) and the sample AWS
/// bill of 2026-09 (the previous month), against committed snapshots. Re-record them with
/// `RECORD_SNAPSHOTS=1 swift test --filter MonthReportTests`; a recording run fails on purpose.
@Suite struct MonthReportTests {
  static let month = BillingMonth(year: 2026, month: 10)
  static let snapshots = TestPaths.repository.appendingPathComponent(
    "Tests/TallyKitTests/Snapshots/month-report")
  static let fixture = TestPaths.fixture("cur/every-line-item-type.csv")
  static let previousBill = TestPaths.repository.appendingPathComponent(
    "sample-bills/aws-cur-2026-09.csv"
  ).path

  /// A store with both bills imported, in `directory`.
  static func store(in directory: TemporaryDirectory) throws -> Store {
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: previousBill)
    _ = try Importer(store: store).importDelivery(at: fixture)
    return store
  }

  @Test func matchesTheSnapshots() throws {
    let directory = try TemporaryDirectory()
    let files = try MonthReport(store: try Self.store(in: directory), month: Self.month).files()
    try Self.compare(files, with: Self.snapshots, scratch: directory)
  }

  /// Compares report files with the snapshots in `folder`, or records them when
  /// `RECORD_SNAPSHOTS=1` (a recording run fails on purpose).
  static func compare(
    _ files: [(path: String, contents: String)], with folder: URL, scratch: TemporaryDirectory
  ) throws {
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for file in files {
        let url = folder.appendingPathComponent(file.path)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(file.contents.utf8).write(to: url)
      }
      Issue.record("snapshots recorded in \(folder.path); run again without RECORD_SNAPSHOTS")
      return
    }
    for file in files {
      let snapshot = folder.appendingPathComponent(file.path)
      let expected = try? String(contentsOf: snapshot, encoding: .utf8)
      guard expected != file.contents else { continue }
      let actual = scratch.file("actual/" + file.path)
      try FileManager.default.createDirectory(
        atPath: (actual as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(file.contents.utf8).write(to: URL(fileURLWithPath: actual))
      Issue.record("\(file.path) differs from its snapshot:\n\(Self.diff(snapshot.path, actual))")
    }
  }

  /// `git diff --no-index` of two files, for a readable failure.
  static func diff(_ expected: String, _ actual: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "diff", "--no-index", "--no-color", expected, actual]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return "(git diff could not run: \(error))" }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self)
  }

  /// month-totals.csv against the bills themselves, summed by `ExpectedTotals` (a plain CSV
  /// splitter and Foundation's Decimal, none of tally's readers).
  @Test func totalsMatchTheBillsByAnIndependentRoute() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    let root = directory.file("reports")
    try MonthReport(store: store, month: Self.month).publish(to: root)
    let rows = try IndependentCSV.rows("\(root)/2026-10/month-totals.csv")
    let current = try ExpectedTotals(curFile: Self.fixture).sums
    let previous = try ExpectedTotals(curFile: Self.previousBill).sums
    #expect(!rows.isEmpty)
    for row in rows {
      let currency = try #require(row["currency"])
      let now = current[.init(month: "2026-10", currency: currency)] ?? .init()
      let before = previous[.init(month: "2026-09", currency: currency)] ?? .init()
      #expect(IndependentCSV.nanos(row["billed_cost"]) == now.billed)
      #expect(IndependentCSV.nanos(row["effective_cost"]) == now.effective)
      #expect(Int(row["lines"] ?? "") == now.rows)
      #expect(IndependentCSV.nanos(row["previous_billed_cost"]) == before.billed)
      #expect(IndependentCSV.nanos(row["previous_effective_cost"]) == before.effective)
    }
    // Every currency of either month has its row.
    let currencies = Set(current.keys.map(\.currency)).union(
      previous.keys.filter { $0.month == "2026-09" }.map(\.currency))
    #expect(Set(rows.compactMap { $0["currency"] }) == currencies)
  }

  @Test func twoRendersAreByteIdentical() throws {
    let first = try TemporaryDirectory()
    let second = try TemporaryDirectory()
    let a = try MonthReport(store: try Self.store(in: first), month: Self.month)
      .publish(to: first.file("out"))
    let b = try MonthReport(store: try Self.store(in: second), month: Self.month)
      .publish(to: second.file("out"))
    for name in [
      "2026-10/index.html", "2026-10/month-totals.csv", "2026-10/imports.csv", "index.html",
    ] {
      let x = try Data(contentsOf: URL(fileURLWithPath: first.file("out/\(name)")))
      let y = try Data(contentsOf: URL(fileURLWithPath: second.file("out/\(name)")))
      #expect(x == y, "\(name) differs between two renders")
    }
    #expect(a.hasSuffix("out/2026-10/index.html") && b.hasSuffix("out/2026-10/index.html"))
  }

  @Test func theIndexListsEveryPublishedMonthAndNoStagingIsLeft() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    let root = directory.file("out")
    try MonthReport(store: store, month: BillingMonth(year: 2026, month: 9)).publish(to: root)
    try MonthReport(store: store, month: Self.month).publish(to: root)
    let index = try String(contentsOfFile: "\(root)/index.html", encoding: .utf8)
    let first = try #require(index.range(of: "href=\"2026-10/index.html\""))
    let second = try #require(index.range(of: "href=\"2026-09/index.html\""))
    #expect(first.lowerBound < second.lowerBound)  // newest first
    let entries = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
    #expect(entries == ["2026-09", "2026-10", "index.html"])
  }

  /// "What changed" shows the stored diff of the latest successful run (a later failed run is
  /// not one): its deliveries by file name, each changed figure before and after, names
  /// escaped. The figures are made up here, so the expected rows are these numbers.
  @Test func whatChangedIsTheLatestSuccessfulRunsStoredDiff() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    func record(_ status: String, _ figures: [RunFigure], delivery: String?) throws {
      let id = try store.beginRun(at: Timestamp(secondsSinceEpoch: 1_790_000_000))
      if let delivery {
        try store.recordRunDelivery(
          run: id, path: delivery, status: "replaced", importID: nil, lines: 7, message: nil)
      }
      try store.finishRun(
        RunRecord(
          id: id, startedAt: "", endedAt: "x", status: status, imported: 0, replaced: 1,
          skipped: 0, failed: 0, lines: 7, warnings: 0, months: [], message: nil),
        figures: figures)
    }
    let hostile = "<script>x</script>"
    try record(
      "ok",
      [
        RunFigure(
          kind: "billed", month: "2026-10", currency: "USD", name: "", value: 5_000_000_000),
        RunFigure(kind: "team", month: "2026-10", currency: "USD", name: hostile, value: 1),
      ], delivery: nil)
    try record(
      "ok",
      [
        RunFigure(kind: "billed", month: "2026-10", currency: "USD", name: "", value: 7_000_000_000)
      ],
      delivery: "/exports/<img src=x>.csv")
    try record("failed", [], delivery: nil)
    let html = try #require(
      try MonthReport(store: store, month: Self.month).files().first { $0.path == "index.html" }
    ).contents
    let started = Timestamp(secondsSinceEpoch: 1_790_000_000)  // as stored by beginRun
    #expect(html.contains("Run #2 of tally nightly (started \(started)) against run #1"))
    #expect(html.contains("restated months: 2026-10"))
    #expect(html.contains("&lt;img src=x&gt;.csv"))
    #expect(html.contains(HTMLText.escaped(hostile)))
    #expect(!html.contains("<script>x") && !html.contains("<img src=x>"))
    // Billed 5.00 → 7.00 (+2.00); the team's 1 nano → gone (−0.00).
    #expect(html.contains(">5.00</td><td class=\"num\" data-sort=\"7000000000\">7.00</td>"))
    #expect(html.contains("data-sort=\"2000000000\">2.00</td>"))
  }

  /// Hostile file names reach the report through the data-quality section and imports.csv:
  /// escaped in HTML, neutralised in CSV, and nothing is written outside the output folder.
  @Test(arguments: [
    "<img src=x onerror=alert(1)>.csv", "\" onmouseover=\"x.csv", "=HYPERLINK(1).csv",
    "+1+1.csv",
  ])
  func hostileFileNamesAreEscaped(_ name: String) throws {
    let directory = try TemporaryDirectory()
    let bills = directory.file("bills")
    try FileManager.default.createDirectory(atPath: bills, withIntermediateDirectories: true)
    let hostile = (bills as NSString).appendingPathComponent(name)
    try FileManager.default.copyItem(atPath: Self.fixture, toPath: hostile)
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: hostile)
    let root = directory.file("out")
    try MonthReport(store: store, month: Self.month).publish(to: root)

    let html = try String(contentsOfFile: "\(root)/2026-10/index.html", encoding: .utf8)
    #expect(!html.contains("<img"))
    #expect(!html.contains("\" onmouseover"))
    #expect(html.contains(HTMLText.escaped(name)))
    let csv = try String(contentsOfFile: "\(root)/2026-10/imports.csv", encoding: .utf8)
    let cell = try #require(csv.split(separator: "\r\n").dropFirst().first)
    #expect(cell.hasPrefix(CSVCell.escaped(name)))
    if name.first == "=" || name.first == "+" {
      #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"))
    }
    let written = FileManager.default.subpaths(atPath: directory.path) ?? []
    #expect(
      Set(written.filter { !$0.hasPrefix("bills") && !$0.hasPrefix("out") })
        .isSubset(of: ["t.sqlite", "t.sqlite-wal", "t.sqlite-shm"]))
  }

  /// The allocation fixture (`allocation/two-months.csv`, worked out by hand in
  /// `AllocationFixtureTests`): October's effective USD cost is 198.000000001 (direct 154,
  /// support 30, tax 10, dns 1.000000001, 3 unallocated), payments' direct share 82.
  @Test func allocationResultsReachThePageAndTheCSV() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("allocation/two-months.csv"))
    let configuration = try Configuration.load(from: TestPaths.fixture("allocation/tally.yaml"))
    _ = try Allocator(configuration: configuration).allocate(nil, all: false, in: store)
    let root = directory.file("out")
    try MonthReport(store: store, month: Self.month).publish(to: root)

    let rows = try IndependentCSV.rows("\(root)/2026-10/allocation.csv")
    let effectiveUSD = rows.filter { $0["basis"] == "effective" && $0["currency"] == "USD" }
    #expect(effectiveUSD.reduce(0) { $0 + IndependentCSV.nanos($1["total"]) } == 198_000_000_001)
    #expect(
      effectiveUSD.filter { $0["team"] == "payments" }.reduce(0) {
        $0 + IndependentCSV.nanos($1["direct"])
      } == 82_000_000_000)
    let monthUSD = try store.monthTotals().first { $0.month == Self.month && $0.currency == "USD" }
    #expect(monthUSD?.totals.effective.nanos == 198_000_000_001)
    let html = try String(contentsOfFile: "\(root)/2026-10/index.html", encoding: .utf8)
    #expect(html.contains("Cost by team (USD)"))
    #expect(html.contains("allocated + unallocated = bill, to the nano"))
  }

  @Test func perDayNormalisationUsesCalendarDays() {
    // September has 30 days, October 31, February 2028 29 (a leap year).
    #expect(MonthReport.days(in: BillingMonth(year: 2026, month: 9)) == 30)
    #expect(MonthReport.days(in: BillingMonth(year: 2026, month: 10)) == 31)
    #expect(MonthReport.days(in: BillingMonth(year: 2028, month: 2)) == 29)
    #expect(MonthReport.days(in: BillingMonth(year: 2026, month: 12)) == 31)
    // 31.00 over October: 1.000000000 per day.
    #expect(
      MonthReport.perDay(Money(nanos: 31_000_000_000), in: BillingMonth(year: 2026, month: 10))
        == Money(nanos: 1_000_000_000))
  }
}
