import Foundation
import TallyKit
import Testing

/// A fresh directory for database files, removed when the value goes away.
private final class ScratchDirectory {
  let path: String

  init() throws {
    let name = "tally-sqlite-tests-\(UUID().uuidString)"
    path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  func file(_ name: String) -> String { path + "/" + name }
}

private struct DeliberateFailure: Error {}

/// A connection to a new database file with table `t(x)`: no declared type, so values keep
/// the storage class they were bound with.
private func makeDatabase(in directory: ScratchDirectory) throws -> Connection {
  let connection = try Connection(path: directory.file("test.sqlite"))
  try connection.execute("CREATE TABLE t(x)")
  return connection
}

private func rowCount(_ connection: Connection, table: String = "t") throws -> Int64? {
  try connection.scalarInt64("SELECT count(*) FROM \(table)")
}

@Suite struct SQLiteTests {
  // MARK: Round trips

  @Test(arguments: [Int64.min, -1, 0, 1, (1 << 53) + 1, Int64.max] as [Int64])
  func int64RoundTrips(value: Int64) throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    let insert = try connection.prepare("INSERT INTO t(x) VALUES (?)")
    insert.bind(value, at: 1)
    try insert.run()

    let select = try connection.prepare("SELECT x, typeof(x) FROM t")
    #expect(try select.step())
    #expect(select.int64(at: 0) == value)
    #expect(select.optionalInt64(at: 0) == value)
    #expect(select.text(at: 1) == "integer")
    #expect(try !select.step())
  }

  @Test(arguments: [
    0.0, 0.1, -1.5e300, Double.pi, Double.leastNonzeroMagnitude, Double.infinity, -Double.infinity,
  ])
  func doubleRoundTrips(value: Double) throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    let insert = try connection.prepare("INSERT INTO t(x) VALUES (?)")
    insert.bind(value, at: 1)
    try insert.run()

