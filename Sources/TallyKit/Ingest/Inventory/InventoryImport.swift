import Crypto

/// Imports one inventory file as a snapshot: its resources, each under its canonical
/// ``ResourceKey`` with its tags, replace the previous snapshot of the same source.
///
/// The source is the format and the scope the snapshot covers: the accounts and regions (AWS),
/// subscriptions (Azure) or projects (Google Cloud) its resources belong to, e.g.
/// `inventory:aws-get-resources:644160558196/us-east-1`; many scopes are named by a hash of
/// their list. An AWS get-resources page whose `PaginationToken` says more pages follow leaves
/// its listing open: the next page imported (of the same format) continues the same snapshot
/// instead of replacing it.
struct InventoryImport {
  let store: Store
  let sourceName: String?

  func run(path: String, format: InventoryFormat) throws -> ImportOutcome {
    let sha256 = try sha256Hex(of: path)
    if let earlier = try store.inventorySnapshotWithSHA256(sha256) {
      var outcome = ImportOutcome(
        path: path, status: .skipped, format: "", source: earlier.source, importID: earlier.id,
        rowCount: 0, totals: [], replacedImports: [])
      outcome.kind = .inventory
      return outcome
    }
    return try store.transaction {
      let snapshotID = try store.beginInventorySnapshot(
        path: path, sha256: sha256, format: format.rawValue)
      var writer = try InventoryWriter(connection: store.connection, snapshotID: snapshotID)
      let reader = InventoryReader(format: format, path: path)
      var scopes: Set<String> = []
      try reader.read { entry in
        do {
          try writer.write(entry)
        } catch let error as SQLiteError {
          throw InputError(
            "could not store the resource \(entry.resourceID): \(error)",
            at: SourceLocation(file: path, line: entry.line))
        }
        scopes.insert(scope(of: entry))
      }
      var notes: [String] = []
      let stream = "inventory:\(format.rawValue):\(scopeName(scopes))"
      var source = sourceName.map { "\($0)/\(stream)" } ?? stream
      let open = try store.openInventoryListing(format: format.rawValue, excluding: snapshotID)
      if let open {
        source = open.source
        notes.append(
          "continues the listing of snapshot #\(open.id), whose last page had a PaginationToken")
      }
      if reader.paginationToken != nil {
        notes.append("the listing says more pages follow (PaginationToken is set)")
      }
      let count = try store.inventoryResourceCount(snapshotID: snapshotID)
      let replaced = try store.finishInventorySnapshot(
        id: snapshotID, source: source, formatVersion: reader.version, resourceCount: count,
        paginationToken: reader.paginationToken, continuing: open?.id)
      var outcome = ImportOutcome(
        path: path, status: replaced.isEmpty ? .imported : .replaced,
        format: "inventory \(format.rawValue) \(reader.version)".trimmingASCIISpaces,
        source: source, importID: snapshotID, rowCount: count, totals: [],
        replacedImports: replaced)
      outcome.kind = .inventory
      outcome.notes = notes
      return outcome
    }
  }

  /// The account (and region, for AWS) a resource belongs to.
  private func scope(of entry: InventoryEntry) -> String {
    switch entry.provider {
    case "aws": "\(entry.account ?? "")/\(entry.region ?? "")"
    default: "\(entry.provider):\(entry.account ?? "")"
    }
  }

  /// The scopes, listed when there are few, else counted and hashed.
  private func scopeName(_ scopes: Set<String>) -> String {
    let sorted = scopes.sorted()
    if sorted.isEmpty { return "empty" }
    if sorted.count <= 3 { return sorted.joined(separator: ",") }
    var hasher = SHA256()
    hasher.update(data: Array(sorted.joined(separator: "\n").utf8))
    return "\(sorted.count)-scopes-\(hex(hasher.finalize()).prefix(12))"
  }
}
