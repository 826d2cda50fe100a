extension Connection {
  /// Runs `body` in a write transaction: `BEGIN IMMEDIATE`, then `COMMIT`.
  ///
  /// `BEGIN IMMEDIATE` takes the write lock up front, so a busy database fails (after the busy
  /// timeout) at the start rather than halfway through `body`.
  ///
  /// If `body` throws, the transaction is rolled back and `body`'s error is rethrown unchanged;
  /// a failing rollback does not replace it. If `COMMIT` fails (for example `SQLITE_BUSY`),
  /// the transaction is rolled back and the commit's ``SQLiteError`` is thrown.
  ///
  /// Calling `transaction(_:)` inside `body` is a programmer error and stops the program; use
  /// ``savepoint(_:_:)`` to nest.
  ///
  /// - Returns: What `body` returns.
  /// - Throws: ``SQLiteError`` from `BEGIN` or `COMMIT`, or whatever `body` throws.
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    precondition(
      !isRunningTransactionBody, "transaction(_:) called inside a transaction; use savepoint(_:_:)")
    return try run(body, after: "BEGIN IMMEDIATE")
  }

  /// Runs `body` in one read transaction (`BEGIN DEFERRED … COMMIT`): in WAL mode every query
  /// in `body` sees the same snapshot, the one committed when the first of them ran, however
  /// many transactions another process commits meanwhile; and it never waits for a writer.
  ///
  /// - Returns: What `body` returns.
  /// - Throws: ``SQLiteError`` from `BEGIN` or `COMMIT`, or whatever `body` throws.
  public func readTransaction<T>(_ body: () throws -> T) throws -> T {
    precondition(
      !isRunningTransactionBody,
      "readTransaction(_:) called inside a transaction; the outer one already holds a snapshot")
    return try run(body, after: "BEGIN DEFERRED")
  }

  /// Runs `begin`, then `body`, then `COMMIT`; rolls back when `body` or the commit fails and
  /// rethrows that error unchanged.
  private func run<T>(_ body: () throws -> T, after begin: String) throws -> T {
    try execute(begin)
    isRunningTransactionBody = true
    defer { isRunningTransactionBody = false }
    let result: T
    do {
      result = try body()
      try execute("COMMIT")
    } catch {
      rollBackIgnoringErrors()
      throw error
    }
    return result
  }

  /// Runs `body` inside `SAVEPOINT name … RELEASE name`, which nests inside ``transaction(_:)``
  /// and inside other savepoints.
  ///
  /// If `body` throws, the changes it made are rolled back (`ROLLBACK TO name`) and its error is
  /// rethrown unchanged; the enclosing transaction stays open. Outside any transaction a
  /// savepoint acts as a deferred `BEGIN … COMMIT`; prefer ``transaction(_:)`` there.
  ///
  /// - Parameters:
  ///   - name: Any name; it is quoted as an identifier.
  ///   - body: The work to do.
  /// - Returns: What `body` returns.
  /// - Throws: ``SQLiteError`` from `SAVEPOINT` or `RELEASE`, or whatever `body` throws.
  public func savepoint<T>(_ name: String, _ body: () throws -> T) throws -> T {
    let identifier = Connection.quotedIdentifier(name)
    try execute("SAVEPOINT \(identifier)")
    let result: T
    do {
      result = try body()
    } catch {
      try? execute("ROLLBACK TO \(identifier); RELEASE \(identifier)")
      throw error
    }
    do {
      try execute("RELEASE \(identifier)")
    } catch {
      try? execute("ROLLBACK TO \(identifier); RELEASE \(identifier)")
      throw error
    }
    return result
  }

  /// Rolls back the open transaction, if any. Errors are dropped: the caller is already
  /// reporting a more useful one. (SQLite may have rolled back by itself, for example after
  /// `SQLITE_FULL`.)
  private func rollBackIgnoringErrors() {
    guard isInTransaction else { return }
    try? execute("ROLLBACK")
  }

  /// `name` as a double-quoted SQL identifier.
  private static func quotedIdentifier(_ name: String) -> String {
    var quoted = "\""
    for character in name {
      if character == "\"" { quoted.append("\"") }
      quoted.append(character)
    }
    quoted.append("\"")
    return quoted
  }
}
