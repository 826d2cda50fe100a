import Foundation
import Testing

@testable import TallyKit

/// The commitments section of the month report and its two CSVs, for the store of
/// `MonthReportTests` (the hand-built CUR fixture as 2026-10, the sample AWS bill as 2026-09)
/// after the commitments stage ran for 2026-10: against committed snapshots
/// (`Snapshots/month-report-commitments/`, re-recorded with `RECORD_SNAPSHOTS=1`), and their
/// numbers against values worked out by hand and read from the store by SQL.
@Suite struct CommitmentsSectionTests {
  static let snapshots = TestPaths.repository.appendingPathComponent(
    "Tests/TallyKitTests/Snapshots/month-report-commitments")

  /// The store of `MonthReportTests` with October's commitment results stored.
  static func store(in directory: TemporaryDirectory) throws -> Store {
    let store = try MonthReportTests.store(in: directory)
    try CommitmentsRun(configuration: Configuration()).run(on: store, month: MonthReportTests.month)
    return store
  }

  /// The `<section id="…">` of a page (the commitments section by default).
  static func section(_ id: String = "commitments", of html: String) throws -> String {
    let start = try #require(html.range(of: "<section id=\"\(id)\">"))
    let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
    return String(html[start.lowerBound..<end.upperBound]) + "\n"
  }

