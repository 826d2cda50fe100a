import ArgumentParser
import TallyKit

/// `tally allocate [--month M | --all]`
struct AllocateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "allocate",
    abstract: "Allocate every cent of a month to teams and store the result with its lineage.",
    discussion: """
      Without options, allocates every month whose stored allocation is missing, or was made \
      before the month's data or the configuration changed. --month redoes one month, --all \
      every month. Each month's tags are resolved again first, so a changed tally.yaml needs no \
      re-import. Prints, per month, currency and cost basis, the lines' total against the \
      allocated and unallocated amounts; exits 4 if they ever differ.
      """)

  @ParentCommand var tally: Tally
  @Option(help: "The month to allocate, YYYY-MM.") var month: BillingMonth?
  @Flag(help: "Allocate every month with data.") var all = false
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func run() throws {
    let (store, configuration) = try tally.global.openStore()
    let allocator = Allocator(configuration: configuration)
    let output = try allocator.allocate(month.map { [$0] }, all: all, in: store)
    printOut(try output.rendered(as: format))
    guard output.conserved else { throw AllocationError.notConserved }
  }
}
