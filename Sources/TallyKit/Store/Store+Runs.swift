/// One figure a run ended with.
public struct RunFigure: Sendable, Hashable {
  /// `billed`, `effective`, `team` or `compliance`.
  public var kind: String
  /// The month.
  public var month: String
  /// The currency ('' for ratios).
  public var currency: String
  /// The team for `team` figures, else ''.
  public var name: String
  /// Nanos, or parts per million for ratios.
  public var value: Int64

  /// Creates a figure.
  public init(kind: String, month: String, currency: String, name: String, value: Int64) {
    self.kind = kind
    self.month = month
    self.currency = currency
    self.name = name
    self.value = value
  }
}

/// A delivery a run considered, and what became of it.
public struct RunDelivery: Sendable, Hashable, Encodable {
  /// The file as configured.
  public var path: String
  /// imported, replaced, skipped or failed.
  public var status: String
  /// Lines imported.
  public var lines: Int
  /// Why it failed.
  public var message: String?

  /// Creates a delivery record.
  public init(path: String, status: String, lines: Int, message: String? = nil) {
    self.path = path
    self.status = status
    self.lines = lines
    self.message = message
  }
}

/// A run of `tally nightly` as recorded.
public struct RunRecord: Sendable, Hashable {
  /// The run's id.
  public var id: Int64
  /// When it started and ended (UTC, ISO 8601).
  public var startedAt: String
  /// When it ended, if it did.
  public var endedAt: String?
  /// running, ok, partial, failed or interrupted (its process ended without finishing).
  public var status: String
  /// Deliveries imported, replaced, skipped and failed.
  public var imported: Int
  /// Deliveries that replaced earlier ones.
  public var replaced: Int
  /// Deliveries already imported.
  public var skipped: Int
  /// Deliveries that failed.
  public var failed: Int
  /// Lines imported.
  public var lines: Int
  /// Warnings logged.
  public var warnings: Int
  /// Months processed.
  public var months: [String]
  /// The one-line reason of a failure.
  public var message: String?
}

extension Store {
  /// Records the start of a run and returns its id.
  public func beginRun(at time: Timestamp) throws(SQLiteError) -> Int64 {
    let statement = try connection.prepare(
      "INSERT INTO runs (started_at, status) VALUES (?, 'running')")
    statement.bind(time.description, at: 1)
    try statement.run()
    return connection.lastInsertRowID
  }

  /// Records a delivery's outcome in a run.
  public func recordRunDelivery(
    run: Int64, path: String, status: String, importID: Int64?, lines: Int, message: String?
  ) throws(SQLiteError) {
    let statement = try connection.prepare(
      """
      INSERT OR REPLACE INTO run_deliveries (run_id, path, status, import_id, lines, message)
      VALUES (?, ?, ?, ?, ?, ?)
      """)
    statement.bind(run, at: 1)
    statement.bind(path, at: 2)
    statement.bind(status, at: 3)
    statement.bind(importID, at: 4)
    statement.bind(Int64(lines), at: 5)
    statement.bind(message, at: 6)
    try statement.run()
  }

  /// Records how a run ended, with the figures it ended with.
  public func finishRun(_ record: RunRecord, figures: [RunFigure]) throws(SQLiteError) {
    let update = try connection.prepare(
      """
      UPDATE runs SET ended_at = ?, status = ?, files_imported = ?, files_replaced = ?,
        files_skipped = ?, files_failed = ?, lines = ?, warnings = ?, months = ?, message = ?
      WHERE id = ?
      """)
    update.bind(record.endedAt, at: 1)
    update.bind(record.status, at: 2)
    update.bind(Int64(record.imported), at: 3)
    update.bind(Int64(record.replaced), at: 4)
    update.bind(Int64(record.skipped), at: 5)
    update.bind(Int64(record.failed), at: 6)
    update.bind(Int64(record.lines), at: 7)
    update.bind(Int64(record.warnings), at: 8)
    update.bind(record.months.joined(separator: ","), at: 9)
    update.bind(record.message, at: 10)
    update.bind(record.id, at: 11)
    try update.run()
    let insert = try connection.prepare(
      "INSERT INTO run_figures (run_id, kind, billing_period, currency, name, value) VALUES (?,?,?,?,?,?)"
    )
    for figure in figures {
      insert.bind(record.id, at: 1)
      insert.bind(figure.kind, at: 2)
      insert.bind(figure.month, at: 3)
      insert.bind(figure.currency, at: 4)
      insert.bind(figure.name, at: 5)
      insert.bind(figure.value, at: 6)
      try insert.run()
    }
  }

  /// Marks every run still recorded as `running` as `interrupted`: call it holding the
  /// ``RunLock``, when no other run can be alive, so such a run's process ended without
  /// finishing (killed, out of memory, power loss). Returns their ids, oldest first.
  public func markInterruptedRuns() throws(SQLiteError) -> [Int64] {
    let ids = try runs(where: "status = 'running'").map(\.id).sorted()
    try connection.execute(
      """
      UPDATE runs SET status = 'interrupted',
        message = 'the process ended before the run finished (killed?); a later run redid its work'
      WHERE status = 'running'
      """)
    return ids
  }

  /// Runs, newest first.
  public func runs(limit: Int = 50) throws(SQLiteError) -> [RunRecord] {
    try runs(where: "1", limit: limit)
  }

  /// One run, if recorded.
  public func run(_ id: Int64) throws(SQLiteError) -> RunRecord? {
    try runs(where: "id = \(id)").first
  }