    let select = try connection.prepare("SELECT x, typeof(x) FROM t")
    #expect(try select.step())
    #expect(select.double(at: 0).bitPattern == value.bitPattern)
    #expect(select.optionalDouble(at: 0) == value)
    #expect(select.text(at: 1) == "real")
  }

  @Test(arguments: [
    "", "plain ASCII", "Zürich — 東京 — Ελλάδα — 🚀👩🏽‍💻", "quotes ' and \" and ; -- too",
    String(repeating: "€", count: 100_000),
  ])
  func textRoundTrips(value: String) throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    let insert = try connection.prepare("INSERT INTO t(x) VALUES (?)")
    insert.bind(value, at: 1)
    try insert.run()

    let select = try connection.prepare("SELECT x, typeof(x), length(CAST(x AS BLOB)) FROM t")
    #expect(try select.step())
    #expect(select.text(at: 0) == value)
    #expect(select.optionalText(at: 0) == value)
    #expect(select.text(at: 1) == "text")
    #expect(select.int64(at: 2) == Int64(value.utf8.count))
  }

  @Test func nullRoundTripsFromEveryBinder() throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    let insert = try connection.prepare("INSERT INTO t(x) VALUES (?)")
    insert.bind(Int64?.none, at: 1)
    try insert.run()
    insert.bind(Double?.none, at: 1)
    try insert.run()
    insert.bind(String?.none, at: 1)
    try insert.run()
    insert.bindNull(at: 1)
    try insert.run()
    insert.bind(Double.nan, at: 1)  // SQLite stores NaN as NULL.
    try insert.run()

    var rows = 0
    try connection.prepare("SELECT x, typeof(x) FROM t").forEachRow { row in
      rows += 1
      let isNull = row.isNull(at: 0)
      #expect(isNull)
      #expect(row.optionalInt64(at: 0) == nil)
      #expect(row.optionalDouble(at: 0) == nil)
      #expect(row.optionalText(at: 0) == nil)
      #expect(row.int64(at: 0) == 0)
      #expect(row.double(at: 0) == 0)
      #expect(row.text(at: 0) == "")
      #expect(row.text(at: 1) == "null")
    }
    #expect(rows == 5)
  }

  @Test func emptyBorrowedBytesBindEmptyTextNotNull() throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    let insert = try connection.prepare("INSERT INTO t(x) VALUES (?)")

    let noAddress = UnsafeRawBufferPointer(start: nil, count: 0)
    #expect(noAddress.baseAddress == nil)
    insert.bindText(borrowing: noAddress, at: 1)
    try insert.run()

    let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 1)
    defer { storage.deallocate() }
    insert.bindText(borrowing: UnsafeRawBufferPointer(rebasing: storage[0..<0]), at: 1)
    try insert.run()

    #expect(try connection.scalarInt64("SELECT count(*) FROM t WHERE typeof(x) = 'text'") == 2)
    #expect(try connection.scalarInt64("SELECT count(*) FROM t WHERE x = ''") == 2)
  }

  @Test func borrowedBytesAreReadAtStepNotCopiedAtBind() throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    let insert = try connection.prepare("INSERT INTO t(rowid, x) VALUES (?, ?)")
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 5, alignment: 1)
    defer { buffer.deallocate() }

    // Overwritten after the step: the stored row keeps the old bytes.
    buffer.copyBytes(from: "alpha".utf8)
    insert.bind(Int64(1), at: 1)
    insert.bindText(borrowing: UnsafeRawBufferPointer(buffer), at: 2)
    try insert.run()
    buffer.copyBytes(from: "omega".utf8)

    // Overwritten between bind and step: SQLite reads the new bytes, so it made no copy.
    buffer.copyBytes(from: "gamma".utf8)
    insert.bind(Int64(2), at: 1)
    insert.bindText(borrowing: UnsafeRawBufferPointer(buffer), at: 2)
    buffer.copyBytes(from: "delta".utf8)
    try insert.run()

    #expect(try connection.scalarText("SELECT x FROM t WHERE rowid = 1") == "alpha")
    #expect(try connection.scalarText("SELECT x FROM t WHERE rowid = 2") == "delta")
    #expect(try connection.scalarText("SELECT typeof(x) FROM t WHERE rowid = 1") == "text")
  }

  // MARK: Errors

  @Test func notNullViolationReportsExtendedCodeAndSQLButNoBoundValue() throws {
    let directory = try ScratchDirectory()
    let connection = try Connection(path: directory.file("test.sqlite"))
    try connection.execute("CREATE TABLE cost(account TEXT NOT NULL, amount INTEGER)")
    let sql = "INSERT INTO cost(account, amount) VALUES (?1, ?2)"
    let insert = try connection.prepare(sql)
    insert.bind(String?.none, at: 1)
    insert.bind(Int64(987_654_321), at: 2)

    let error = #expect(throws: SQLiteError.self) { try insert.run() }
    #expect(error?.code == 1299)  // SQLITE_CONSTRAINT_NOTNULL
    #expect(error?.primaryCode == 19)
    #expect(error?.isConstraint == true)
    #expect(error?.isBusy == false)
    #expect(error?.sql == sql)
    let description = error.map(String.init(describing:)) ?? ""
    #expect(description.hasPrefix("SQLite error 1299: NOT NULL constraint failed: cost.account"))
    #expect(description.contains(sql))
    #expect(!description.contains("987654321"))

    // The statement was reset and can be used again.
    insert.bind("acct-1", at: 1)
    try insert.run()
    #expect(try rowCount(connection, table: "cost") == 1)
  }

  @Test func invalidSQLReportsTheSQL() throws {
    let connection = try Connection(path: ":memory:")
    let prepareError = #expect(throws: SQLiteError.self) {
      _ = try connection.prepare("SELEC 1")
    }
    #expect(prepareError?.code == 1)  // SQLITE_ERROR
    #expect(prepareError?.description.contains("`SELEC 1`") == true)

    let executeError = #expect(throws: SQLiteError.self) {
      try connection.execute("CREATE TABLE a(x); INSERT INTO missing VALUES (1)")
    }
    #expect(executeError?.message == "no such table: missing")
    #expect(try connection.scalarInt64("SELECT count(*) FROM a") == 0)  // The first ran.
  }

  @Test func prepareTakesExactlyOneStatement() throws {
    let connection = try Connection(path: ":memory:")
    let twoStatements = #expect(throws: SQLiteError.self) {
      _ = try connection.prepare("SELECT 1; SELECT 2")
    }
    #expect(twoStatements?.code == 21)  // SQLITE_MISUSE
    let noStatement = #expect(throws: SQLiteError.self) {
      _ = try connection.prepare("  -- nothing\n")
    }
    #expect(noStatement?.code == 21)

    // A trailing semicolon, whitespace and comments are fine.
    let statement = try connection.prepare("SELECT 42; -- the answer\n ;")
    #expect(try statement.step())
    #expect(statement.int64(at: 0) == 42)
  }

  @Test func runRejectsAStatementThatReturnsRows() throws {
    let connection = try Connection(path: ":memory:")
    let select = try connection.prepare("SELECT 1")
    let error = #expect(throws: SQLiteError.self) { try select.run() }
    #expect(error?.code == 21)
    #expect(error?.sql == "SELECT 1")
  }

  @Test func openingAMissingFileWithoutCreateFailsClearly() throws {
    let directory = try ScratchDirectory()
    let path = directory.file("missing.sqlite")

    let error = #expect(throws: SQLiteError.self) {
      _ = try Connection(path: path, create: false)
    }
    #expect(error?.primaryCode == 14)  // SQLITE_CANTOPEN
    #expect(error?.description.contains(path) == true)
    #expect(error?.description.contains("does not exist") == true)
    #expect(!FileManager.default.fileExists(atPath: path))

    let readOnlyError = #expect(throws: SQLiteError.self) {
      _ = try Connection(path: path, readOnly: true)
    }
    #expect(readOnlyError?.primaryCode == 14)
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func readOnlyConnectionReadsButRejectsWrites() throws {
    let directory = try ScratchDirectory()
    let writer = try makeDatabase(in: directory)
    try writer.execute("INSERT INTO t VALUES (1)")

    let reader = try Connection(path: directory.file("test.sqlite"), readOnly: true)
    #expect(try rowCount(reader) == 1)
    let error = #expect(throws: SQLiteError.self) {
      try reader.execute("INSERT INTO t VALUES (2)")
    }
    #expect(error?.primaryCode == 8)  // SQLITE_READONLY
  }

  // MARK: Transactions

  @Test func transactionCommits() throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    let result = try connection.transaction {
      #expect(connection.isInTransaction)
      try connection.execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")
      return connection.changes
    }
    #expect(result == 1)
    #expect(!connection.isInTransaction)

    // Visible to another connection, so it really committed.
    let other = try Connection(path: directory.file("test.sqlite"))
    #expect(try rowCount(other) == 2)
  }

  @Test func throwingTransactionRollsBackAndRethrowsTheOriginalError() throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    try connection.execute("INSERT INTO t VALUES (0)")

    #expect(throws: DeliberateFailure.self) {
      try connection.transaction {
        try connection.execute("INSERT INTO t VALUES (1)")
        #expect(try rowCount(connection) == 2)
        throw DeliberateFailure()
      }
    }
    #expect(!connection.isInTransaction)
    #expect(try rowCount(connection) == 1)

    // The body ended the transaction itself: the skipped rollback must not mask its error.
    #expect(throws: DeliberateFailure.self) {
      try connection.transaction {
        try connection.execute("INSERT INTO t VALUES (2); ROLLBACK")
        throw DeliberateFailure()
      }
    }
    #expect(try rowCount(connection) == 1)

    // The connection is usable afterwards.
    try connection.transaction { try connection.execute("INSERT INTO t VALUES (3)") }
    #expect(try rowCount(connection) == 2)
  }

  @Test func savepointRollsBackOnlyItsOwnChanges() throws {
    let directory = try ScratchDirectory()
    let connection = try makeDatabase(in: directory)
    try connection.transaction {
      try connection.execute("INSERT INTO t VALUES ('outer')")
      #expect(throws: DeliberateFailure.self) {
        try connection.savepoint("inner \"one\"") {
          try connection.execute("INSERT INTO t VALUES ('inner')")
          throw DeliberateFailure()
        }
      }
      #expect(connection.isInTransaction)
      let kept = try connection.savepoint("kept") {
        try connection.execute("INSERT INTO t VALUES ('kept')")
        return connection.lastInsertRowID
      }
      #expect(kept == 2)
    }
    let rows = try connection.prepare("SELECT group_concat(x, ',') FROM t ORDER BY rowid")
    #expect(try rows.step())
    #expect(rows.text(at: 0) == "outer,kept")
  }

  // MARK: Concurrency between connections

  @Test func walReaderSeesCommittedDataOnly() throws {
    let directory = try ScratchDirectory()
    let writer = try makeDatabase(in: directory)
    #expect(try writer.scalarText("PRAGMA journal_mode=WAL") == "wal")
    try writer.execute("INSERT INTO t VALUES (1)")
    let reader = try Connection(path: directory.file("test.sqlite"))

    try writer.transaction {
      try writer.execute("INSERT INTO t VALUES (2)")
      #expect(try rowCount(writer) == 2)
      #expect(try rowCount(reader) == 1)  // Not blocked, and sees the last commit.
    }
    #expect(try rowCount(reader) == 2)
  }

  @Test func beginImmediateIsBusyWhileAnotherConnectionWrites() throws {
    let directory = try ScratchDirectory()
    let first = try makeDatabase(in: directory)
    let second = try Connection(path: directory.file("test.sqlite"))
    try second.execute("PRAGMA busy_timeout=0")

    try first.transaction {
      try first.execute("INSERT INTO t VALUES (1)")
      let error = #expect(throws: SQLiteError.self) { try second.execute("BEGIN IMMEDIATE") }
      #expect(error?.isBusy == true)
      #expect(error?.primaryCode == 5)  // SQLITE_BUSY
      #expect(error?.isConstraint == false)
      #expect(!second.isInTransaction)

      // transaction(_:) takes the write lock up front, so even a body that only reads fails
      // at the start, before it runs.
      var bodyRan = false
      let viaTransaction = #expect(throws: SQLiteError.self) {
        try second.transaction { bodyRan = try rowCount(second) != nil }
      }
      #expect(viaTransaction?.isBusy == true)
      #expect(viaTransaction?.sql == "BEGIN IMMEDIATE")
      #expect(!bodyRan)
    }
    try second.transaction { try second.execute("INSERT INTO t VALUES (2)") }
    #expect(try rowCount(first) == 2)
  }

  // MARK: Statement lifetime

  @Test func statementReusedTenThousandTimesIsFinalized() throws {
    let directory = try ScratchDirectory()
    let connection = try Connection(path: directory.file("test.sqlite"))
    try connection.execute("CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, cost REAL)")
    try connection.transaction {
      let insert = try connection.prepare(
        "INSERT INTO item(id, name, cost) VALUES (?, ?, ?)", persistent: true)
      for id in Int64(1)...10_000 {
        insert.bind(id, at: 1)
        insert.bind("item \(id)", at: 2)
        insert.bind(Double(id) / 4, at: 3)
        try insert.run()
        #expect(connection.changes == 1)
      }
      #expect(connection.lastInsertRowID == 10_000)
    }
    #expect(try rowCount(connection, table: "item") == 10_000)
    #expect(try connection.scalarText("SELECT name FROM item WHERE id = 9999") == "item 9999")
    #expect(try connection.scalarInt64("SELECT sum(cost) * 4 FROM item") == 50_005_000)

    // sqlite3_close (unlike the deinit's close_v2) refuses while a statement is alive...
    let alive = try connection.prepare("SELECT 1")
    let busy = #expect(throws: SQLiteError.self) { try connection.close() }
    #expect(busy?.primaryCode == 5)
    #expect(try alive.step())
    _ = consume alive
    // ...so it succeeds only because every statement above was finalized.
    try connection.close()
    try connection.close()  // Closing twice does nothing.
  }

  // MARK: Queries

  @Test func forEachRowVisitsEveryRowThenResets() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute(
      "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3); UPDATE t SET x = x * 10")
    #expect(connection.changes == 3)
    let select = try connection.prepare("SELECT x FROM t WHERE x > ? ORDER BY x")
    select.bind(Int64(10), at: 1)

    var seen: [Int64] = []
    try select.forEachRow { row in seen.append(row.int64(at: 0)) }
    #expect(seen == [20, 30])

    // A throwing body stops the iteration; the statement starts over next time.
    seen = []
    #expect(throws: DeliberateFailure.self) {
      try select.forEachRow { row in
        seen.append(row.int64(at: 0))
        throw DeliberateFailure()
      }
    }
    #expect(seen == [20])
    seen = []
    try select.forEachRow { row in seen.append(row.int64(at: 0)) }
    #expect(seen == [20, 30])
  }

  @Test func scalarsReturnNilForNoRowAndForNull() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t(x)")
    #expect(try connection.scalarInt64("SELECT x FROM t") == nil)
    #expect(try connection.scalarText("SELECT x FROM t") == nil)
    #expect(try connection.scalarInt64("SELECT NULL") == nil)
    #expect(try connection.scalarText("SELECT NULL") == nil)
    #expect(try connection.scalarInt64("SELECT 7") == 7)
    #expect(try connection.scalarText("SELECT 'seven'") == "seven")
    #expect(try connection.scalarText("SELECT ''") == "")
    #expect(try connection.scalarInt64("INSERT INTO t VALUES (1)") == nil)
    #expect(try connection.scalarInt64("SELECT count(*) FROM t") == 1)
  }

  // MARK: Backup

  @Test func backupCopiesTheWholeDatabase() throws {
    let directory = try ScratchDirectory()
    let source = try makeDatabase(in: directory)
    try source.execute("PRAGMA journal_mode=WAL")
    try source.transaction {
      let insert = try source.prepare("INSERT INTO t VALUES (?)")
      for value in Int64(1)...1_000 {
        insert.bind("row \(value)", at: 1)
        try insert.run()
      }
      try source.execute("CREATE INDEX t_x ON t(x)")
    }
    let copyPath = directory.file("copy.sqlite")
    try source.backup(to: copyPath)

    // The copy is complete on its own and does not follow later changes.
    try source.execute("DELETE FROM t")
    let copy = try Connection(path: copyPath, readOnly: true)
    #expect(try rowCount(copy) == 1_000)
    #expect(try copy.scalarText("SELECT x FROM t WHERE x = 'row 500'") == "row 500")
    #expect(try copy.scalarText("PRAGMA integrity_check") == "ok")
    #expect(
      try copy.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name = 't_x'") == 1)

    // Backing up over an existing database replaces it.
    try source.backup(to: copyPath)
    let replaced = try Connection(path: copyPath, readOnly: true)
    #expect(try rowCount(replaced) == 0)
  }

  @Test func backupToAnUnwritablePathFails() throws {
    let directory = try ScratchDirectory()
    let source = try makeDatabase(in: directory)
    let path = directory.file("no-such-dir/copy.sqlite")
    let error = #expect(throws: SQLiteError.self) { try source.backup(to: path) }
    #expect(error?.primaryCode == 14)
    #expect(error?.description.contains(path) == true)
  }
}
