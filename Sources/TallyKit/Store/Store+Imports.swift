/// An import as the store records it.
public struct StoredImport: Sendable, Hashable {
  /// The import's id.
  public var id: Int64
  /// The delivery stream it belongs to.
  public var source: String
  /// The path it was imported from.
  public var path: String
  /// The import that superseded it, if any.
  public var replacedBy: Int64?
}

/// The cost totals of one month and currency of an import.
public struct PeriodTotals: Sendable, Hashable {
  /// The billing month.
  public var month: BillingMonth
  /// The billing currency, e.g. `USD`.
  public var currency: String
  /// How many lines.
  public var rowCount: Int
  /// The four costs summed.
  public var totals: CostTotals

  /// Creates period totals.
  public init(month: BillingMonth, currency: String, rowCount: Int, totals: CostTotals) {
    self.month = month
    self.currency = currency
    self.rowCount = rowCount
    self.totals = totals
  }
}

/// A file that is part of an import.
public struct ImportedFile: Sendable, Hashable {
  /// The path as named.
  public var path: String
  /// SHA-256 of its bytes, hex.
  public var sha256: String
  /// Its size in bytes.
  public var byteCount: Int64
  /// How many data rows it had.
  public var rowCount: Int
}

extension Store {
  /// The earlier import of exactly these bytes, if any.
  public func importWithSHA256(_ sha256: String) throws(SQLiteError) -> StoredImport? {
    let statement = try connection.prepare(
      "SELECT id, source, path, replaced_by FROM imports WHERE sha256 = ? ORDER BY id LIMIT 1")
    statement.bind(sha256, at: 1)
    guard try statement.step() else { return nil }
    return StoredImport(
      id: statement.int64(at: 0), source: statement.text(at: 1), path: statement.text(at: 2),
      replacedBy: statement.optionalInt64(at: 3))
  }

  /// Whether some imported file had `byteCount` bytes (or an unknown size): when none had, no
  /// earlier import can hold the same bytes as a file of that size.
  public func hasImportedFile(ofSize byteCount: Int64) throws(SQLiteError) -> Bool {
    let statement = try connection.prepare(
      "SELECT 1 FROM import_files WHERE byte_count IN (?, 0) LIMIT 1")
    statement.bind(byteCount, at: 1)
    return try statement.step()
  }

  /// Records the start of an import; its lines follow, and ``finishImport`` records its
  /// SHA-256. Call inside a transaction.
  func beginImport(path: String, format: String, formatVersion: String) throws(SQLiteError)
    -> Int64
  {
    let statement = try connection.prepare(
      """
      INSERT INTO imports (source, path, sha256, format, format_version, row_count, imported_at)
      VALUES ('', ?, '', ?, ?, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      """)
    statement.bind(path, at: 1)
    statement.bind(format, at: 2)
    statement.bind(formatVersion, at: 3)
    try statement.run()
    return connection.lastInsertRowID
  }

  /// Records what an import delivered (its identity `sha256`, files, totals and the line
  /// groups read back from its lines, for the policy stage and the allocation), and supersedes
  /// the earlier deliveries of the same source for the same months: their lines for those months
  /// are deleted. Returns the ids of the imports that this one replaced wholly or in part. Call
  /// inside the import's transaction.
  func finishImport(
    id: Int64, source: String, sha256: String, formatVersion: String, files: [ImportedFile],
    totals: [PeriodTotals], lineIDs: ClosedRange<Int64>?, lineGroups: LineGroups?
  ) throws(SQLiteError) -> [Int64] {
    let update = try connection.prepare(
      """
      UPDATE imports SET source = ?, sha256 = ?, format_version = ?, row_count = ?,
        first_line_id = ?, last_line_id = ? WHERE id = ?
      """)
    update.bind(source, at: 1)
    update.bind(sha256, at: 2)
    update.bind(formatVersion, at: 3)
    update.bind(Int64(totals.reduce(0) { $0 + $1.rowCount }), at: 4)
    update.bind(lineIDs?.lowerBound, at: 5)
    update.bind(lineIDs?.upperBound, at: 6)
    update.bind(id, at: 7)
    try update.run()

    let insertFile = try connection.prepare(
      "INSERT INTO import_files (import_id, path, sha256, byte_count, row_count) VALUES (?,?,?,?,?)"
    )
    for file in files {
      insertFile.bind(id, at: 1)
      insertFile.bind(file.path, at: 2)
      insertFile.bind(file.sha256, at: 3)
      insertFile.bind(file.byteCount, at: 4)
      insertFile.bind(Int64(file.rowCount), at: 5)
      try insertFile.run()
    }

    let insertTotals = try connection.prepare(
      """
      INSERT INTO import_totals (import_id, billing_period, billing_currency, row_count,
        billed_cost, effective_cost, list_cost, contracted_cost) VALUES (?,?,?,?,?,?,?,?)
      """)
    for period in totals {
      insertTotals.bind(id, at: 1)
      insertTotals.bind(period.month.description, at: 2)
      insertTotals.bind(period.currency, at: 3)
      insertTotals.bind(Int64(period.rowCount), at: 4)
      insertTotals.bind(period.totals.billed.nanos, at: 5)
      insertTotals.bind(period.totals.effective.nanos, at: 6)
      insertTotals.bind(period.totals.list.nanos, at: 7)
      insertTotals.bind(period.totals.contracted.nanos, at: 8)
      try insertTotals.run()
    }
    if let lineGroups { try insertLineGroups(lineGroups, importID: id) }
    return try supersedeEarlierDeliveries(of: source, by: id, months: Set(totals.map(\.month)))
  }

