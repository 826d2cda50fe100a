import Foundation

/// `tally nightly`: imports every configured source (only new or changed deliveries), then,
/// for every month that changed and every month with data whose report is not current, runs
/// the month stages in order (policy, allocation, commitments), computes what changed since the
/// previous successful run, publishes the months' reports with it, and records the run.
public struct NightlyRun {
  /// A step run for each month that needs it, in order.
  public struct MonthStage {
    /// For the log.
    public var name: String
    /// The work.
    public var run: (Store, BillingMonth) throws -> Void

    /// Creates a stage.
    public init(name: String, run: @escaping (Store, BillingMonth) throws -> Void) {
      self.name = name
      self.run = run
    }
  }

  /// What a run did.
  public struct Result {
    /// The run's id (nil for a dry run).
    public var runID: Int64?
    /// Each delivery considered, in order.
    public var deliveries: ImportOutput
    /// The months the stages ran for.
    public var months: [BillingMonth]
    /// What changed since the previous successful run.
    public var diff: RunDiff
    /// Whether any delivery failed (the run still processed the others).
    public var failed: Bool
  }

  private let configuration: Configuration
  private let store: Store
  private let log: RunLog
  private let stages: [MonthStage]
  private let publish: (Store, BillingMonth, RunDiff) throws -> Void
  /// Whether a month's report is already published (so an unchanged month is not redone).
  private let isPublished: (BillingMonth) -> Bool
  private let clock: () -> Timestamp

  /// Prepares a run over `configuration.sources` into `store`: each of `stages` runs for every
  /// month that needs it (stage by stage), then `publish` publishes each such month's report
  /// with what the run changed.
  public init(
    configuration: Configuration, store: Store, log: RunLog, stages: [MonthStage],
    publish: @escaping (Store, BillingMonth, RunDiff) throws -> Void = { _, _, _ in },
    isPublished: @escaping (BillingMonth) -> Bool, clock: @escaping () -> Timestamp = { .now }
  ) {
    self.configuration = configuration
    self.store = store
    self.log = log
    self.stages = stages
    self.publish = publish
    self.isPublished = isPublished
    self.clock = clock
  }

  /// The deliveries that a run would import (not yet in the store), and the months it would
  /// process. Writes nothing.
  public func plan() throws -> (
    deliveries: [(source: String, path: String)], months: [BillingMonth]
  ) {
    var deliveries: [(source: String, path: String)] = []
    for source in configuration.sources {
      for path in try expandSourcePaths(source.paths)
      where !(try Importer.isImported(path, in: store)) {
        deliveries.append((source.name, path))
      }
    }
    let months = try store.monthsWithData().filter { !isPublished($0) }
    return (deliveries, months)
  }

  /// Runs everything once: marks runs left `running` by a killed process as interrupted,
  /// imports, runs each stage for every month that needs it, computes the figures and what
  /// changed since the previous successful run, publishes the months' reports with that diff,
  /// and records the run. Input errors of single deliveries are logged and counted (the result
  /// says `failed`); anything else ends the run with an error, recorded as failed.
  ///
  /// The caller holds the database's ``RunLock``, so no other run is alive.
  public func run() throws -> Result {
    for interrupted in try store.markInterruptedRuns() {
      log.warning(
        "run #\(interrupted) was interrupted (its process ended before it finished); "
          + "this run redoes its work")
    }
    let startedAt = clock()
    let runID = try store.beginRun(at: startedAt)
    var record = RunRecord(
      id: runID, startedAt: startedAt.description, endedAt: nil, status: "running", imported: 0,
      replaced: 0, skipped: 0, failed: 0, lines: 0, warnings: 0, months: [], message: nil)
    do {
      var output = ImportOutput()
      var deliveries: [RunDelivery] = []
      var changed: Set<BillingMonth> = []
      for source in configuration.sources {
        let importer = Importer(store: store, sourceName: source.name)
        for path in try expandSourcePaths(source.paths) {
          let delivery: RunDelivery
          var importID: Int64?
          do {
            let outcome = try importer.importDelivery(at: path)
            output.append(outcome)
            record.lines += outcome.rowCount
            switch outcome.status {
            case .imported: record.imported += 1
            case .replaced: record.replaced += 1
            case .skipped: record.skipped += 1
            }
            if outcome.status != .skipped {
              changed.formUnion(outcome.totals.map(\.month))
              log.info(
                "\(outcome.status.rawValue) \(path)",
                ["lines": String(outcome.rowCount), "source": source.name])
            }
            delivery = RunDelivery(
              path: path, status: outcome.status.rawValue, lines: outcome.rowCount)
            importID = outcome.importID
          } catch let error as InputError {
            record.failed += 1
            output.appendFailure(path: path, error: error.description)
            log.error(error.description, ["source": source.name])
            delivery = RunDelivery(
              path: path, status: "failed", lines: 0, message: error.description)
          }
          deliveries.append(delivery)
          try store.recordRunDelivery(
            run: runID, path: path, status: delivery.status, importID: importID,
            lines: delivery.lines, message: delivery.message)
        }
      }
      let months = try store.monthsWithData().filter { changed.contains($0) || !isPublished($0) }
      for stage in stages {
        for month in months {
          log.info("\(stage.name) \(month)")
          try stage.run(store, month)
        }
      }
      record.months = months.map(\.description)
      let figures = try store.currentRunFigures()
      let previous = try store.previousRunFigures(before: runID)
      let diff = RunDiff(
        run: (runID, record.startedAt), previousRun: previous?.0, before: previous?.1 ?? [],
        after: figures, deliveries: deliveries)
      for month in months {
        log.info("report \(month)")
        try publish(store, month, diff)
      }
      record.status = record.failed > 0 ? "partial" : "ok"
      record.endedAt = clock().description
      record.warnings = log.counts[.warning] ?? 0
      try store.finishRun(record, figures: figures)
      return Result(
        runID: runID, deliveries: output, months: months, diff: diff, failed: record.failed > 0)
    } catch {
      record.status = "failed"
      record.endedAt = clock().description
      record.message = "\(error)"
      try? store.finishRun(record, figures: [])
      throw error
    }
  }
}

