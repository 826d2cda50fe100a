import Foundation
import Testing

@testable import TallyKit

/// The standard month stages of `tally nightly`, run for real over a fixture source: they run
/// in the order policy → allocation → commitments → report, and the published report shows
/// the commitment results the run stored.
@Suite struct NightlyStagesTests {
  /// Log lines, collected from the run's log.
  final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
  }

  @Test func stagesRunInOrderAndTheReportShowsStoredCommitments() throws {
    let directory = try TemporaryDirectory()
    let exports = directory.file("exports")
    try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestPaths.fixture("cur/owned-commitments.csv"), toPath: exports + "/cur.csv")
    let reports = directory.file("reports")
    let configuration = try Configuration(
      yaml: """
        sources:
          - name: aws
            paths: ["\(exports)/*.csv"]
        reports:
          out: \(reports)
        """, file: "t.yaml")
    let store = try Store(path: directory.file("t.sqlite"))
    let lines = Lines()
    let result = try NightlyRun(
      configuration: configuration, store: store,
      log: RunLog(verbose: true, write: { lines.append($0) }),
      stages: NightlyRun.standardStages(configuration),
      publish: NightlyRun.standardPublish(configuration), isPublished: { _ in false }
    ).run()
    #expect(result.months.map(\.description) == ["2026-10"])

    let stages = lines.all.compactMap { line -> String? in
      ["policy", "allocation", "commitments", "report"].first { line.contains("\($0) 2026-10") }
    }
    #expect(stages == ["policy", "allocation", "commitments", "report"])

    // The report shows what the commitments stage stored: sp-a's unused 1.90 (by hand, see
    // OwnedCommitmentsTests) and its CSV.
    #expect(try store.commitmentRun(of: BillingMonth(year: 2026, month: 10)) != nil)
    let html = try String(contentsOfFile: "\(reports)/2026-10/index.html", encoding: .utf8)
    #expect(html.contains("Commitments owned in 2026-10 (USD)"))
    let rows = try IndependentCSV.rows("\(reports)/2026-10/owned-commitments.csv")
    let plan = try #require(rows.first { $0["commitment"]?.hasSuffix("sp-a") == true })
    #expect(IndependentCSV.nanos(plan["unused_cost"]) == 1_900_000_000)
  }
}

/// A published report stays current until a month it reads changes: its own, or one of the
/// five before it (previous-month columns, six-month charts, the commitments' look-back).
@Suite struct ReportFingerprintTests {
  @Test func aRestatedEarlierMonthMakesLaterReportsStale() throws {
    let directory = try TemporaryDirectory()
    let store = try MonthReportTests.store(in: directory)
    let root = directory.file("out")
    let september = BillingMonth(year: 2026, month: 9)
    for month in [september, MonthReportTests.month] {
      try MonthReport(store: store, month: month).publish(to: root)
      try ReportFingerprint.record(store: store, month: month, root: root)
      #expect(ReportFingerprint.isCurrent(store: store, month: month, root: root))
    }
    // A new delivery of October leaves September's report current.
    let october = directory.file("october.csv")
    try String(contentsOfFile: MonthReportTests.fixture, encoding: .utf8).replacingOccurrences(
      of: ",USD,10.00,", with: ",USD,12.00,"
    ).write(toFile: october, atomically: true, encoding: .utf8)
    #expect(try Importer(store: store).importDelivery(at: october).status == .replaced)
    #expect(ReportFingerprint.isCurrent(store: store, month: september, root: root))
    #expect(!ReportFingerprint.isCurrent(store: store, month: MonthReportTests.month, root: root))

    // A restated September makes both stale.
    try MonthReport(store: store, month: MonthReportTests.month).publish(to: root)
    try ReportFingerprint.record(store: store, month: MonthReportTests.month, root: root)
    let restated = directory.file("september.csv")
    // The provider drops September's last line.
    let lines = try String(contentsOfFile: MonthReportTests.previousBill, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: true)
    try (lines.dropLast().joined(separator: "\n") + "\n")
      .write(toFile: restated, atomically: true, encoding: .utf8)
    #expect(try Importer(store: store).importDelivery(at: restated).status == .replaced)
    #expect(!ReportFingerprint.isCurrent(store: store, month: september, root: root))
    #expect(!ReportFingerprint.isCurrent(store: store, month: MonthReportTests.month, root: root))
  }
}
