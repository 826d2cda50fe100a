import ArgumentParser
import Foundation
import TallyKit

/// `tally nightly`
struct NightlyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nightly",
    abstract: "Import the configured sources, then check, allocate, recommend and report.",
    discussion: """
      Only new or changed deliveries are imported; only months that changed (or were never
      reported) are processed again. Quiet unless something is wrong, so cron mails only on
      trouble. One run at a time per database: a second one exits at once with code 5.
      Exit codes: 0 ok; 2 configuration error; 3 some deliveries failed (the others were
      imported); 4 internal error; 5 another run holds the lock.
      """)

  @ParentCommand var tally: Tally
  @Flag(help: "Say what would be imported and processed, and change nothing.") var dryRun = false
  @Flag(help: "Log progress, and print what changed since the previous run.") var verbose = false
  @Option(help: "Log lines as text or json (one object per line).") var logFormat: RunLog.Format =
    .text

  func run() throws {
    let configuration = try tally.global.configuration()
    guard !configuration.sources.isEmpty else {
      throw ValidationError("the configuration names no sources: add `sources:` to tally.yaml")
    }
    let database = tally.global.databasePath(configuration)
    let log = RunLog(format: logFormat, verbose: verbose)
    let reports = configuration.reports.out
    if dryRun {
      let store = try Store(path: database)
      let isPublished = { (month: BillingMonth) in
        ReportFingerprint.isCurrent(store: store, month: month, root: reports)
      }
      let run = NightlyRun(
        configuration: configuration, store: store, log: log, stages: [], isPublished: isPublished)
      let plan = try run.plan()
      for delivery in plan.deliveries {
        printOut("would import \(delivery.path) (source \(delivery.source))\n")
      }
      for month in plan.months { printOut("would process and report \(month)\n") }
      if plan.deliveries.isEmpty && plan.months.isEmpty { printOut("nothing to do\n") }
      return
    }
    let lock = try RunLock(database: database)
    let store = try Store(path: database)
    let isPublished = { (month: BillingMonth) in
      ReportFingerprint.isCurrent(store: store, month: month, root: reports)
    }
    let run = NightlyRun(
      configuration: configuration, store: store, log: log,
      stages: NightlyRun.standardStages(configuration),
      publish: NightlyRun.standardPublish(configuration), isPublished: isPublished)
    let result = try run.run()
    if verbose || isatty(STDOUT_FILENO) != 0 {
      printOut(result.diff.lines.map { $0 + "\n" }.joined())
    }
    withExtendedLifetime(lock) {}
    if result.failed {
      let failed = result.deliveries.deliveries.filter { $0.status == "failed" }.map(\.path)
      log.error(
        "\(failed.count) deliveries failed and were rolled back: \(failed.joined(separator: ", "))")
      throw ExitCode(ExitStatus.input)
    }
  }
}

/// `tally runs`
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs",
    abstract: "The recorded runs of tally nightly, newest first, or one run in detail.",
    discussion: """
      A run is ok, partial (some deliveries failed), failed (the one-line reason is shown), \
      interrupted (its process was killed; the next run redid its work) or running.
      """)

  @ParentCommand var tally: Tally
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
  @Option(help: "How many runs.") var limit = 20
  @Option(
    name: .customLong("run"),
    help: "Show this run: its deliveries and what changed since the run before it.")
  var runID: Int64?

  func run() throws {
    let (store, _) = try tally.global.openStore()
    guard let id = runID else {
      printOut(try RunsOutput(try store.runs(limit: limit)).rendered(as: format))
      return
    }
    guard let record = try store.run(id), let diff = try RunDiff.stored(run: id, in: store) else {
      throw ValidationError("no run #\(id) is recorded; `tally runs` lists them")
    }
    printOut(
      try RunDetailOutput(record, deliveries: try store.runDeliveries(id), diff: diff)
        .rendered(as: format))
  }
}

extension RunLog.Format: ExpressibleByArgument {}
