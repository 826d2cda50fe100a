/// The SQLite database behind tally: opening, pragmas and migrations. Every query lives in the
/// `Store` folder; nothing outside it writes SQL.
public final class Store {
  /// The underlying connection, for the store's own extensions.
  let connection: Connection
  /// The path of the database file.
  public let path: String

  /// Opens (creating when needed) the database at `path` and migrates it to the current schema.
  ///
  /// The database runs in WAL mode so that readers (`tally team`, reports) keep working on the
  /// previous data while an import writes. A new database gets 16 KiB pages: an import writes
  /// a quarter as many pages and WAL frames as with SQLite's default of 4 KiB, for 4 % less CPU
  /// (docs/performance.md); an existing one keeps its page size.
  public init(path: String) throws(SQLiteError) {
    self.path = path
    connection = try Connection(path: path)
    try connection.execute(
      """
      PRAGMA page_size = 16384;
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA temp_store = MEMORY;
      PRAGMA cache_size = -65536;
      """)
    try migrate()
  }

  /// Opens an existing database read-only, for commands that only read.
  public init(readingFrom path: String) throws(SQLiteError) {
    self.path = path
    connection = try Connection(path: path, readOnly: true, create: false)
    let version = Int(try connection.scalarInt64("PRAGMA user_version") ?? 0)
    guard version == Schema.currentVersion else {
      throw SQLiteError(
        code: 1,
        message: "the database \(path) has schema version \(version), this tally expects "
          + "\(Schema.currentVersion); open it once for writing (e.g. `tally import`) to migrate it",
        sql: nil)
    }
  }

  /// The schema version of the database.
  public var schemaVersion: Int {
    get throws(SQLiteError) { Int(try connection.scalarInt64("PRAGMA user_version") ?? 0) }
  }

  private func migrate() throws(SQLiteError) {
    let version = try schemaVersion
    guard version < Schema.currentVersion else { return }
    do {
      try connection.transaction {
        for step in version..<Schema.currentVersion {
          try connection.execute(Schema.migrations[step])
          if step + 1 == Schema.resourceKeyVersion { try fillResourceKeys() }
          try connection.execute("PRAGMA user_version = \(step + 1)")
        }
      }
    } catch let error as SQLiteError {
      throw error
    } catch {
      throw SQLiteError(code: 1, message: "migration failed: \(error)", sql: nil)
    }
  }

  /// Computes the canonical key of every resource stored without one (those imported before
  /// schema version 2).
  private func fillResourceKeys() throws(SQLiteError) {
    let select = try connection.prepare(
      "SELECT id, provider, resource_id FROM resources WHERE resource_key IS NULL")
    var keys: [(Int64, String)] = []
    while try select.step() {
      keys.append(
        (
          select.int64(at: 0),
          ResourceKey.canonical(provider: select.text(at: 1), resourceID: select.text(at: 2))
        ))
    }
    let update = try connection.prepare("UPDATE resources SET resource_key = ? WHERE id = ?")
    for (id, key) in keys {
      update.bind(key, at: 1)
      update.bind(id, at: 2)
      try update.run()
    }
  }

  /// Runs `body` in one write transaction: all of it is stored, or none of it.
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    try connection.transaction(body)
  }

  /// Runs `body`'s queries on one snapshot of the database (see
  /// ``Connection/readTransaction(_:)``): a reader sees all of a concurrent run's commits or
  /// none of them.
  public func reading<T>(_ body: () throws -> T) throws -> T {
    try connection.readTransaction(body)
  }
}

extension Store {
  /// Writes a consistent copy of the whole database to `path` (SQLite's online backup), safe
  /// while a nightly run writes: the copy holds the last committed state.
  public func backup(to path: String) throws(SQLiteError) {
    try connection.backup(to: path)
  }
}
