import ArgumentParser
import Foundation
import TallyKit

/// `tally demo`
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Import the bundled sample bills into a fresh demo database and summarise them.")

  @Option(help: "The folder of sample bills.") var samples = "sample-bills"
  @Option(help: "The demo database (recreated).") var db = "tally-demo.sqlite"

  func run() throws {
    guard FileManager.default.fileExists(atPath: samples) else {
      throw ValidationError(
        "no sample bills at \(samples): run `make demo` from the repository root")
    }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    let store = try Store(path: db)
    printOut("Importing \(samples) into \(db)\n")
    let result = try importDeliveries([samples], into: store, source: nil, format: .table)
    printOut("\n" + (try SummaryOutput(try store.monthTotals()).rendered(as: .table)))
    printOut("\nTry: .build/release/tally --db \(db) summary --format json\n")
    if result.failed { throw ExitCode(ExitStatus.input) }
  }
}
