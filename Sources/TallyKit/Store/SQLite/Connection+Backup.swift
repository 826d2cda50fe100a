internal import CSQLite

extension Connection {
  /// Copies the whole database to the file at `path` with SQLite's online backup API, in one
  /// step: the copy is a consistent snapshot even while other connections write.
  ///
  /// The file is created if needed; a database already there is replaced. The copy is written
  /// in a transaction on the destination, so a crash leaves the old file (or an empty one).
  /// Run it outside a ``transaction(_:)`` on this connection: inside one, the copy would
  /// include the uncommitted changes.
  ///
  /// - Throws: ``SQLiteError`` when the destination cannot be opened or written, or with
  ///   `SQLITE_BUSY` when a lock was not released within the busy timeout.
  ///
  /// Related SQLite documentation: <https://www.sqlite.org/backup.html>
  public func backup(to path: String) throws(SQLiteError) {
    let destination = try Connection(path: path)
    guard let backup = sqlite3_backup_init(destination.db, "main", db, "main") else {
      var error = SQLiteError(
        code: sqlite3_extended_errcode(destination.db), db: destination.db, sql: nil)
      error.message = "backup to \(path): \(error.message)"
      throw error
    }
    let stepCode = sqlite3_backup_step(backup, -1)
    let finishCode = sqlite3_backup_finish(backup)  // Sets the error on `destination`, if any.
    guard stepCode == SQLITE_DONE, finishCode == SQLITE_OK else {
      // finish reports I/O and memory errors; for busy and locked it returns SQLITE_OK.
      var error =
        finishCode == SQLITE_OK
        ? SQLiteError(code: stepCode, db: nil, sql: nil)
        : SQLiteError(code: finishCode, db: destination.db, sql: nil)
      error.message = "backup to \(path): \(error.message)"
      throw error
    }
    try destination.close()
  }
}
