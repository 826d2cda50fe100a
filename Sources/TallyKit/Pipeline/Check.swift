import Foundation

/// What `tally check` is asked to show.
public struct CheckRequest: Sendable {
  /// What to print.
  public enum View: Sendable, Equatable {
    /// Compliance overall and per key, or per team, account or service.
    case compliance(by: ComplianceDimension)
    /// The non-compliant resources, costliest first, at most `limit`.
    case offenders(limit: Int)
    /// The raw key spellings and the findings (invalid values, conflicts, miscased keys).
    case variants
  }

  /// The month.
  public var month: BillingMonth
  /// The currency, or nil for the month's only (or most used) currency.
  public var currency: String?
  /// The cost basis.
  public var basis = ComplianceBasis.effective
  /// The `--fail-under` threshold as a ratio 0…1.
  public var failUnder: Double?
  /// What to print.
  public var view = View.compliance(by: .overall)
  /// How to print it.
  public var format = OutputFormat.table
  /// Evaluate the months again even when their stored results are current.
  public var recompute = false

  /// A request for `month` with the defaults.
  public init(month: BillingMonth) { self.month = month }
}

/// What `tally check` prints, and how it ends.
public struct CheckResult: Sendable {
  /// For standard output.
  public var output: String
  /// For standard error: which months were evaluated, which currency was chosen.
  public var notes: [String]
  /// Whether overall compliance fell below `--fail-under`.
  public var failedThreshold: Bool
}

/// Why a check cannot run.
public struct CheckError: Error, Sendable, CustomStringConvertible {
  /// What to do about it.
  public var description: String
}

/// `tally check`: brings the policy results up to date through the month, then renders them.
public func runCheck(_ request: CheckRequest, configuration: Configuration, store: Store) throws
  -> CheckResult
{
  var notes: [String] = []
  let run = PolicyRun(configuration: configuration)
  for stats in try run.refresh(through: request.month, on: store, force: request.recompute) {
    notes.append(
      "evaluated \(stats.month): \(stats.lines) lines, \(stats.tagGroups) tag groups, "
        + "\(stats.evaluations) distinct evaluations in "
        + String(format: "%.3f s (%.3f s of CPU)", stats.seconds, stats.cpuSeconds))
  }
  let currencies = try store.complianceCurrencies(in: request.month)
  guard let currency = request.currency ?? currencies.first else {
    throw CheckError(description: "no lines in \(request.month)")
  }
  guard currencies.contains(currency) else {
    throw CheckError(
      description:
        "no \(currency) lines in \(request.month) (currencies: \(currencies.joined(separator: ", ")))"
    )
  }
  if request.currency == nil, currencies.count > 1 {
    notes.append(
      "\(request.month) has costs in \(currencies.joined(separator: ", ")); showing \(currency) "
        + "(choose with --currency)")
  }
  let compliance = CheckOutput(
    month: request.month, currency: currency, currencies: currencies.sorted(),
    rows: try store.complianceRows(in: request.month, currency: currency),
    rules: configuration.policy.tags, basis: request.basis, failUnder: request.failUnder)
  let output: String
  switch request.view {
  case .compliance(let dimension):
    output = try compliance.rendered(as: request.format, by: dimension)
  case .offenders(let limit):
    output = try OffendersOutput(
      month: request.month, currency: currency, basis: request.basis,
      resources: try store.noncompliantResources(
        in: request.month, currency: currency, basis: request.basis, limit: limit)
    ).rendered(as: request.format)
  case .variants:
    output = try VariantsOutput(
      month: request.month, currency: currency, basis: request.basis,
      variants: try store.keyVariants(in: request.month, currency: currency, basis: request.basis),
      findings: try store.policyFindings(
        in: request.month, currency: currency, basis: request.basis)
    ).rendered(as: request.format)
  }
  return CheckResult(output: output, notes: notes, failedThreshold: compliance.passed == false)
}
