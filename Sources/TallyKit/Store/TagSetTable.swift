/// Tag sets by signature: the sorted raw pairs, each key and value length-prefixed so that no
/// value can imitate a separator.
struct TagSetTable: ~Copyable {
  private var known: [String: Int64] = [:]
  private let select: Statement
  private let insertSet: Statement
  private let insertItem: Statement
  private let connection: Connection

  init(_ connection: Connection) throws(SQLiteError) {
    let select = try connection.prepare("SELECT id FROM tag_sets WHERE signature = ?")
    let insertSet = try connection.prepare("INSERT INTO tag_sets (signature) VALUES (?)")
    let insertItem = try connection.prepare(
      "INSERT INTO tag_set_items (tag_set_id, raw_key, raw_value) VALUES (?, ?, ?)")
    self.connection = connection
    self.select = select
    self.insertSet = insertSet
    self.insertItem = insertItem
  }

  /// The id of the set of `pairs`; when a key repeats (a JSON object may repeat a member), the
  /// first value is kept, as JSON readers do.
  mutating func id(for pairs: [(key: String, value: String)]) throws(SQLiteError) -> Int64 {
    var seen: Set<String> = []
    let unique = pairs.filter { seen.insert($0.key).inserted }
    let sorted = unique.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    let signature = sorted.map {
      "\($0.key.utf8.count):\($0.key)=\($0.value.utf8.count):\($0.value);"
    }
    .joined()
    if let id = known[signature] { return id }
    select.bind(signature, at: 1)
    let id: Int64
    if try select.step() {
      id = select.int64(at: 0)
      select.reset()
    } else {
      select.reset()
      insertSet.bind(signature, at: 1)
      try insertSet.run()
      id = connection.lastInsertRowID
      for pair in sorted {
        insertItem.bind(id, at: 1)
        insertItem.bind(pair.key, at: 2)
        insertItem.bind(pair.value, at: 3)
        try insertItem.run()
      }
    }
    known[signature] = id
    return id
  }
}
