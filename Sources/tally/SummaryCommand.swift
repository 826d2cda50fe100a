import ArgumentParser
import TallyKit

/// `tally summary`
struct SummaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: "What is in the store: months, currencies, lines and cost totals.")

  @ParentCommand var tally: Tally
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func run() throws {
    let (store, _) = try tally.global.openStore()
    printOut(try SummaryOutput(try store.monthTotals()).rendered(as: format))
  }
}