  @Test func matchesTheSnapshots() throws {
    let directory = try TemporaryDirectory()
    let files = try MonthReport(store: try Self.store(in: directory), month: MonthReportTests.month)
      .files()
    let contents = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.contents) })
    let compared = [
      (
        "commitments-section.html",
        try Self.section(of: try #require(contents["index.html"]))
          + Self.section("savings-curves", of: try #require(contents["index.html"]))
      ),
      ("owned-commitments.csv", try #require(contents["owned-commitments.csv"])),
      ("recommendations.csv", try #require(contents["recommendations.csv"])),
    ]
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try FileManager.default.createDirectory(
        at: Self.snapshots, withIntermediateDirectories: true)
      for (name, text) in compared {
        try Data(text.utf8).write(to: Self.snapshots.appendingPathComponent(name))
      }
      Issue.record(
        "snapshots recorded in \(Self.snapshots.path); run again without RECORD_SNAPSHOTS")
      return
    }
    for (name, text) in compared {
      let snapshot = Self.snapshots.appendingPathComponent(name)
      guard (try? String(contentsOf: snapshot, encoding: .utf8)) != text else { continue }
      let actual = directory.file(name)
      try Data(text.utf8).write(to: URL(fileURLWithPath: actual))
      Issue.record(
        "\(name) differs from its snapshot:\n\(MonthReportTests.diff(snapshot.path, actual))")
    }
  }

  /// `owned-commitments.csv` holds what `OwnedCommitmentsTests.everyLineItemTypeFixture`
  /// worked out by hand from the fixture's lines: sp-1 used 1.30 and left 0.20 unused; ri-1
  /// used 4.00 and left 1.00 unused. The section's table rounds them to cents, so its footer
  /// shows used 5.30 and unused 1.20.
  @Test func ownedCommitmentsMatchTheFixtureByHand() throws {
    let directory = try TemporaryDirectory()
    let root = directory.file("out")
    try MonthReport(store: try Self.store(in: directory), month: MonthReportTests.month)
      .publish(to: root)
    let rows = try IndependentCSV.rows("\(root)/2026-10/owned-commitments.csv")
    #expect(rows.count == 2)
    let plan = try #require(rows.first { $0["commitment"]?.hasSuffix("sp-1") == true })
    #expect(IndependentCSV.nanos(plan["used_cost"]) == 1_300_000_000)
    #expect(IndependentCSV.nanos(plan["unused_cost"]) == 200_000_000)
    let reservation = try #require(rows.first { $0["commitment"]?.hasSuffix("ri-1") == true })
    #expect(IndependentCSV.nanos(reservation["used_cost"]) == 4_000_000_000)
    #expect(IndependentCSV.nanos(reservation["unused_cost"]) == 1_000_000_000)
    #expect(reservation["utilization"] == "0.8")

    let page = try String(contentsOfFile: "\(root)/2026-10/index.html", encoding: .utf8)
    #expect(page.contains("<a href=\"owned-commitments.csv\">"))
    #expect(page.contains("<a href=\"recommendations.csv\">"))
    let html = try Self.section(of: page)
    #expect(
      html.contains(
        "<td>Total</td><td></td><td></td><td></td><td></td><td class=\"num\">5.30</td>"
          + "<td class=\"num\">1.20</td>"))
    #expect(html.contains("<span class=\"value\">1.20 USD</span>"))
  }

  /// `recommendations.csv` and the section's savings figure against the stored rows, read by
  /// SQL (not through `Store.commitmentResults`): each row's savings at the recommended level
  /// and on the curve, and the sum per currency.
  @Test func recommendationsMatchTheStoredRows() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    let root = directory.file("out")
    try MonthReport(store: store, month: MonthReportTests.month).publish(to: root)
    let points = try store.connection.prepare(
      """
      SELECT recommendation, monthly_savings FROM commitment_curve_points
      WHERE billing_period = '2026-10' ORDER BY recommendation, position
      """)
    var curves: [Int64: [Int64]] = [:]
    while try points.step() { curves[points.int64(at: 0), default: []].append(points.int64(at: 1)) }
    let statement = try store.connection.prepare(
      """
      SELECT position, monthly_savings FROM commitment_recommendations
      WHERE billing_period = '2026-10' ORDER BY position
      """)
    var stored: [(Int64, [Int64])] = []
    while try statement.step() {
      stored.append((statement.int64(at: 1), curves[statement.int64(at: 0)] ?? []))
    }
    let rows = try IndependentCSV.rows("\(root)/2026-10/recommendations.csv")
    #expect(!rows.isEmpty)
    #expect(rows.count == stored.count)
    for (row, (savings, curve)) in zip(rows, stored) {
      #expect(IndependentCSV.nanos(row["estimated_monthly_savings"]) == savings)
      let fractions = [50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]
      #expect(fractions.map { IndependentCSV.nanos(row["savings_at_\($0)"]) } == curve)
    }
    let total = stored.reduce(0) { $0 + $1.0 }
    let html = try String(contentsOfFile: "\(root)/2026-10/index.html", encoding: .utf8)
    #expect(html.contains("<span class=\"value\">\(Money(nanos: total).groupedCents) USD</span>"))
    // One savings curve per recommendation shown.
    #expect(
      html.components(separatedBy: "aria-label=\"Savings curve: ").count - 1
        == min(rows.count, MonthReport.shownRecommendations))
  }

  /// Commitment ids come from the bill: escaped in the page, neutralised in the CSV.
  @Test func hostileCommitmentIdsAreEscapedAndNeutralised() throws {
    var report = try CommitmentResultsTests.handBuiltReport()
    report.owned?.commitments[1].id = "=HYPERLINK(\"http://x\")<script>alert(1)</script>"
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: MonthReportTests.fixture)
    try store.transaction {
      try store.replaceCommitmentResults(
        report,
        run: CommitmentRunRecord(
          month: MonthReportTests.month, configFingerprint: "", dataFingerprint: ""))
    }
    let files = try MonthReport(store: store, month: MonthReportTests.month).files()
    let html = try #require(files.first { $0.path == "index.html" }?.contents)
    #expect(!html.contains("<script>alert"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    let csv = try #require(files.first { $0.path == "owned-commitments.csv" }?.contents)
    #expect(csv.contains(CSVCell.escaped(try #require(report.owned?.commitments[1].id))))
    #expect(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"))
  }

  /// Without stored results the section says so in words and no commitment CSV is written.
  @Test func withoutStoredResultsTheSectionSaysSo() throws {
    let directory = try TemporaryDirectory()
    let files = try MonthReport(
      store: try MonthReportTests.store(in: directory), month: MonthReportTests.month
    ).files()
    let html = try #require(files.first { $0.path == "index.html" }?.contents)
    #expect(
      try Self.section(of: html).contains("Not available: no commitment results are stored"))
    #expect(!html.contains("<section id=\"savings-curves\">"))
    #expect(
      !files.contains { $0.path.hasSuffix("commitments.csv") || $0.path == "recommendations.csv" })
  }
}
