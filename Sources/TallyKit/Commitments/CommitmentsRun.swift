/// The commitments stage of `tally nightly` (and of `tally report` when a month's results are
/// missing or stale): runs the ``Recommender`` for a month with the configuration's
/// `commitments` section and stores what it found, so that reports read it and never
/// recompute.
public struct CommitmentsRun: Sendable {
  private let settings: CommitmentsConfiguration
  private let fingerprint: String

  /// Prepares the stage for a configuration.
  public init(configuration: Configuration) {
    settings = configuration.commitments
    fingerprint = configuration.commitmentsFingerprint
  }

  /// Whether `month`'s stored results were computed with these settings from the data the
  /// store holds now for every month its look-back reaches.
  public func isCurrent(_ month: BillingMonth, in store: Store) throws -> Bool {
    guard let run = try store.commitmentRun(of: month), run.configFingerprint == fingerprint
    else { return false }
    let data = try store.commitmentDataFingerprint(of: month, lookbackDays: settings.lookbackDays)
    return run.dataFingerprint == data
  }

  /// Computes `month`'s recommendations and owned commitments and replaces its stored results
  /// in one transaction.
  @discardableResult
  public func run(on store: Store, month: BillingMonth) throws -> CommitmentReport {
    let record = CommitmentRunRecord(
      month: month, configFingerprint: fingerprint,
      dataFingerprint: try store.commitmentDataFingerprint(
        of: month, lookbackDays: settings.lookbackDays))
    let report = try Recommender.report(store: store, configuration: settings, through: month)
    try store.transaction { try store.replaceCommitmentResults(report, run: record) }
    return report
  }

  /// Runs the stage for `month` unless its stored results are current.
  /// - Returns: whether it ran.
  @discardableResult
  public func refresh(_ month: BillingMonth, in store: Store) throws -> Bool {
    guard !(try isCurrent(month, in: store)) else { return false }
    try run(on: store, month: month)
    return true
  }
}
