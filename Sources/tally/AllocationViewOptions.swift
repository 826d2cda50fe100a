import ArgumentParser
import TallyKit

/// Options of the commands that read the stored allocation.
struct AllocationViewOptions: ParsableArguments {
  @Option(help: "The month, YYYY-MM (default: the latest month with data).")
  var month: BillingMonth?
  @Option(help: "Cost basis: effective, billed or list (default: allocation.cost).")
  var basis: CostBasis?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  /// Opens the store, picks the month and makes the stored allocation of the months `window`
  /// names usable (allocating missing ones), printing what it did to stderr.
  func prepare(_ global: GlobalOptions, window: (BillingMonth) -> [BillingMonth]) throws
    -> StoredAllocationView
  {
    let configuration = try global.configuration()
    let view = try StoredAllocationView(
      configuration: configuration, database: global.databasePath(configuration), month: month,
      basis: basis, window: window)
    for note in view.notes { printError("tally: \(note)") }
    return view
  }
}
