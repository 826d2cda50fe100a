import Foundation

/// `tally nightly`: imports every configured source (only new or changed deliveries), then,
/// for every month that changed and every month with data whose report was never published,
/// runs the month stages in order (policy, allocation, commitments, reports), records the run
/// and what changed since the previous successful run.
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
  /// Whether a month's report is already published (so an unchanged month is not redone).
  private let isPublished: (BillingMonth) -> Bool
  private let clock: () -> Timestamp

  /// Prepares a run over `configuration.sources` into `store`.
  public init(
    configuration: Configuration, store: Store, log: RunLog, stages: [MonthStage],
    isPublished: @escaping (BillingMonth) -> Bool, clock: @escaping () -> Timestamp = { .now }
  ) {
    self.configuration = configuration
    self.store = store
    self.log = log
    self.stages = stages
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

  /// Runs everything once. Input errors of single deliveries are logged and counted (the
  /// result says `failed`); anything else ends the run with an error, recorded as failed.
  public func run() throws -> Result {
    let runID = try store.beginRun(at: clock())
    var record = RunRecord(
      id: runID, startedAt: "", endedAt: nil, status: "running", imported: 0, replaced: 0,
      skipped: 0, failed: 0, lines: 0, warnings: 0, months: [], message: nil)
    do {
      var output = ImportOutput()
      var changed: Set<BillingMonth> = []
      for source in configuration.sources {
        let importer = Importer(store: store, sourceName: source.name)
        for path in try expandSourcePaths(source.paths) {
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
            try store.recordRunDelivery(
              run: runID, path: path, status: outcome.status.rawValue, importID: outcome.importID,
              lines: outcome.rowCount, message: nil)
          } catch let error as InputError {
            record.failed += 1
            output.appendFailure(path: path, error: error.description)
            log.error(error.description, ["source": source.name])
            try store.recordRunDelivery(
              run: runID, path: path, status: "failed", importID: nil, lines: 0,
              message: error.description)
          }
        }
      }
      let months = try store.monthsWithData().filter { changed.contains($0) || !isPublished($0) }
      for month in months {
        for stage in stages {
          log.info("\(stage.name) \(month)")
          try stage.run(store, month)
        }
      }
      record.months = months.map(\.description)
      let figures = try currentFigures()
      let previous = try store.previousRunFigures(before: runID)
      let diff = RunDiff(
        previousRun: previous?.0, before: previous?.1 ?? [], after: figures,
        deliveries: output.deliveries.filter { $0.status == "imported" || $0.status == "replaced" }
          .map(\.path))
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

  /// The figures the store holds now: billed and effective totals per month and currency,
  /// and the stored tag compliance (effective cost, parts per million) per month and currency.
  private func currentFigures() throws -> [RunFigure] {
    let totals = try store.monthTotals().flatMap { period in
      [
        RunFigure(
          kind: "billed", month: period.month.description, currency: period.currency, name: "",
          value: period.totals.billed.nanos),
        RunFigure(
          kind: "effective", month: period.month.description, currency: period.currency, name: "",
          value: period.totals.effective.nanos),
      ]
    }
    let compliance = try store.overallCompliance().map { row in
      RunFigure(
        kind: "compliance", month: row.month.description, currency: row.compliance.currency,
        name: "", value: Int64((row.compliance.compliance(.effective) * 1_000_000).rounded()))
    }
    return totals + compliance
  }
}

/// What changed between two runs: new deliveries, and every figure that differs.
public struct RunDiff: Sendable {
  /// One figure that changed (nil before: new; nil after: gone).
  public struct Change: Sendable, Hashable {
    /// The figure's identity.
    public var kind: String
    /// Its month.
    public var month: String
    /// Its currency.
    public var currency: String
    /// Its team, for team figures.
    public var name: String
    /// The value before, if it existed.
    public var before: Int64?
    /// The value after, if it exists.
    public var after: Int64?
  }

  /// The run compared with.
  public var previousRun: Int64?
  /// Deliveries imported or replaced by this run.
  public var deliveries: [String]
  /// Figures that changed, sorted by kind, month, currency and name.
  public var changes: [Change]

  /// Compares two runs' figures.
  public init(previousRun: Int64?, before: [RunFigure], after: [RunFigure], deliveries: [String]) {
    self.previousRun = previousRun
    self.deliveries = deliveries
    func key(_ figure: RunFigure) -> String {
      [figure.kind, figure.month, figure.currency, figure.name].joined(separator: "\u{1F}")
    }
    let old = Dictionary(before.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    let new = Dictionary(after.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    changes = Set(old.keys).union(new.keys).sorted().compactMap { identity in
      let figure = new[identity] ?? old[identity]
      guard let figure, old[identity]?.value != new[identity]?.value else { return nil }
      return Change(
        kind: figure.kind, month: figure.month, currency: figure.currency, name: figure.name,
        before: old[identity]?.value, after: new[identity]?.value)
    }
  }

  /// Months whose billed or effective totals changed and existed before: restated months.
  public var restatedMonths: [String] {
    Array(
      Set(
        changes.filter { ($0.kind == "billed" || $0.kind == "effective") && $0.before != nil }.map(
          \.month))
    )
    .sorted()
  }

  /// Plain-text lines for the end of a run and the report's "what changed" section.
  public var lines: [String] {
    guard !deliveries.isEmpty || !changes.isEmpty else {
      return ["Nothing changed since run #\(previousRun.map(String.init) ?? "–")."]
    }
    var lines = deliveries.map { "new delivery: \($0)" }
    for change in changes {
      func show(_ value: Int64?) -> String {
        guard let value else { return "–" }
        return change.kind == "compliance"
          ? formatPercent(Double(value) / 1_000_000)
          : Money(nanos: value).formatted(fractionDigits: 2)
      }
      let subject = [change.kind, change.name, change.month, change.currency].filter { !$0.isEmpty }
        .joined(separator: " ")
      lines.append("\(subject): \(show(change.before)) → \(show(change.after))")
    }
    return lines
  }
}

extension NightlyRun {
  /// The month stages of a nightly run, in order, for a configuration: the result stages, then
  /// the report.
  public static func standardStages(_ configuration: Configuration) -> [MonthStage] {
    resultStages(configuration) + [
      MonthStage(name: "report") { store, month in
        try MonthReport(store: store, month: month).publish(to: configuration.reports.out)
        try ReportFingerprint.record(store: store, month: month, root: configuration.reports.out)
      }
    ]
  }

  /// The stages whose stored results a report reads, in order, each named after its section of
  /// `tally.yaml`, each doing nothing for a month whose results are current: the policy
  /// (`PolicyRun.refresh`) and the allocation (run when missing or stale). `tally report` runs
  /// those whose section the configuration has before it renders.
  public static func resultStages(_ configuration: Configuration) -> [MonthStage] {
    let policy = PolicyRun(configuration: configuration)
    let allocator = Allocator(configuration: configuration)
    return [
      MonthStage(name: "policy") { store, month in try policy.refresh(through: month, on: store) },
      MonthStage(name: "allocation") { store, month in
        guard try allocator.freshness(of: month, in: store) != .current else { return }
        try allocator.run(on: store, month: month)
      },
    ]
  }
}

/// What data a published month report was made from. It is written into the month's folder
/// after the folder is published, so a run killed while rendering leaves no fingerprint and
/// the next run makes the month again; a month whose imports changed since is made again too.
public enum ReportFingerprint {
  static let fileName = ".tally-data-fingerprint"

  /// Records the month's current data fingerprint beside its published report.
  public static func record(store: Store, month: BillingMonth, root: String) throws {
    let path = "\(root)/\(month)/\(fileName)"
    try Data(try store.dataFingerprint(of: month).utf8).write(to: URL(fileURLWithPath: path))
  }

  /// Whether the month's published report was made from the data the store holds now.
  public static func isCurrent(store: Store, month: BillingMonth, root: String) -> Bool {
    guard let recorded = FileManager.default.contents(atPath: "\(root)/\(month)/\(fileName)"),
      let current = try? store.dataFingerprint(of: month)
    else { return false }
    return String(decoding: recorded, as: UTF8.self) == current
  }
}
