internal import CSQLite

/// A prepared statement, made by ``Connection/prepare(_:persistent:)``.
///
/// `Statement` is noncopyable, so it is finalized (`sqlite3_finalize`) exactly once, when its
/// owner lets go of it. For a bulk insert, prepare once with `persistent: true`, then per row
/// bind every parameter and call ``run()``: it steps and resets, and the bindings stay in place
/// for the next row, so there is no need to clear them.
///
/// Parameter and column indexes are SQLite's: parameters count from 1, columns from 0.
///
/// **Bind failures stop the program.** `sqlite3_bind_*` touches no file; it fails only for a
/// parameter index out of range, a statement that is mid-step, or a value over SQLite's
/// size limits. Those are programmer errors, so the `bind` methods call `fatalError` with
/// SQLite's message and the SQL (never the value), as GRDB does, rather than make every bind
/// `throws`.
///
/// Not `Sendable`: use a statement on the task that owns its ``Connection``.
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/stmt.html>
public struct Statement: ~Copyable {
  /// The `sqlite3_stmt *`.
  let handle: OpaquePointer

  init(handle: OpaquePointer) {
    self.handle = handle
  }

  deinit {
    sqlite3_finalize(handle)
  }

  // MARK: Binding

  /// Binds an integer to parameter `index` (from 1).
  public func bind(_ value: Int64, at index: Int32) {
    check(sqlite3_bind_int64(handle, index, value), binding: index)
  }

  /// Binds an integer, or NULL when `value` is nil, to parameter `index` (from 1).
  public func bind(_ value: Int64?, at index: Int32) {
    if let value { bind(value, at: index) } else { bindNull(at: index) }
  }

  /// Binds a floating-point number to parameter `index` (from 1). NaN is stored as NULL.
  public func bind(_ value: Double, at index: Int32) {
    check(sqlite3_bind_double(handle, index, value), binding: index)
  }

  /// Binds a floating-point number, or NULL when `value` is nil, to parameter `index` (from 1).
  public func bind(_ value: Double?, at index: Int32) {
    if let value { bind(value, at: index) } else { bindNull(at: index) }
  }

  /// Binds text, or NULL when `value` is nil, to parameter `index` (from 1).
  ///
  /// SQLite copies the UTF-8 bytes (`SQLITE_TRANSIENT`), so `value` need not outlive the call.
  /// For the per-row path of a bulk load, ``bindText(borrowing:at:)`` avoids the copy.
  public func bind(_ value: String?, at index: Int32) {
    guard var value else {
      bindNull(at: index)
      return
    }
    let handle = self.handle
    let code = value.withUTF8 { utf8 in
      guard let base = utf8.baseAddress, !utf8.isEmpty else {
        return sqlite3_bind_text64(handle, index, "", 0, csqlite_transient(), UInt8(SQLITE_UTF8))
      }
      return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { text in
        sqlite3_bind_text64(
          handle, index, text, UInt64(utf8.count), csqlite_transient(), UInt8(SQLITE_UTF8))
      }
    }
    check(code, binding: index)
  }

  /// Binds UTF-8 `bytes` as text to parameter `index` (from 1) **without copying them**
  /// (`SQLITE_STATIC`).
  ///
  /// The bytes must stay valid and unchanged until the statement has been stepped and reset
  /// (``run()`` does both; so does the end of ``forEachRow(_:)``). In practice: bind, run and
  /// let go inside the closure that lends you the bytes, and never keep the pointer.
  ///
  /// Empty `bytes` bind the empty string `''`, not NULL, even when their `baseAddress` is nil
  /// (as it can be for an empty buffer); use ``bindNull(at:)`` for NULL.
  public func bindText(borrowing bytes: UnsafeRawBufferPointer, at index: Int32) {
    let code: Int32
    if let base = bytes.baseAddress, !bytes.isEmpty {
      code = sqlite3_bind_text64(
        handle, index, base.assumingMemoryBound(to: CChar.self), UInt64(bytes.count),
        csqlite_static(), UInt8(SQLITE_UTF8))
    } else {
      // A NULL pointer would bind SQL NULL. Copying zero bytes costs nothing.
      code = sqlite3_bind_text64(handle, index, "", 0, csqlite_transient(), UInt8(SQLITE_UTF8))
    }
    check(code, binding: index)
  }

  /// Binds NULL to parameter `index` (from 1).
  public func bindNull(at index: Int32) {
    check(sqlite3_bind_null(handle, index), binding: index)
  }

  // MARK: Stepping

