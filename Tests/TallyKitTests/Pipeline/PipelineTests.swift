import Foundation
import Testing

@testable import TallyKit

@Suite struct SourcePathsTests {
  /// `**` matches zero or more folders; `*` stays within one; hidden files are skipped.
  @Test func doubleStarMatchesAnyDepth() throws {
    let directory = try TemporaryDirectory()
    for relative in [
      "a.csv.gz", "x/b.csv.gz", "x/y/c.csv.gz", "x/y/d.csv", ".hidden/e.csv.gz", "x/.f.csv.gz",
    ] {
      let path = directory.file(relative)
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try "x".write(toFile: path, atomically: true, encoding: .utf8)
    }
    let all = try expandSourcePaths([directory.file("**/*.csv.gz")]).map {
      String($0.dropFirst(directory.path.count + 1))
    }
    #expect(all == ["a.csv.gz", "x/b.csv.gz", "x/y/c.csv.gz"])
    let one = try expandSourcePaths([directory.file("x/*.csv.gz")]).map {
      ($0 as NSString).lastPathComponent
    }
    #expect(one == ["b.csv.gz"])
  }
}

@Suite struct RunLockTests {
  @Test func aSecondLockOnTheSameDatabaseIsRefusedWithTheHolder() throws {
    let directory = try TemporaryDirectory()
    let database = directory.file("t.sqlite")
    let first = try RunLock(database: database)
    let busy = try #require(throws: RunLock.Busy.self) { _ = try RunLock(database: database) }
    #expect(busy.holder.hasPrefix("pid \(ProcessInfo.processInfo.processIdentifier) since "))
    withExtendedLifetime(first) {}
  }

  @Test func theLockIsFreeAgainWhenReleased() throws {
    let directory = try TemporaryDirectory()
    let database = directory.file("t.sqlite")
    do { _ = try RunLock(database: database) }
    _ = try RunLock(database: database)
  }
}

@Suite struct RunDiffTests {
  /// Hand-made figures: a restated month, a new month, and an unchanged one.
  @Test func listsOnlyWhatChanged() {
    let before = [
      RunFigure(kind: "billed", month: "2026-09", currency: "USD", name: "", value: 100),
      RunFigure(kind: "billed", month: "2026-10", currency: "USD", name: "", value: 5_000_000_000),
    ]
    let after = [
      RunFigure(kind: "billed", month: "2026-09", currency: "USD", name: "", value: 100),
      RunFigure(kind: "billed", month: "2026-10", currency: "USD", name: "", value: 7_500_000_000),
      RunFigure(kind: "billed", month: "2026-11", currency: "USD", name: "", value: 1_000_000_000),
    ]
    let diff = RunDiff(
      run: (4, "2026-11-03T03:15:00Z"), previousRun: 3, before: before, after: after,
      deliveries: [
        RunDelivery(path: "cur-2026-11.csv", status: "imported", lines: 3),
        RunDelivery(path: "cur-2026-10.csv", status: "replaced", lines: 5),
        RunDelivery(path: "old.csv", status: "skipped", lines: 0),
      ])
    #expect(diff.changes.map(\.month) == ["2026-10", "2026-11"])
    #expect(diff.restatedMonths == ["2026-10"])
    #expect(
      diff.lines == [
        "Changes since run #3:", "replacing delivery: cur-2026-10.csv",
        "new delivery: cur-2026-11.csv", "restated months: 2026-10",
        "billed 2026-10 USD: 5.00 → 7.50", "billed 2026-11 USD: – → 1.00",
      ])
    #expect(
      RunDiff(run: nil, previousRun: 3, before: before, after: before, deliveries: []).lines == [
        "Nothing changed since run #3."
      ])
  }

  /// Team totals and compliance are compared per team, month and currency; a team that
  /// disappears shows as gone.
  @Test func teamsAndComplianceBeforeAndAfter() {
    let before = [
      RunFigure(
        kind: "team", month: "2026-10", currency: "USD", name: "payments", value: 2_000_000_000),
      RunFigure(
        kind: "team", month: "2026-10", currency: "USD", name: "search", value: 1_000_000_000),
      RunFigure(kind: "compliance", month: "2026-10", currency: "USD", name: "", value: 500_000),
    ]
    let after = [
      RunFigure(
        kind: "team", month: "2026-10", currency: "USD", name: "payments", value: 3_000_000_000),
      RunFigure(
        kind: "team", month: "2026-10", currency: "EUR", name: "payments", value: 10_000_000),
      RunFigure(kind: "compliance", month: "2026-10", currency: "USD", name: "", value: 750_000),
    ]
    let diff = RunDiff(run: nil, previousRun: 1, before: before, after: after, deliveries: [])
    // Sorted by kind, month, currency, team; 2.00 → 3.00 is payments' USD change.
    #expect(
      diff.lines == [
        "Changes since run #1:", "compliance 2026-10 USD: 50.0% → 75.0%",
        "team payments 2026-10 EUR: – → 0.01", "team payments 2026-10 USD: 2.00 → 3.00",
        "team search 2026-10 USD: 1.00 → –",
      ])
    #expect(diff.restatedMonths.isEmpty, "team and compliance changes are not restatements")
  }
}