extension NightlyRun {
  /// The month stages of a nightly run, in order, for a configuration: the stages whose stored
  /// results the reports read, each named after its section of `tally.yaml` and each doing
  /// nothing for a month whose results are current — the policy (`PolicyRun.refresh`), the
  /// allocation (run when missing or stale) and the commitments (`CommitmentsRun.refresh`:
  /// recommendations and owned commitments). `tally report` runs those whose section the
  /// configuration has before it renders, so a report never shows stale results.
  public static func standardStages(_ configuration: Configuration) -> [MonthStage] {
    let policy = PolicyRun(configuration: configuration)
    let allocator = Allocator(configuration: configuration)
    let commitments = CommitmentsRun(configuration: configuration)
    return [
      MonthStage(name: "policy") { store, month in try policy.refresh(through: month, on: store) },
      MonthStage(name: "allocation") { store, month in
        guard try allocator.freshness(of: month, in: store) != .current else { return }
        try allocator.run(on: store, month: month)
      },
      MonthStage(name: "commitments") { store, month in try commitments.refresh(month, in: store) },
    ]
  }

  /// Publishes a month's report, with the run's diff as its "what changed" section, then
  /// records the data it was made from.
  public static func standardPublish(_ configuration: Configuration) -> (
    Store, BillingMonth, RunDiff
  ) throws -> Void {
    { store, month, diff in
      try MonthReport(store: store, month: month, changes: diff).publish(
        to: configuration.reports.out)
      try ReportFingerprint.record(store: store, month: month, root: configuration.reports.out)
    }
  }
}

/// What data a published month report was made from. It is written into the month's folder
/// after the folder is published, so a run killed while rendering leaves no fingerprint and
/// the next run makes the month again; a month whose imports changed since is made again too,
/// and so is a month whose report reads a month that changed: the report compares with the
/// previous month, charts six months, and sizes commitments on a look-back of up to 60 days.
public enum ReportFingerprint {
  static let fileName = ".tally-data-fingerprint"

  /// Records the month's current data fingerprint beside its published report.
  public static func record(store: Store, month: BillingMonth, root: String) throws {
    let path = "\(root)/\(month)/\(fileName)"
    try Data(try fingerprint(store: store, month: month).utf8).write(
      to: URL(fileURLWithPath: path))
  }

  /// Whether the month's published report was made from the data the store holds now.
  public static func isCurrent(store: Store, month: BillingMonth, root: String) -> Bool {
    guard let recorded = FileManager.default.contents(atPath: "\(root)/\(month)/\(fileName)"),
      let current = try? fingerprint(store: store, month: month)
    else { return false }
    return String(decoding: recorded, as: UTF8.self) == current
  }

  /// The current imports of the six months ending with `month`: every month its report reads.
  static func fingerprint(store: Store, month: BillingMonth) throws -> String {
    var months = [month]
    while months.count < 6 { months.insert(months[0].previous, at: 0) }
    return try months.map { "\($0):" + (try store.dataFingerprint(of: $0)) }.joined(
      separator: ";")
  }
}
