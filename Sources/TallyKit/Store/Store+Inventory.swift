/// Inventory snapshots: a snapshot replaces the previous one of its source.
extension Store {
  /// The snapshot imported from exactly these bytes, if any.
  func inventorySnapshotWithSHA256(_ sha256: String) throws(SQLiteError) -> StoredImport? {
    let statement = try connection.prepare(
      """
      SELECT id, source, path, replaced_by FROM inventory_snapshots WHERE sha256 = ?
      ORDER BY id LIMIT 1
      """)
    statement.bind(sha256, at: 1)
    guard try statement.step() else { return nil }
    return StoredImport(
      id: statement.int64(at: 0), source: statement.text(at: 1), path: statement.text(at: 2),
      replacedBy: statement.optionalInt64(at: 3))
  }

  /// Records the start of a snapshot; its resources follow. Call inside a transaction.
  func beginInventorySnapshot(path: String, sha256: String, format: String) throws(SQLiteError)
    -> Int64
  {
    let statement = try connection.prepare(
      """
      INSERT INTO inventory_snapshots (source, path, sha256, format, format_version,
        resource_count, imported_at)
      VALUES ('', ?, ?, ?, '', 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      """)
    statement.bind(path, at: 1)
    statement.bind(sha256, at: 2)
    statement.bind(format, at: 3)
    try statement.run()
    return connection.lastInsertRowID
  }

  /// The current snapshot of `format` whose listing said more pages follow, if any.
  func openInventoryListing(format: String, excluding id: Int64) throws(SQLiteError)
    -> (id: Int64, source: String)?
  {
    let statement = try connection.prepare(
      """
      SELECT id, source FROM inventory_snapshots
      WHERE format = ? AND id <> ? AND replaced_by IS NULL AND pagination_token IS NOT NULL
      ORDER BY id DESC LIMIT 1
      """)
    statement.bind(format, at: 1)
    statement.bind(id, at: 2)
    guard try statement.step() else { return nil }
    return (statement.int64(at: 0), statement.text(at: 1))
  }

  /// How many resources a snapshot holds.
  func inventoryResourceCount(snapshotID: Int64) throws(SQLiteError) -> Int {
    Int(
      try connection.scalarInt64(
        "SELECT count(*) FROM inventory_resources WHERE snapshot_id = \(snapshotID)") ?? 0)
  }

  /// Records what a snapshot holds and replaces the earlier snapshots of its source (their
  /// resources are deleted) unless it continues an open listing, which it then closes.
  /// Returns the replaced snapshots' ids.
  func finishInventorySnapshot(
    id: Int64, source: String, formatVersion: String, resourceCount: Int,
    paginationToken: String?, continuing open: Int64?
  ) throws(SQLiteError) -> [Int64] {
    let update = try connection.prepare(
      """
      UPDATE inventory_snapshots SET source = ?, format_version = ?, resource_count = ?,
        pagination_token = ? WHERE id = ?
      """)
    update.bind(source, at: 1)
    update.bind(formatVersion, at: 2)
    update.bind(Int64(resourceCount), at: 3)
    update.bind(paginationToken, at: 4)
    update.bind(id, at: 5)
    try update.run()
    if let open {
      try connection.execute(
        "UPDATE inventory_snapshots SET pagination_token = NULL WHERE id = \(open)")
      return []
    }
    let older = try connection.prepare(
      """
      SELECT id FROM inventory_snapshots WHERE source = ? AND id <> ? AND replaced_by IS NULL
      ORDER BY id
      """)
    older.bind(source, at: 1)
    older.bind(id, at: 2)
    var replaced: [Int64] = []
    while try older.step() { replaced.append(older.int64(at: 0)) }
    older.reset()
    for olderID in replaced {
      try connection.execute("DELETE FROM inventory_resources WHERE snapshot_id = \(olderID)")
      try connection.execute(
        "UPDATE inventory_snapshots SET replaced_by = \(id), pagination_token = NULL "
          + "WHERE id = \(olderID)")
    }
    return replaced
  }
}

/// Writes the resources of one snapshot: canonical key, ids as written, tag set.
struct InventoryWriter: ~Copyable {
  private let insert: Statement
  private var tagSets: TagSetTable
  private let snapshotID: Int64

  init(connection: Connection, snapshotID: Int64) throws(SQLiteError) {
    let insert = try connection.prepare(
      """
      INSERT OR REPLACE INTO inventory_resources (snapshot_id, resource_key, provider,
        resource_id, account, region, resource_type, tag_set) VALUES (?,?,?,?,?,?,?,?)
      """)
    let tagSets = try TagSetTable(connection)
    self.insert = insert
    self.tagSets = tagSets
    self.snapshotID = snapshotID
  }

  /// Writes one resource; a resource listed twice keeps its last entry.
  mutating func write(_ entry: InventoryEntry) throws(SQLiteError) {
    let tagSet = try tagSets.id(for: entry.tags)
    insert.bind(snapshotID, at: 1)
    insert.bind(
      ResourceKey.canonical(provider: entry.provider, resourceID: entry.resourceID), at: 2)
    insert.bind(entry.provider, at: 3)
    insert.bind(entry.resourceID, at: 4)
    insert.bind(entry.account, at: 5)
    insert.bind(entry.region, at: 6)
    insert.bind(entry.type, at: 7)
    insert.bind(tagSet, at: 8)
    try insert.run()
  }
}
