/// What the lines of a group share: the policy stage judges each group once.
///
/// Ids are row ids of the dimension tables (0 when the line has none); `period`, `currency`,
/// `provider`, `chargeCategory` and `lineType` index ``LineGroups/texts``. Fields the policy
/// does not read are 0 for every group, so they do not split groups.
struct LineGroupKey: Hashable {
  var tagSet: Int64 = 0
  /// The usage account (`coalesce(sub_account, billing_account)`).
  var account: Int64 = 0
  var resource: Int64 = 0
  var service: Int64 = 0
  var region: Int64 = 0
  var billingAccount: Int64 = 0
  var period: Int32 = 0
  var currency: Int32 = 0
  var provider: Int32 = 0
  var chargeCategory: Int32 = 0
  var lineType: Int32 = 0
}

/// Lines summed by ``LineGroupKey``: one entry per distinct combination.
struct LineGroups {
  var keys: [LineGroupKey] = []
  var lines: [Int] = []
  var billed: [Int128] = []
  var effective: [Int128] = []
  var list: [Int128] = []
  /// Interned text of the low-cardinality columns; index 0 is the empty text (NULL).
  var texts: [String] = [""]
  private var interned = ByteKeyedTable(capacity: 64)
  private var index = GroupIndex()

  /// The number of groups.
  var count: Int { keys.count }

  /// The index of `bytes` in ``texts``, adding them the first time.
  mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
    if bytes.isEmpty { return 0 }
    if let id = interned.value(for: bytes) { return Int32(id) }
    let id = texts.count
    texts.append(String(decoding: bytes, as: UTF8.self))
    interned.insert(Int64(id), for: bytes)
    return Int32(id)
  }

  /// Adds `lines` lines of these costs to the group of `key`.
  mutating func add(
    _ key: LineGroupKey, lines: Int, billed: Int128, effective: Int128, list: Int128
  ) {
    if let at = index.group(of: key, in: keys) {
      self.lines[at] += lines
      self.billed[at] += billed
      self.effective[at] += effective
      self.list[at] += list
    } else {
      index.insert(key, at: keys.count)
      keys.append(key)
      self.lines.append(lines)
      self.billed.append(billed)
      self.effective.append(effective)
      self.list.append(list)
    }
  }

  /// The summed costs of the group at `index`.
  /// - Throws: ``MoneyError/overflow`` when a sum leaves the range of ``Money``.
  func costs(at index: Int) throws(MoneyError) -> CostTotals {
    guard let billed = Int64(exactly: billed[index]),
      let effective = Int64(exactly: effective[index]), let list = Int64(exactly: list[index])
    else { throw MoneyError.overflow }
    return CostTotals(
      billed: Money(nanos: billed), effective: Money(nanos: effective), list: Money(nanos: list))
  }
}

/// An import's lines as read back from the store after they were written: their line groups,
/// and their totals per month and currency, which the reconciliation check compares with the
/// totals read from the file.
struct ImportReadBack {
  var groups: LineGroups
  /// Sorted by month, then currency.
  var totals: [PeriodTotals]
}

extension Store {
  /// Reads an import's lines back in one pass (see ``readBack(lineIDs:)``) and records their
  /// line groups. Call inside the import's transaction.
  func recordLineGroups(importID: Int64, lineIDs: ClosedRange<Int64>) throws(SQLiteError) {
    try insertLineGroups(try readBack(lineIDs: lineIDs).groups, importID: importID)
  }

  /// Reads the lines `lineIDs` (one import's) once, summing them into line groups and into
  /// totals per month and currency (see ``LineReadBack``).
  func readBack(lineIDs: ClosedRange<Int64>) throws(SQLiteError) -> ImportReadBack {
    var reader = try LineReadBack(connection)
    try reader.read(lineIDs)
    return try reader.result()
  }

