internal import CSQLite

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A connection to one SQLite database file.
///
/// Opening turns on extended result codes and sets a 5-second busy timeout, so a short lock
/// held by another connection is waited for rather than reported. Pragmas such as
/// `journal_mode` are the caller's choice: run them with ``execute(_:)`` after opening.
///
/// The connection closes when the last reference goes away (`sqlite3_close_v2`: if statements
/// are still alive, SQLite closes once they are finalized). ``close()`` closes now and reports
/// errors.
///
/// Not `Sendable`: use a connection, and the statements prepared from it, from one task at a
/// time. So it opens with `SQLITE_OPEN_NOMUTEX`: SQLite then takes no mutex per call. That
/// made no measurable difference to a 2M-row insert, but column reads lock and unlock once
/// each in the serialized mode, and reading 1M lines for `tally recommend` spent 15 % of its
/// time there.
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/sqlite3.html>
public final class Connection {
  /// The `sqlite3 *`; nil once ``close()`` has succeeded.
  private var handle: OpaquePointer?

  /// Whether a ``transaction(_:)`` body is running, to catch nested calls.
  var isRunningTransactionBody = false

  /// The open handle. Using a closed connection is a programmer error.
  var db: OpaquePointer {
    guard let handle else { preconditionFailure("SQLite connection used after close()") }
    return handle
  }

  /// Opens the database file at `path`.
  ///
  /// - Parameters:
  ///   - path: A file path, or `:memory:` for a private in-memory database.
  ///   - readOnly: Open for reading only; writes then fail with `SQLITE_READONLY`.
  ///   - create: Create the file when it does not exist. Ignored when `readOnly`.
  /// - Throws: ``SQLiteError``, for example `SQLITE_CANTOPEN` (14) with the path in the message
  ///   when the file does not exist and `create` is false.
  public init(path: String, readOnly: Bool = false, create: Bool = true) throws(SQLiteError) {
    var flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
    if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
    var opened: OpaquePointer?
    let code = sqlite3_open_v2(path, &opened, flags, nil)
    guard code == SQLITE_OK, let opened else {
      let error = Connection.openError(
        code: code, db: opened, path: path, readOnly: readOnly, create: create)
      sqlite3_close_v2(opened)  // SQLite allocates a handle even when opening fails.
      throw error
    }
    handle = opened
    sqlite3_extended_result_codes(opened, 1)
    sqlite3_busy_timeout(opened, 5_000)
  }

  deinit {
    sqlite3_close_v2(handle)  // A no-op when close() already closed it.
  }

  /// Closes the connection now.
  ///
  /// Unlike the close in `deinit`, this uses `sqlite3_close`, which refuses while a
  /// ``Statement`` prepared from this connection is still alive. Closing twice does nothing.
  ///
  /// - Throws: ``SQLiteError`` with `SQLITE_BUSY` (5) when statements are still alive; the
  ///   connection then stays open and usable.
  public func close() throws(SQLiteError) {
    guard let handle else { return }
    let code = sqlite3_close(handle)
    guard code == SQLITE_OK else { throw SQLiteError(code: code, db: handle, sql: nil) }
    self.handle = nil
  }

  // MARK: Running SQL

  /// Runs one or more SQL statements separated by semicolons, ignoring any result rows
  /// (`sqlite3_exec`). For DDL, pragmas and transaction control.
  ///
  /// - Throws: ``SQLiteError`` from the first statement that fails; its `sql` is the whole of
  ///   `sql`. Statements before it have taken effect.
  public func execute(_ sql: String) throws(SQLiteError) {
    let db = self.db
    let code = sqlite3_exec(db, sql, nil, nil, nil)
    guard code == SQLITE_OK else { throw SQLiteError(code: code, db: db, sql: sql) }
  }

  /// Prepares one SQL statement.
  ///
  /// - Parameters:
  ///   - sql: Exactly one statement; a trailing semicolon, whitespace and comments are fine.
  ///   - persistent: Pass `SQLITE_PREPARE_PERSISTENT`, telling SQLite the statement will be
  ///     reused many times (the per-row statement of a bulk load).
  /// - Throws: ``SQLiteError`` for invalid SQL, or with `SQLITE_MISUSE` (21) when `sql` holds
  ///   no statement or more than one.
  public func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> Statement {
    let db = self.db
    let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
    var prepared: OpaquePointer?
    var hasMore = false
    let code = sql.withCString { text in
      var tail: UnsafePointer<CChar>?
      let code = sqlite3_prepare_v3(db, text, -1, flags, &prepared, &tail)
      if code == SQLITE_OK, let tail, tail.pointee != 0 {
        hasMore = Connection.containsStatement(db: db, sql: tail)
      }
      return code
    }
    guard code == SQLITE_OK else { throw SQLiteError(code: code, db: db, sql: sql) }
    guard let prepared else { throw SQLiteError.misuse("no SQL statement to prepare", sql: sql) }
    guard !hasMore else {
      sqlite3_finalize(prepared)
      throw SQLiteError.misuse("prepare() takes one statement; use execute() for several", sql: sql)
    }
    return Statement(handle: prepared)
  }

  /// Runs `sql` (one statement) and returns the first column of its first row as an integer,
  /// or nil when there is no row or the value is NULL.
  ///
  /// - Throws: ``SQLiteError`` when preparing or stepping fails.
  public func scalarInt64(_ sql: String) throws(SQLiteError) -> Int64? {
    let statement = try prepare(sql)
    guard try statement.step(), statement.columnCount > 0 else { return nil }
    return statement.optionalInt64(at: 0)
  }

  /// Runs `sql` (one statement) and returns the first column of its first row as text, or nil
  /// when there is no row or the value is NULL.
  ///
  /// - Throws: ``SQLiteError`` when preparing or stepping fails.
  public func scalarText(_ sql: String) throws(SQLiteError) -> String? {
    let statement = try prepare(sql)
    guard try statement.step(), statement.columnCount > 0 else { return nil }
    return statement.optionalText(at: 0)
  }

  // MARK: State

  /// The rowid of the most recent successful INSERT on this connection (0 if none).
  public var lastInsertRowID: Int64 {
    sqlite3_last_insert_rowid(db)
  }

  /// The number of rows inserted, updated or deleted by the most recent such statement.
  public var changes: Int {
    Int(sqlite3_changes64(db))
  }

  /// Whether a transaction is open (SQLite is not in autocommit mode).
  public var isInTransaction: Bool {
    sqlite3_get_autocommit(db) == 0
  }

  // MARK: Helpers

  /// Whether `sql` holds a statement (not just whitespace, semicolons and comments).
  private static func containsStatement(db: OpaquePointer, sql: UnsafePointer<CChar>) -> Bool {
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
    sqlite3_finalize(statement)
    return code != SQLITE_OK || statement != nil
  }

  /// The error for a failed `sqlite3_open_v2`, naming the path.
  private static func openError(
    code: Int32, db: OpaquePointer?, path: String, readOnly: Bool, create: Bool
  ) -> SQLiteError {
    var error = SQLiteError(code: db.map { sqlite3_extended_errcode($0) } ?? code, db: db, sql: nil)
    if error.primaryCode == SQLITE_CANTOPEN && (readOnly || !create) && access(path, F_OK) != 0 {
      let reason = readOnly ? "a read-only connection creates no file" : "create is false"
      error.message += ": \(path) does not exist (\(reason))"
    } else {
      error.message += ": \(path)"
    }
    return error
  }
}

@available(*, unavailable)
extension Connection: Sendable {}