  /// Steps a statement that returns no rows (INSERT, UPDATE, DDL…), then resets it for reuse.
  ///
  /// The bindings are kept, so only the parameters that change need binding again.
  ///
  /// - Throws: ``SQLiteError`` when the step fails (a constraint, a lock, I/O…), or with
  ///   `SQLITE_MISUSE` when the statement produced a row; use ``step()`` or
  ///   ``forEachRow(_:)`` for queries. The statement is reset either way.
  public func run() throws(SQLiteError) {
    let code = sqlite3_step(handle)
    if code == SQLITE_DONE {
      sqlite3_reset(handle)
      return
    }
    let error =
      code == SQLITE_ROW
      ? SQLiteError.misuse("run() got a result row; use step() or forEachRow(_:)", sql: sql)
      : SQLiteError(code: code, db: sqlite3_db_handle(handle), sql: sql)
    sqlite3_reset(handle)
    throw error
  }

  /// Steps once.
  ///
  /// - Returns: true when a row is available (read it with the column accessors), false when
  ///   the statement is done. Call ``reset()`` before stepping a finished statement again.
  /// - Throws: ``SQLiteError`` when the step fails; the statement is then reset.
  public func step() throws(SQLiteError) -> Bool {
    let code = sqlite3_step(handle)
    if code == SQLITE_ROW { return true }
    if code == SQLITE_DONE { return false }
    let error = SQLiteError(code: code, db: sqlite3_db_handle(handle), sql: sql)
    sqlite3_reset(handle)
    throw error
  }

  /// Rewinds the statement so it can be stepped again. Bindings are kept.
  public func reset() {
    // The result repeats the last step's error, which step() or run() already reported.
    sqlite3_reset(handle)
  }

  /// Calls `body` once per result row, with the statement positioned on that row, then resets
  /// the statement (also when `body` or a step throws).
  ///
  /// The statement is reset first too, so iteration always starts at the first row.
  public func forEachRow(_ body: (borrowing Statement) throws -> Void) throws {
    sqlite3_reset(handle)
    defer { sqlite3_reset(handle) }
    while try step() {
      try body(self)
    }
  }

  // MARK: Columns of the current row

  /// The value of `column` (from 0) as an integer; 0 for NULL. Text is converted as SQLite does.
  public func int64(at column: Int32) -> Int64 {
    sqlite3_column_int64(handle, column)
  }

  /// The value of `column` (from 0) as an integer, or nil for NULL.
  public func optionalInt64(at column: Int32) -> Int64? {
    isNull(at: column) ? nil : sqlite3_column_int64(handle, column)
  }

  /// The value of `column` (from 0) as a floating-point number; 0 for NULL.
  public func double(at column: Int32) -> Double {
    sqlite3_column_double(handle, column)
  }

  /// The value of `column` (from 0) as a floating-point number, or nil for NULL.
  public func optionalDouble(at column: Int32) -> Double? {
    isNull(at: column) ? nil : sqlite3_column_double(handle, column)
  }

  /// The value of `column` (from 0) as text; "" for NULL. Invalid UTF-8 is repaired with U+FFFD.
  public func text(at column: Int32) -> String {
    // Order matters: column_text converts the value, then column_bytes measures the result.
    guard let text = sqlite3_column_text(handle, column) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, column))
    return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
  }

  /// The UTF-8 bytes of `column` (from 0) as text, without copying them; empty for NULL.
  ///
  /// The bytes belong to SQLite and stay valid only until the statement steps, resets or is
  /// asked for the same column in another form: read them at once (e.g. to look them up in an
  /// intern table) and never keep the pointer.
  public func textBytes(at column: Int32) -> UnsafeRawBufferPointer {
    guard let text = sqlite3_column_text(handle, column) else {
      return UnsafeRawBufferPointer(start: nil, count: 0)
    }
    return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
  }

  /// The value of `column` (from 0) as text, or nil for NULL.
  public func optionalText(at column: Int32) -> String? {
    isNull(at: column) ? nil : text(at: column)
  }

  /// Whether the value of `column` (from 0) is NULL.
  public func isNull(at column: Int32) -> Bool {
    sqlite3_column_type(handle, column) == SQLITE_NULL
  }

  /// The number of columns in a result row (0 for statements that return no data).
  public var columnCount: Int32 {
    sqlite3_column_count(handle)
  }

  // MARK: Helpers

  /// The SQL text the statement was prepared from, with its placeholders (`sqlite3_sql`).
  var sql: String {
    sqlite3_sql(handle).map { String(cString: $0) } ?? ""
  }

  @inline(__always)
  private func check(_ code: Int32, binding index: Int32) {
    if code != SQLITE_OK { bindFailed(code, index: index) }
  }

  @inline(never)
  private func bindFailed(_ code: Int32, index: Int32) -> Never {
    let error = SQLiteError(code: code, db: sqlite3_db_handle(handle), sql: sql)
    fatalError("cannot bind parameter \(index): \(error)")
  }
}

@available(*, unavailable)
extension Statement: Sendable {}
