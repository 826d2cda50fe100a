import ArgumentParser
import TallyKit

/// `tally check`
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Tag compliance of a month, weighted by cost, against the policy in tally.yaml.",
    discussion: """
      Every billing line is judged, tagged or not: exempt, compliant or non-compliant. \
      Compliance is compliant cost ÷ (compliant + non-compliant cost); exempt cost is left out. \
      The month (and the months before it) is evaluated again when the policy or the data \
      changed since its results were stored.
      Exit codes: 0 ok; 1 overall compliance below --fail-under; 2 usage or configuration \
      error; 4 internal error.
      """)

  @ParentCommand var tally: Tally
  @Option(help: "The month, YYYY-MM (default: the latest month with data).") var month: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
  @Option(help: "Cost basis: effective or billed.") var cost: ComplianceBasis = .effective
  @Option(help: "The currency (default: the month's only, or most used, currency).")
  var currency: String?
  @Option(
    name: .customLong("fail-under"),
    help: "Exit 1 when overall compliance is below PCT percent (0-100), for CI gates.")
  var failUnder: Double?
  @Option(help: "Break compliance down by team, account or service instead of by key.")
  var by: ComplianceDimension?
  @Flag(help: "List the non-compliant resources, costliest first.") var list = false
  @Option(help: "How many resources --list prints.") var limit = 20
  @Flag(help: "List the raw spellings of each key, invalid values and conflicts.")
  var variants = false
  @Flag(help: "Evaluate again even if the stored results are current.") var recompute = false

  func validate() throws {
    if let failUnder, !(0...100).contains(failUnder) {
      throw ValidationError("--fail-under takes a percentage from 0 to 100")
    }
    if [list, variants, by != nil].filter({ $0 }).count > 1 {
      throw ValidationError("choose one of --list, --variants and --by")
    }
    if by == .overall { throw ValidationError("--by takes team, account or service") }
  }

  func run() throws {
    let (store, configuration) = try tally.global.openStore()
    var request = CheckRequest(month: try resolvedMonth(month, in: store))
    request.currency = currency
    request.basis = cost
    request.failUnder = failUnder.map { $0 / 100 }
    request.view =
      list ? .offenders(limit: limit) : variants ? .variants : .compliance(by: by ?? .overall)
    request.format = format
    request.recompute = recompute
    let result = try runCheck(request, configuration: configuration, store: store)
    for note in result.notes { printError("tally: \(note)") }
    printOut(result.output)
    if result.failedThreshold { throw ExitCode(ExitStatus.thresholdFailed) }
  }
}

/// `--month`, or the latest month with data; an error when the store has none.
func resolvedMonth(_ text: String?, in store: Store) throws -> BillingMonth {
  let months = try store.monthsWithData()
  if let text {
    guard let month = BillingMonth(text) else {
      throw ValidationError("--month takes YYYY-MM, found \"\(text)\"")
    }
    guard months.contains(month) else {
      throw ValidationError(
        "no data for \(month) (months: \(months.map(\.description).joined(separator: ", ")))")
    }
    return month
  }
  guard let latest = months.last else {
    throw ValidationError("the store is empty: import a bill with `tally import PATH`")
  }
  return latest
}

extension ComplianceBasis: ExpressibleByArgument {}
extension ComplianceDimension: ExpressibleByArgument {}
