/// The stored allocation of one month as the reading commands (`teams`, `team`, `explain`) see
/// it: the store, the configuration, the month (by default the latest with data) and the cost
/// basis (by default `allocation.cost`).
public struct StoredAllocationView {
  /// The open store.
  public let store: Store
  /// The configuration.
  public let configuration: Configuration
  /// The month shown.
  public let month: BillingMonth
  /// The cost basis shown.
  public let basis: CostBasis
  /// What was done to make the stored allocation usable, for standard error.
  public let notes: [String]

  /// Opens the store and makes the stored allocation of `window(month)` usable (see
  /// ``Allocator/refresh(_:in:)``), except while a nightly run is writing: then, and when the
  /// database stays busy past the busy timeout, it shows the allocation as stored (the
  /// previous data) and says so in `notes`, so that readers never wait on, or write under, the
  /// nightly run.
  ///
  /// - Throws: ``AllocationError`` when the store or the month has no lines.
  public init(
    configuration: Configuration, database: String, month: BillingMonth?, basis: CostBasis?,
    window: (BillingMonth) -> [BillingMonth]
  ) throws {
    store = try Store(path: database)
    self.configuration = configuration
    guard let month = try month ?? store.latestMonth() else { throw AllocationError.emptyStore }
    guard try store.monthsWithData().contains(month) else { throw AllocationError.noData(month) }
    self.month = month
    self.basis = basis ?? configuration.allocation.cost
    if let running = try store.runningRun() {
      notes = [
        "nightly run #\(running.id) (started \(running.startedAt)) has not finished; "
          + "showing the allocation stored before it"
      ]
      return
    }
    do {
      notes = try Allocator(configuration: configuration).refresh(window(month), in: store)
    } catch let error as SQLiteError where error.isBusy {
      notes = ["the database is busy (\(error.message)); showing the allocation as stored"]
    }
  }

  /// `tally teams`, read from one snapshot of the store.
  public func teams() throws -> TeamsOutput {
    try store.reading { try readTeams() }
  }

  private func readTeams() throws -> TeamsOutput {
    let current = try store.teamTotals(in: month, basis: basis)
    let previousMonth = month.previous
    let hasPrevious = try store.allocationRun(of: previousMonth) != nil
    let previous = hasPrevious ? try store.teamTotals(in: previousMonth, basis: basis) : nil
    return try TeamsOutput(
      month: month, basis: basis, bucket: try bucket(), current: current, previous: previous,
      rates: try rates(current: current.map(\.currency), previous: previous?.map(\.currency)))
  }

  /// `tally team NAME`, read from one snapshot of the store.
  ///
  /// - Throws: ``AllocationError/unknownTeam(_:month:suggestion:)`` when the team has no
  ///   allocation this month.
  public func team(_ name: String) throws -> TeamOutput {
    try store.reading {
      let view = try TeamOutput.load(
        team: name, month: month, basis: basis, from: store, rates: rates(current:previous:))
      guard !view.totals.isEmpty else { throw try unknown(name) }
      return view
    }
  }

  /// `tally explain --team NAME`, read from one snapshot of the store; the unallocated bucket's
  /// name explains the bucket.
  public func explain(_ name: String) throws -> ExplainOutput {
    try store.reading {
      let bucket = try bucket()
      let output = try ExplainOutput.load(
        team: name == bucket ? nil : name, name: name, month: month, basis: basis, from: store)
      guard !output.currencies.isEmpty || name == bucket else { throw try unknown(name) }
      return output
    }
  }

  /// The bucket's name as stored with the month.
  private func bucket() throws -> String {
    try store.allocationRun(of: month)?.unallocated ?? configuration.allocation.unallocated
  }

  private func unknown(_ name: String) throws -> AllocationError {
    let teams = try store.teamTotals(in: month, basis: basis).compactMap(\.team)
    return .unknownTeam(name, month: month, suggestion: closest(to: name, in: teams))
  }

  private func rates(current: [String], previous: [String]?) throws
    -> (current: ReportingRates, previous: ReportingRates?)?
  {
    guard let rates = try ReportingRates(configuration, month: month, currencies: current) else {
      return nil
    }
    let before = try previous.flatMap {
      try ReportingRates(configuration, month: month.previous, currencies: $0)
    }
    return (rates, before)
  }
}