  /// Stores an import's line groups. Call inside the import's transaction.
  func insertLineGroups(_ groups: LineGroups, importID: Int64) throws(SQLiteError) {
    let insert = try connection.prepare(
      """
      INSERT INTO line_groups (import_id, billing_period, tag_set, account, billing_account,
        resource, service, region, billing_currency, provider, charge_category, line_type, lines,
        billed_cost, effective_cost, list_cost) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      """)
    func id(_ value: Int64) -> Int64? { value == 0 ? nil : value }
    func text(_ index: Int32) -> String? { index == 0 ? nil : groups.texts[Int(index)] }
    for at in 0..<groups.count {
      let key = groups.keys[at]
      guard let costs = try? groups.costs(at: at) else {
        throw SQLiteError(
          code: 1, message: "a line group's cost is out of range (import \(importID))", sql: nil)
      }
      insert.bind(importID, at: 1)
      insert.bind(groups.texts[Int(key.period)], at: 2)
      insert.bind(key.tagSet, at: 3)
      insert.bind(key.account, at: 4)
      insert.bind(key.billingAccount, at: 5)
      insert.bind(id(key.resource), at: 6)
      insert.bind(id(key.service), at: 7)
      insert.bind(id(key.region), at: 8)
      insert.bind(groups.texts[Int(key.currency)], at: 9)
      insert.bind(groups.texts[Int(key.provider)], at: 10)
      insert.bind(groups.texts[Int(key.chargeCategory)], at: 11)
      insert.bind(text(key.lineType), at: 12)
      insert.bind(Int64(groups.lines[at]), at: 13)
      insert.bind(costs.billed.nanos, at: 14)
      insert.bind(costs.effective.nanos, at: 15)
      insert.bind(costs.list.nanos, at: 16)
      try insert.run()
    }
  }

  /// A month's lines summed by tag set, usage account, resource, service and currency, and by
  /// the other `fields` that the policy's conditions test (provider, billing account, region,
  /// charge category, line type).
  ///
  /// The groups are read from `line_groups`, which each import records
  /// (``recordLineGroups(importID:lineIDs:)``); imports made before that table existed have
  /// theirs recorded here first, and groups of deliveries superseded since are dropped. The
  /// sums are not made with SQL `GROUP BY` over the lines: SQLite sorts every row for it
  /// (measured on 1,000,000 lines: 2.5 s of CPU for six integer keys, against 0.2 s for a
  /// plain scan), while the distinct groups are tens of thousands.
  func lineGroups(in month: BillingMonth, fields: Set<LineField>) throws(SQLiteError)
    -> LineGroups
  {
    try recordMissingLineGroups(in: month)
    var columns = [
      "tag_set", "account", "resource", "service", "billing_currency", "lines", "billed_cost",
      "effective_cost", "list_cost",
    ]
    func column(_ field: LineField, _ name: String) -> Int32? {
      guard fields.contains(field) else { return nil }
      columns.append(name)
      return Int32(columns.count - 1)
    }
    let billingAccount = column(.billingAccount, "billing_account")
    let region = column(.region, "region")
    let provider = column(.provider, "provider")
    let category = column(.chargeCategory, "charge_category")
    let lineType = column(.lineType, "line_type")
    let statement = try connection.prepare(
      "SELECT \(columns.joined(separator: ", ")) FROM line_groups WHERE billing_period = ?")
    statement.bind(month.description, at: 1)
    var groups = LineGroups()
    var key = LineGroupKey()
    while try statement.step() {
      key.tagSet = statement.int64(at: 0)
      key.account = statement.int64(at: 1)
      key.resource = statement.int64(at: 2)
      key.service = statement.int64(at: 3)
      key.currency = groups.intern(statement.textBytes(at: 4))
      if let billingAccount { key.billingAccount = statement.int64(at: billingAccount) }
      if let region { key.region = statement.int64(at: region) }
      if let provider { key.provider = groups.intern(statement.textBytes(at: provider)) }
      if let category { key.chargeCategory = groups.intern(statement.textBytes(at: category)) }
      if let lineType { key.lineType = groups.intern(statement.textBytes(at: lineType)) }
      groups.add(
        key, lines: Int(statement.int64(at: 5)), billed: Int128(statement.int64(at: 6)),
        effective: Int128(statement.int64(at: 7)), list: Int128(statement.int64(at: 8)))
    }
    return groups
  }

  /// Drops the line groups of `month` that superseded deliveries recorded, and records those
  /// of its current imports whose groups are not stored (imports made before `line_groups`,
  /// or before its `list_cost`, schema version 8).
  func recordMissingLineGroups(in month: BillingMonth) throws(SQLiteError) {
    let period = month.description
    let stale = try connection.prepare(
      """
      DELETE FROM line_groups WHERE billing_period = ?1
        AND import_id NOT IN (SELECT import_id FROM import_totals WHERE billing_period = ?1)
      """)
    stale.bind(period, at: 1)
    try stale.run()
    let missing = try connection.prepare(
      """
      SELECT i.id, i.first_line_id, i.last_line_id FROM imports i
      WHERE i.first_line_id IS NOT NULL
        AND i.id IN (SELECT import_id FROM import_totals WHERE billing_period = ?1)
        AND NOT EXISTS (SELECT 1 FROM line_groups g WHERE g.import_id = i.id)
      """)
    missing.bind(period, at: 1)
    var unrecorded: [(Int64, ClosedRange<Int64>)] = []
    while try missing.step() {
      unrecorded.append((missing.int64(at: 0), missing.int64(at: 1)...missing.int64(at: 2)))
    }
    missing.reset()
    for (importID, lineIDs) in unrecorded {
      try recordLineGroups(importID: importID, lineIDs: lineIDs)
    }
  }

