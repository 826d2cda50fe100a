/// What the lines of a group share: the policy stage judges each group once.
///
/// Ids are row ids of the dimension tables (0 when the line has none); `currency`, `provider`,
/// `chargeCategory` and `lineType` index ``LineGroups/texts``. Fields the policy does not
/// read are 0 for every group, so they do not split groups.
struct LineGroupKey: Hashable {
  var tagSet: Int64 = 0
  /// The usage account (`coalesce(sub_account, billing_account)`).
  var account: Int64 = 0
  var resource: Int64 = 0
  var service: Int64 = 0
  var region: Int64 = 0
  var billingAccount: Int64 = 0
  var currency: Int32 = 0
  var provider: Int32 = 0
  var chargeCategory: Int32 = 0
  var lineType: Int32 = 0
}

/// A month's lines summed by ``LineGroupKey``: one entry per distinct combination.
struct LineGroups {
  var keys: [LineGroupKey] = []
  var lines: [Int] = []
  var billed: [Int128] = []
  var effective: [Int128] = []
  /// Interned text of the low-cardinality columns; index 0 is the empty text (NULL).
  var texts: [String] = [""]

  /// The number of groups.
  var count: Int { keys.count }
}

extension Store {
  /// Sums a month's lines by tag set, usage account, resource, service and currency, and by
  /// the other `fields` that the policy's conditions test (provider, billing account, region,
  /// charge category, line type).
  ///
  /// The sums are made here in one pass over the month, not with SQL `GROUP BY`: SQLite sorts
  /// every row for a GROUP BY (measured on 1,000,000 lines: 2.5 s of CPU for six integer keys,
  /// against 0.2 s for the scan alone), while a hash table of the distinct groups — tens of
  /// thousands — costs one lookup per line. Text columns are interned from SQLite's bytes
  /// without building a `String` per line.
  func lineGroups(in month: BillingMonth, fields: Set<LineField>) throws(SQLiteError)
    -> LineGroups
  {
    let statement = try connection.prepare(
      """
      SELECT tag_set, coalesce(sub_account, billing_account), resource, service, billing_currency,
        billing_account, region, provider, charge_category, x_line_item_type,
        billed_cost, effective_cost
      FROM cost_lines WHERE billing_period = ?
      """)
    statement.bind(month.description, at: 1)
    let wantsBillingAccount = fields.contains(.billingAccount)
    let wantsRegion = fields.contains(.region)
    let wantsProvider = fields.contains(.provider)
    let wantsCategory = fields.contains(.chargeCategory)
    let wantsLineType = fields.contains(.lineType)

    var groups = LineGroups()
    var interned = ByteKeyedTable(capacity: 64)
    var index: [LineGroupKey: Int] = [:]
    func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
      if bytes.isEmpty { return 0 }
      if let id = interned.value(for: bytes) { return Int32(id) }
      let id = groups.texts.count
      groups.texts.append(String(decoding: bytes, as: UTF8.self))
      interned.insert(Int64(id), for: bytes)
      return Int32(id)
    }
    var key = LineGroupKey()
    while try statement.step() {
      key.tagSet = statement.int64(at: 0)
      key.account = statement.int64(at: 1)
      key.resource = statement.int64(at: 2)
      key.service = statement.int64(at: 3)
      key.currency = intern(statement.textBytes(at: 4))
      if wantsBillingAccount { key.billingAccount = statement.int64(at: 5) }
      if wantsRegion { key.region = statement.int64(at: 6) }
      if wantsProvider { key.provider = intern(statement.textBytes(at: 7)) }
      if wantsCategory { key.chargeCategory = intern(statement.textBytes(at: 8)) }
      if wantsLineType { key.lineType = intern(statement.textBytes(at: 9)) }
      let billed = Int128(statement.int64(at: 10))
      let effective = Int128(statement.int64(at: 11))
      if let at = index[key] {
        groups.lines[at] += 1
        groups.billed[at] += billed
        groups.effective[at] += effective
      } else {
        index[key] = groups.keys.count
        groups.keys.append(key)
        groups.lines.append(1)
        groups.billed.append(billed)
        groups.effective.append(effective)
      }
    }
    return groups
  }

  /// The raw key/value pairs of the given tag sets, by tag set id, keys in order.
  func rawTags(ofTagSets ids: some Sequence<Int64>) throws(SQLiteError) -> [Int64: [(
    key: String, value: String
  )]] {
    let statement = try connection.prepare(
      "SELECT raw_key, raw_value FROM tag_set_items WHERE tag_set_id = ? ORDER BY raw_key")
    var result: [Int64: [(key: String, value: String)]] = [:]
    for id in ids {
      statement.bind(id, at: 1)
      var pairs: [(key: String, value: String)] = []
      while try statement.step() { pairs.append((statement.text(at: 0), statement.text(at: 1))) }
      statement.reset()
      result[id] = pairs
    }
    return result
  }

  /// The text of every row of a small dimension table (`accounts.account_id`,
  /// `services.name`, `regions.name`), by row id.
  func dimensionNames(_ table: DimensionTable) throws(SQLiteError) -> [Int64: String] {
    let statement = try connection.prepare("SELECT id, \(table.column) FROM \(table.rawValue)")
    var names: [Int64: String] = [:]
    while try statement.step() { names[statement.int64(at: 0)] = statement.text(at: 1) }
    return names
  }

  /// The ids and types of the given resources, by row id.
  func resourceNames(_ ids: some Sequence<Int64>) throws(SQLiteError) -> [Int64: (
    id: String, type: String
  )] {
    let statement = try connection.prepare(
      "SELECT resource_id, coalesce(resource_type, '') FROM resources WHERE id = ?")
    var result: [Int64: (id: String, type: String)] = [:]
    for id in ids where result[id] == nil {
      statement.bind(id, at: 1)
      if try statement.step() { result[id] = (statement.text(at: 0), statement.text(at: 1)) }
      statement.reset()
    }
    return result
  }
}

/// The small dimension tables whose names the policy stage reads whole.
enum DimensionTable: String {
  case accounts, services, regions

  var column: String { self == .accounts ? "account_id" : "name" }
}