  /// SQL for the lines of import `?1` in month `?2` (`YYYY-MM`). An import's lines have
  /// contiguous rowids (`imports.first_line_id` to `last_line_id`), so this is a range of
  /// rowids: `cost_lines` has no other index (keeping one cost a tenth of an import's CPU time).
  static let linesOfImportInMonth = """
    id BETWEEN (SELECT first_line_id FROM imports WHERE id = ?1)
      AND (SELECT last_line_id FROM imports WHERE id = ?1) AND billing_period = ?2
    """

  private func supersedeEarlierDeliveries(
    of source: String, by id: Int64, months: Set<BillingMonth>
  ) throws(SQLiteError) -> [Int64] {
    var replaced: Set<Int64> = []
    let findOlder = try connection.prepare(
      """
      SELECT DISTINCT t.import_id FROM import_totals t JOIN imports i ON i.id = t.import_id
      WHERE i.source = ? AND t.billing_period = ? AND t.import_id <> ?
      """)
    let deleteLines = try connection.prepare(
      "DELETE FROM cost_lines WHERE \(Store.linesOfImportInMonth)")
    let deleteTotals = try connection.prepare(
      "DELETE FROM import_totals WHERE billing_period = ? AND import_id = ?")
    for month in months.sorted() {
      findOlder.bind(source, at: 1)
      findOlder.bind(month.description, at: 2)
      findOlder.bind(id, at: 3)
      var older: [Int64] = []
      while try findOlder.step() { older.append(findOlder.int64(at: 0)) }
      findOlder.reset()
      for olderID in older {
        deleteLines.bind(olderID, at: 1)
        deleteLines.bind(month.description, at: 2)
        try deleteLines.run()
        deleteTotals.bind(month.description, at: 1)
        deleteTotals.bind(olderID, at: 2)
        try deleteTotals.run()
        replaced.insert(olderID)
      }
    }
    let markReplaced = try connection.prepare(
      """
      UPDATE imports SET replaced_by = ?
      WHERE id = ? AND NOT EXISTS (SELECT 1 FROM import_totals WHERE import_id = imports.id)
      """)
    for olderID in replaced {
      markReplaced.bind(id, at: 1)
      markReplaced.bind(olderID, at: 2)
      try markReplaced.run()
    }
    return replaced.sorted()
  }

  func periodTotals(_ statement: borrowing Statement) throws(SQLiteError) -> [PeriodTotals] {
    var result: [PeriodTotals] = []
    do {
      try statement.forEachRow { row in
        guard let month = BillingMonth(row.text(at: 0)) else { return }
        result.append(
          PeriodTotals(
            month: month, currency: row.text(at: 1), rowCount: Int(row.int64(at: 2)),
            totals: CostTotals(
              billed: Money(nanos: row.int64(at: 3)), effective: Money(nanos: row.int64(at: 4)),
              list: Money(nanos: row.int64(at: 5)), contracted: Money(nanos: row.int64(at: 6)))))
      }
    } catch let error as SQLiteError {
      throw error
    } catch {
      throw SQLiteError(code: 1, message: "\(error)", sql: nil)
    }
    return result
  }
}