  /// The raw key/value pairs of the tag sets of a month's line groups, by tag set id, keys in
  /// order.
  func rawTags(ofGroupsIn month: BillingMonth) throws(SQLiteError) -> [Int64: [(
    key: String, value: String
  )]] {
    let statement = try connection.prepare(
      """
      SELECT tag_set_id, raw_key, raw_value FROM tag_set_items
      WHERE tag_set_id IN (SELECT tag_set FROM line_groups WHERE billing_period = ?)
      ORDER BY tag_set_id, raw_key
      """)
    statement.bind(month.description, at: 1)
    var result: [Int64: [(key: String, value: String)]] = [:]
    while try statement.step() {
      result[statement.int64(at: 0), default: []].append(
        (statement.text(at: 1), statement.text(at: 2)))
    }
    return result
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

/// Reads an import's lines back from the store, summing them into line groups and into totals
/// per month and currency: every line of a month falls in one group per tag set, usage
/// account, billing account, resource, service, region, currency, provider, charge category
/// and line type.
///
/// This pass lets evaluating and allocating a month read tens of thousands of groups instead of
/// millions of lines, and the same pass checks the import's totals, so reconciling costs no
/// second scan. An import reads its lines back a few thousand at a time as it writes them
/// (``read(_:)`` over consecutive ranges, ``CostLineWriter/readBackWritten()``), while they are
/// still in SQLite's page cache and while the other core still parses, rather than in one pass
/// at the end.
struct LineReadBack: ~Copyable {
  private var groups = LineGroups()
  private var totals = PeriodSums()
  private let lines: Statement
  private let lineType: Statement
  /// The interned line type of each detail id seen, +1 (0: not looked up yet).
  private var lineTypes: [Int32] = []
  /// The last text read of each text column (month, currency, provider, charge category) and
  /// its interned index: consecutive lines nearly always repeat them.
  private var lastTexts: [(bytes: [UInt8], index: Int32)] = Array(
    repeating: ([], 0), count: 4)

  init(_ connection: Connection) throws(SQLiteError) {
    let lines = try connection.prepare(
      """
      SELECT billing_period, billing_currency, provider, charge_category, tag_set,
        coalesce(sub_account, billing_account), billing_account, resource, service, region,
        detail, billed_cost, effective_cost, list_cost, contracted_cost
      FROM cost_lines WHERE id BETWEEN ? AND ?
      """)
    let lineType = try connection.prepare(
      "SELECT x_line_item_type FROM line_details WHERE id = ?")
    self.lines = lines
    self.lineType = lineType
  }

  /// Adds the lines `lineIDs`.
  mutating func read(_ lineIDs: ClosedRange<Int64>) throws(SQLiteError) {
    lines.bind(lineIDs.lowerBound, at: 1)
    lines.bind(lineIDs.upperBound, at: 2)
    defer { lines.reset() }
    var key = LineGroupKey()
    while try lines.step() {
      key.period = text(0)
      key.currency = text(1)
      key.provider = text(2)
      key.chargeCategory = text(3)
      key.tagSet = lines.int64(at: 4)
      key.account = lines.int64(at: 5)
      key.billingAccount = lines.int64(at: 6)
      key.resource = lines.int64(at: 7)
      key.service = lines.int64(at: 8)
      key.region = lines.int64(at: 9)
      key.lineType = try lineTypeOf(detail: Int(lines.int64(at: 10)))
      let billed = Int128(lines.int64(at: 11))
      let effective = Int128(lines.int64(at: 12))
      let list = Int128(lines.int64(at: 13))
      groups.add(key, lines: 1, billed: billed, effective: effective, list: list)
      totals.add(
        period: key.period, currency: key.currency, billed: billed, effective: effective,
        list: list, contracted: Int128(lines.int64(at: 14)))
    }
  }

  /// The groups and totals of the lines read.
  func result() throws(SQLiteError) -> ImportReadBack {
    ImportReadBack(groups: groups, totals: try totals.periodTotals(texts: groups.texts))
  }

  /// The interned text of text column `column` of the current line.
  private mutating func text(_ column: Int32) -> Int32 {
    let bytes = lines.textBytes(at: column)
    let slot = Int(column)
    if lastTexts[slot].bytes.elementsEqual(bytes) { return lastTexts[slot].index }
    let index = groups.intern(bytes)
    lastTexts[slot] = (Array(bytes), index)
    return index
  }

  /// The interned line item type of detail `detail`, looked up once per detail.
  private mutating func lineTypeOf(detail: Int) throws(SQLiteError) -> Int32 {
    if detail < lineTypes.count, lineTypes[detail] > 0 { return lineTypes[detail] - 1 }
    lineType.bind(Int64(detail), at: 1)
    defer { lineType.reset() }
    let index = try lineType.step() ? groups.intern(lineType.textBytes(at: 0)) : 0
    if detail >= lineTypes.count {
      lineTypes.append(contentsOf: repeatElement(0, count: detail + 1 - lineTypes.count))
    }
    lineTypes[detail] = index + 1
    return index
  }
}

/// Lines and their four costs summed per month and currency, both given as indexes into
/// ``LineGroups/texts``; an import has a few such pairs.
private struct PeriodSums {
  private struct Sums {
    var period: Int32
    var currency: Int32
    var lines = 0
    var billed: Int128 = 0
    var effective: Int128 = 0
    var list: Int128 = 0
    var contracted: Int128 = 0
  }
  private var entries: [Sums] = []
  /// The entry the last line went to: consecutive lines nearly always share it.
  private var last = 0

  mutating func add(
    period: Int32, currency: Int32, billed: Int128, effective: Int128, list: Int128,
    contracted: Int128
  ) {
    if last >= entries.count || entries[last].period != period
      || entries[last].currency != currency
    {
      if let found = entries.firstIndex(where: { $0.period == period && $0.currency == currency }) {
        last = found
      } else {
        entries.append(Sums(period: period, currency: currency))
        last = entries.count - 1
      }
    }
    entries[last].lines += 1
    entries[last].billed += billed
    entries[last].effective += effective
    entries[last].list += list
    entries[last].contracted += contracted
  }

  /// The sums, sorted by month and currency; months that do not parse are left out.
  func periodTotals(texts: [String]) throws(SQLiteError) -> [PeriodTotals] {
    var result: [PeriodTotals] = []
    for entry in entries {
      guard let month = BillingMonth(texts[Int(entry.period)]) else { continue }
      guard let billed = Int64(exactly: entry.billed),
        let effective = Int64(exactly: entry.effective), let list = Int64(exactly: entry.list),
        let contracted = Int64(exactly: entry.contracted)
      else {
        throw SQLiteError(code: 1, message: "integer overflow in the sums of \(month)", sql: nil)
      }
      result.append(
        PeriodTotals(
          month: month, currency: texts[Int(entry.currency)], rowCount: entry.lines,
          totals: CostTotals(
            billed: Money(nanos: billed), effective: Money(nanos: effective),
            list: Money(nanos: list), contracted: Money(nanos: contracted))))
    }
    return result.sorted { ($0.month, $0.currency) < ($1.month, $1.currency) }
  }
}

/// Finds a line's group without hashing its whole key: resources are rows of `resources`, so
/// their ids are small dense integers that index an array of chains of the groups of that
/// resource (nearly always a few). Lines without a resource use a dictionary.
private struct GroupIndex {
  /// The first group of each resource id, or -1.
  private var heads: [Int32] = []
  /// The next group of the same resource, or -1.
  private var next: [Int32] = []
  private var unidentified: [LineGroupKey: Int] = [:]

  func group(of key: LineGroupKey, in keys: [LineGroupKey]) -> Int? {
    guard key.resource > 0 else { return unidentified[key] }
    guard key.resource < heads.count else { return nil }
    var at = heads[Int(key.resource)]
    while at >= 0 {
      if keys[Int(at)] == key { return Int(at) }
      at = next[Int(at)]
    }
    return nil
  }

  mutating func insert(_ key: LineGroupKey, at position: Int) {
    guard key.resource > 0 else {
      unidentified[key] = position
      next.append(-1)
      return
    }
    let resource = Int(key.resource)
    if resource >= heads.count {
      heads.append(
        contentsOf: repeatElement(-1, count: max(resource + 1, heads.count * 2) - heads.count))
    }
    next.append(heads[resource])
    heads[resource] = Int32(position)
  }
}

/// The small dimension tables whose names the policy stage reads whole.
enum DimensionTable: String {
  case accounts, services, regions

  var column: String { self == .accounts ? "account_id" : "name" }
}
