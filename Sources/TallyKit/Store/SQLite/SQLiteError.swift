internal import CSQLite

/// An error from SQLite: the extended result code, SQLite's message, and the SQL it happened in.
///
/// The description reads like this:
///
/// ```
/// SQLite error 1299: NOT NULL constraint failed: t.x — while executing `INSERT INTO t …`
/// ```
///
/// It shows the SQL text as written (`sqlite3_sql`), with `?` placeholders, and never bound
/// values, so cost data does not end up in logs.
///
/// Related SQLite documentation: <https://www.sqlite.org/rescode.html>
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
  /// The extended result code, such as 1299 (`SQLITE_CONSTRAINT_NOTNULL`). Its low 8 bits are
  /// the primary code (``primaryCode``), such as 19 (`SQLITE_CONSTRAINT`).
  public var code: Int32
  /// SQLite's explanation (`sqlite3_errmsg`), or this wrapper's for misuse it detects itself.
  public var message: String
  /// The statement or script that failed, when the error came from SQL.
  public var sql: String?

  /// Creates an error.
  public init(code: Int32, message: String, sql: String? = nil) {
    self.code = code
    self.message = message
    self.sql = sql
  }

  /// The primary result code: the low 8 bits of ``code``.
  public var primaryCode: Int32 { code & 0xFF }

  /// Whether another connection holds a lock that stopped this one (`SQLITE_BUSY` or
  /// `SQLITE_LOCKED`, with any extended code). Retrying later may succeed.
  public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

  /// Whether a constraint (NOT NULL, UNIQUE, CHECK, FOREIGN KEY, …) rejected the change.
  public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

  /// "SQLite error *code*: *message* — while executing \`*sql*\`", the code being the extended
  /// one. Never includes bound values.
  public var description: String {
    var text = "SQLite error \(code): \(message)"
    if let sql { text += " — while executing `\(sql)`" }
    return text
  }
}

extension SQLiteError {
  /// The error SQLite recorded on connection `db` for a call that returned `code`.
  init(code: Int32, db: OpaquePointer?, sql: String?) {
    let message: String
    if let db, let text = sqlite3_errmsg(db) {
      message = String(cString: text)
    } else {
      message = String(cString: sqlite3_errstr(code))
    }
    self.init(code: code, message: message, sql: sql)
  }

  /// An error for a misuse this wrapper detects before SQLite does (`SQLITE_MISUSE`).
  static func misuse(_ message: String, sql: String?) -> SQLiteError {
    SQLiteError(code: SQLITE_MISUSE, message: message, sql: sql)
  }
}