  /// The latest run still recorded as `running`: a nightly run writing now (or one killed, until
  /// the next run marks it interrupted).
  public func runningRun() throws(SQLiteError) -> RunRecord? {
    try runs(where: "status = 'running'", limit: 1).first
  }

  /// The latest successful (ok or partial) run, if any.
  public func latestSuccessfulRun() throws(SQLiteError) -> RunRecord? {
    try runs(where: "status IN ('ok', 'partial')", limit: 1).first
  }

  /// Runs matching `condition` (SQL built by this file only), newest first.
  private func runs(where condition: String, limit: Int = -1) throws(SQLiteError) -> [RunRecord] {
    let statement = try connection.prepare(
      """
      SELECT id, started_at, ended_at, status, files_imported, files_replaced, files_skipped,
        files_failed, lines, warnings, months, message FROM runs WHERE \(condition)
      ORDER BY id DESC LIMIT ?
      """)
    statement.bind(Int64(limit), at: 1)
    var records: [RunRecord] = []
    while try statement.step() {
      records.append(
        RunRecord(
          id: statement.int64(at: 0), startedAt: statement.text(at: 1),
          endedAt: statement.optionalText(at: 2), status: statement.text(at: 3),
          imported: Int(statement.int64(at: 4)), replaced: Int(statement.int64(at: 5)),
          skipped: Int(statement.int64(at: 6)), failed: Int(statement.int64(at: 7)),
          lines: Int(statement.int64(at: 8)), warnings: Int(statement.int64(at: 9)),
          months: statement.text(at: 10).split(separator: ",").map(String.init),
          message: statement.optionalText(at: 11)))
    }
    return records
  }

  /// The figures of the latest successful (ok or partial) run before `run`, if any.
  public func previousRunFigures(before run: Int64) throws(SQLiteError) -> (Int64, [RunFigure])? {
    guard
      let previous = try connection.scalarInt64(
        "SELECT max(id) FROM runs WHERE id < \(run) AND status IN ('ok', 'partial')")
    else { return nil }
    return (previous, try runFigures(previous))
  }

  /// The figures a run ended with.
  public func runFigures(_ run: Int64) throws(SQLiteError) -> [RunFigure] {
    let statement = try connection.prepare(
      """
      SELECT kind, billing_period, currency, name, value FROM run_figures WHERE run_id = ?
      ORDER BY kind, billing_period, currency, name
      """)
    statement.bind(run, at: 1)
    var figures: [RunFigure] = []
    while try statement.step() {
      figures.append(
        RunFigure(
          kind: statement.text(at: 0), month: statement.text(at: 1),
          currency: statement.text(at: 2),
          name: statement.text(at: 3), value: statement.int64(at: 4)))
    }
    return figures
  }

  /// The deliveries a run recorded, sorted by path.
  public func runDeliveries(_ run: Int64) throws(SQLiteError) -> [RunDelivery] {
    let statement = try connection.prepare(
      "SELECT path, status, lines, message FROM run_deliveries WHERE run_id = ? ORDER BY path")
    statement.bind(run, at: 1)
    var result: [RunDelivery] = []
    while try statement.step() {
      result.append(
        RunDelivery(
          path: statement.text(at: 0), status: statement.text(at: 1),
          lines: Int(statement.int64(at: 2)), message: statement.optionalText(at: 3)))
    }
    return result
  }

  /// The figures the store holds now, for a run to end with: billed and effective totals per
  /// month and currency (from `import_totals`, which holds the current deliveries' totals and
  /// is kept equal to `cost_lines`' sums), every team's total per month and currency on the month's allocation
  /// basis (the bucket under its name), and the stored tag compliance (share of effective
  /// cost, parts per million) per month and currency.
  public func currentRunFigures() throws(SQLiteError) -> [RunFigure] {
    let statement = try connection.prepare(
      """
      SELECT billing_period, billing_currency, sum(billed_cost), sum(effective_cost)
      FROM import_totals GROUP BY 1, 2 ORDER BY 1, 2
      """)
    var figures: [RunFigure] = []
    while try statement.step() {
      let (month, currency) = (statement.text(at: 0), statement.text(at: 1))
      figures.append(
        RunFigure(
          kind: "billed", month: month, currency: currency, name: "",
          value: statement.int64(at: 2)))
      figures.append(
        RunFigure(
          kind: "effective", month: month, currency: currency, name: "",
          value: statement.int64(at: 3)))
    }
    for month in try monthsWithData() {
      guard let allocation = try allocationRun(of: month) else { continue }
      for total in try teamTotals(in: month, basis: allocation.defaultBasis) {
        figures.append(
          RunFigure(
            kind: "team", month: month.description, currency: total.currency,
            name: total.team ?? allocation.unallocated, value: total.total.nanos))
      }
    }
    for row in try overallCompliance() {
      figures.append(
        RunFigure(
          kind: "compliance", month: row.month.description, currency: row.compliance.currency,
          name: "", value: Int64((row.compliance.compliance(.effective) * 1_000_000).rounded())))
    }
    return figures
  }

  /// The months that have lines, oldest first.
  ///
  /// Read from `import_totals`, which has a row per current import, month and currency with
  /// lines (a superseded delivery's rows go with its lines): `DISTINCT` over `cost_lines` walks
  /// its whole index, over a second for a year of million-line months, and `tally team` asks.
  public func monthsWithData() throws(SQLiteError) -> [BillingMonth] {
    let statement = try connection.prepare(
      "SELECT DISTINCT billing_period FROM import_totals ORDER BY 1")
    var months: [BillingMonth] = []
    while try statement.step() {
      if let month = BillingMonth(statement.text(at: 0)) { months.append(month) }
    }
    return months
  }
}
