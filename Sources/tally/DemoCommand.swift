import ArgumentParser
import Foundation
import TallyKit

/// `tally demo`
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "A nightly run over the bundled sample bills with the demo configuration.",
    discussion: "Recreates the demo database, so every run shows the full first night.")

  @Option(help: "The demo configuration.") var config = "demo/tally.yaml"

  func run() throws {
    guard FileManager.default.fileExists(atPath: config) else {
      throw ValidationError(
        "no demo configuration at \(config): run `make demo` from the repository root")
    }
    let configuration = try Configuration.load(from: config)
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: configuration.database + suffix)
    }
    let store = try Store(path: configuration.database)
    let log = RunLog(verbose: true)
    let result = try NightlyRun(
      configuration: configuration, store: store, log: log,
      stages: NightlyRun.standardStages(configuration),
      publish: NightlyRun.standardPublish(configuration), isPublished: { _ in false }
    ).run()
    printOut("\n" + (try SummaryOutput(try store.monthTotals()).rendered(as: .table)))
    let database = configuration.database
    printOut(
      """

      Open \(configuration.reports.out)/index.html for the reports.
      The demo database is \(database). Try:
        .build/release/tally --config \(config) teams
        .build/release/tally --config \(config) team payments
        .build/release/tally --config \(config) explain --team payments
        .build/release/tally --config \(config) check --list
        .build/release/tally --config \(config) recommend

      """)
    if result.failed { throw ExitCode(ExitStatus.input) }
  }
}