/// Three nightly runs in a row over a fixture source: everything new, nothing new, then a
/// restated month that replaces exactly that month.
@Suite struct NightlyRunTests {
  /// A run still recorded as running when the next one starts (under the lock) was killed.
  @Test func aRunLeftRunningIsMarkedInterrupted() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let killed = try store.beginRun(at: Timestamp(secondsSinceEpoch: 0))
    let next = try NightlyRun(
      configuration: Configuration(), store: store, log: RunLog(write: { _ in }), stages: [],
      isPublished: { _ in true }
    ).run()
    let runs = try store.runs()
    #expect(runs.map(\.id) == [try #require(next.runID), killed])
    #expect(runs.map(\.status) == ["ok", "interrupted"])
    #expect(runs[1].message?.contains("ended before the run finished") == true)
    #expect(runs[0].warnings == 1, "the interruption is logged as a warning")
  }

  @Test func firstSecondAndRestatedRuns() throws {
    let directory = try TemporaryDirectory()
    let exports = directory.file("exports")
    try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
    let cur = exports + "/cur.csv"
    try FileManager.default.copyItem(
      atPath: TestPaths.fixture("cur/every-line-item-type.csv"), toPath: cur)
    var configuration = Configuration()
    configuration.sources = [
      try #require(
        try Configuration(
          yaml: "sources:\n  - name: aws\n    paths: [\"\(exports)/*.csv\"]\n", file: "t.yaml"
        ).sources.first)
    ]
    let store = try Store(path: directory.file("t.sqlite"))
    var processed: [String] = []
    let stage = NightlyRun.MonthStage(name: "record") { _, month in
      processed.append(month.description)
    }
    var published: Set<BillingMonth> = []
    func run() throws -> NightlyRun.Result {
      let result = try NightlyRun(
        configuration: configuration, store: store, log: RunLog(write: { _ in }), stages: [stage],
        isPublished: { published.contains($0) }
      ).run()
      published.formUnion(result.months)
      return result
    }
    let first = try run()
    #expect(first.deliveries.deliveries.map(\.status) == ["imported"])
    #expect(processed == ["2026-10"])

    let second = try run()
    #expect(second.deliveries.deliveries.map(\.status) == ["skipped"])
    #expect(second.months.isEmpty)
    #expect(second.diff.changes.isEmpty)

    // Restate October: l01 goes from 10.00 to 12.00, so billed 17.75000012 → 19.75000012.
    try String(contentsOfFile: cur, encoding: .utf8).replacingOccurrences(
      of: ",USD,10.00,", with: ",USD,12.00,"
    )
    .write(toFile: cur, atomically: true, encoding: .utf8)
    let third = try run()
    #expect(third.deliveries.deliveries.map(\.status) == ["replaced"])
    #expect(third.months.map(\.description) == ["2026-10"])
    #expect(third.diff.restatedMonths == ["2026-10"])
    #expect(third.diff.lines.contains("billed 2026-10 USD: 17.75 → 19.75"))
    #expect(try store.runs().map(\.status) == ["ok", "ok", "ok"])
    #expect(try store.monthTotals().map(\.totals.billed.nanos) == [19_750_000_120])
  }
}
