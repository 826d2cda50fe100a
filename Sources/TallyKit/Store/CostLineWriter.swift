#if canImport(Glibc)
  internal import Glibc
#else
  internal import Darwin
#endif

/// The bulk write path of an import: one prepared statement reused for every line, text bound
/// straight from the parse buffer without copying, and dimension values and line details
/// interned through in-memory tables so that the database is asked only about values it has
/// not seen. It can also read back what it wrote as it goes (``readBackWritten()``).
///
/// The choices follow the measurements in `shared/reference/swift-style.md` §2 and Q2: one
/// transaction per delivery (the caller's), `SQLITE_PREPARE_PERSISTENT`, `SQLITE_STATIC` binds.
///
/// The statement and the dimensions are constants (the dimensions behind pointers), so the
/// dozens of accesses per line need no dynamic exclusivity checks: with `var` properties those
/// checks were about 4 % of an import's CPU time.
final class CostLineWriter {
  private let connection: Connection
  private let importID: Int64
  private let insert: Statement
  private let accounts: UnsafeMutablePointer<Dimension>
  private let services: UnsafeMutablePointer<Dimension>
  private let regions: UnsafeMutablePointer<Dimension>
  private let skus: UnsafeMutablePointer<Dimension>
  private let resources: UnsafeMutablePointer<Dimension>
  private let commitments: UnsafeMutablePointer<Dimension>
  private var tagSets: TagSetTable
  private let details: UnsafeMutablePointer<LineDetailTable>
  /// The rowids of the first and last line written.
  private(set) var lineIDs: ClosedRange<Int64>?
  /// The lines written so far, read back up to `readThrough`; nil when not reading back.
  private let readBack: UnsafeMutablePointer<LineReadBack>?
  private var readThrough: Int64 = 0

  /// A writer of import `importID`'s lines; with `readsBack`, it also reads them back as they
  /// are written (``readBackWritten()``).
  init(connection: Connection, importID: Int64, readsBack: Bool = false) throws(SQLiteError) {
    self.connection = connection
    self.importID = importID
    insert = try connection.prepare(CostLineWriter.insertSQL, persistent: true)
    tagSets = try TagSetTable(connection)
    let details = try LineDetailTable(connection)
    let reader = readsBack ? try LineReadBack(connection) : nil
    // Every throwing step comes before the first allocation, so a failure leaks nothing.
    let accounts = try Dimension(
      connection, table: "accounts", key: "account_id", attribute: "name")
    let services = try Dimension(
      connection, table: "services", key: "name", attribute: "category")
    let regions = try Dimension(connection, table: "regions", key: "name", attribute: nil)
    let skus = try Dimension(connection, table: "skus", key: "sku", attribute: nil)
    let resources = try Dimension(
      connection, table: "resources", key: "resource_id", attribute: "resource_type",
      derivedKey: "resource_key")
    let commitments = try Dimension(
      connection, table: "commitment_discounts", key: "commitment_id", attribute: "type")
    self.accounts = Dimension.allocate(accounts)
    self.services = Dimension.allocate(services)
    self.regions = Dimension.allocate(regions)
    self.skus = Dimension.allocate(skus)
    self.resources = Dimension.allocate(resources)
    self.commitments = Dimension.allocate(commitments)
    self.details = .allocate(capacity: 1)
    self.details.initialize(to: details)
    if let reader {
      readBack = .allocate(capacity: 1)
      readBack?.initialize(to: reader)
    } else {
      readBack = nil
    }
  }

  deinit {
    for dimension in [accounts, services, regions, skus, resources, commitments] {
      dimension.deinitialize(count: 1)
      dimension.deallocate()
    }
    details.deinitialize(count: 1)
    details.deallocate()
    readBack?.deinitialize(count: 1)
    readBack?.deallocate()
  }

  /// Reads back the lines written since the last call (``LineReadBack``), if this writer reads
  /// back.
  func readBackWritten() throws(SQLiteError) {
    guard let readBack, let written = lineIDs, written.upperBound > readThrough else { return }
    try readBack.pointee.read(max(readThrough + 1, written.lowerBound)...written.upperBound)
    readThrough = written.upperBound
  }

  /// The groups and totals of the lines read back, once ``readBackWritten()`` has read them
  /// all; nil if this writer does not read back.
  func readBackResult() throws(SQLiteError) -> ImportReadBack? {
    try readBackWritten()
    return try readBack?.pointee.result()
  }

  /// The stored id of a tag set given as raw key/value pairs (any order; keys unique).
  func tagSetID(for pairs: [(key: String, value: String)]) throws(SQLiteError) -> Int64 {
    try tagSets.id(for: pairs)
  }

  /// Writes one line of the import, with `billingPeriod` as `YYYY-MM` text bytes.
  func write(_ line: CostLine, billingPeriod: UnsafeRawBufferPointer) throws(SQLiteError) {
    let provider = line.provider
    let billingAccount = try accounts.pointee.id(
      provider, line.billingAccountID, attribute: line.billingAccountName)
    let subAccount =
      line.subAccountID.isEmpty
      ? nil : try accounts.pointee.id(provider, line.subAccountID, attribute: line.subAccountName)
    let service =
      line.serviceName.isEmpty
      ? nil : try services.pointee.id(provider, line.serviceName, attribute: line.serviceCategory)
    let region = line.regionID.isEmpty ? nil : try regions.pointee.id(provider, line.regionID)
    let resource =
      line.resourceID.isEmpty
      ? nil : try resources.pointee.id(provider, line.resourceID, attribute: line.resourceType)
    let sku = line.skuID.isEmpty ? nil : try skus.pointee.id(provider, line.skuID)
    let commitment =
      line.commitmentDiscountID.isEmpty
      ? nil
      : try commitments.pointee.id(
        provider, line.commitmentDiscountID, attribute: line.commitmentDiscountType)
    let detail = try details.pointee.id(for: line)

    insert.bind(importID, at: 1)
    insert.bindText(borrowing: billingPeriod, at: 2)
    insert.bind(billingAccount, at: 3)
    insert.bind(subAccount, at: 4)
    insert.bind(line.chargePeriodStart.secondsSinceEpoch, at: 5)
    insert.bind(line.chargePeriodEnd.secondsSinceEpoch, at: 6)
    insert.bind(service, at: 7)
    insert.bind(region, at: 8)
    insert.bind(resource, at: 9)
    insert.bind(sku, at: 10)
    insert.bind(commitment, at: 11)
    insert.bind(line.consumedQuantity, at: 12)
    insert.bind(line.billedCost.nanos, at: 13)
    insert.bind(line.effectiveCost.nanos, at: 14)
    insert.bind(line.listCost.nanos, at: 15)
    insert.bind(line.contractedCost.nanos, at: 16)
    insert.bind(line.tagSetID, at: 17)
    insert.bind(detail, at: 18)
    insert.bind(line.normalizedUsageAmount, at: 19)
    try insert.run()

    let rowID = connection.lastInsertRowID
    lineIDs = (lineIDs?.lowerBound ?? rowID)...rowID
  }

  private static let insertSQL = """
    INSERT INTO cost_lines (import_id, billing_period, billing_account, sub_account,
      charge_period_start, charge_period_end, service, region, resource, sku,
      commitment_discount, consumed_quantity, billed_cost, effective_cost, list_cost,
      contracted_cost, tag_set, detail, x_normalized_usage_amount)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
    """
}

/// One interned dimension table (`id`, `provider`, key, optional attribute): ids by
/// provider and key, looked up in memory first.
private struct Dimension: ~Copyable {
  /// The provider whose keys `known` holds (an import is nearly always one provider's); the
  /// tables of other providers wait in `others`.
  private var provider: [UInt8] = []
  private var known = ByteKeyedTable()
  private var others: [[UInt8]: ByteKeyedTable] = [:]
  /// The entry in `known` of the last key looked up: consecutive lines usually repeat their
  /// account, service and region, so most lookups end with one comparison.
  private var lastEntry: Int?
  private let select: Statement
  private let insert: Statement
  private let hasAttribute: Bool
  private let hasDerivedKey: Bool

  /// `dimension` moved into memory of its own, which the caller deinitialises and frees.
  static func allocate(_ dimension: consuming Dimension) -> UnsafeMutablePointer<Dimension> {
    let pointer = UnsafeMutablePointer<Dimension>.allocate(capacity: 1)
    pointer.initialize(to: dimension)
    return pointer
  }

  /// A dimension table; `derivedKey` names a column filled, when a row is inserted, with the
  /// ``ResourceKey`` of the provider and key (for `resources`).
  init(
    _ connection: Connection, table: String, key: String, attribute: String?,
    derivedKey: String? = nil
  ) throws(SQLiteError) {
    var columns = ["provider", key]
    if let attribute { columns.append(attribute) }
    if let derivedKey { columns.append(derivedKey) }
    let insertSQL =
      "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
      + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
    let select = try connection.prepare(
      "SELECT id FROM \(table) WHERE provider = ? AND \(key) = ?", persistent: true)
    let insert = try connection.prepare(insertSQL, persistent: true)
    self.select = select
    self.insert = insert
    hasAttribute = attribute != nil
    hasDerivedKey = derivedKey != nil
  }

  /// The id of (provider, key), inserting the row with `attribute` the first time it is seen.
  mutating func id(
    _ provider: UnsafeRawBufferPointer, _ key: UnsafeRawBufferPointer,
    attribute: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
  ) throws(SQLiteError) -> Int64 {
    if !isCurrent(provider) { switchProvider(to: provider) }
    if let lastEntry, known.key(at: lastEntry, equals: key) { return known.value(at: lastEntry) }
    if let entry = known.entry(for: key) {
      lastEntry = entry
      return known.value(at: entry)
    }

    select.bindText(borrowing: provider, at: 1)
    select.bindText(borrowing: key, at: 2)
    let id: Int64
    if try select.step() {
      id = select.int64(at: 0)
      select.reset()
    } else {
      select.reset()
      insert.bindText(borrowing: provider, at: 1)
      insert.bindText(borrowing: key, at: 2)
      if hasAttribute {
        if attribute.isEmpty {
          insert.bindNull(at: 3)
        } else {
          insert.bindText(borrowing: attribute, at: 3)
        }
      }
      if hasDerivedKey {
        let canonical = ResourceKey.canonical(
          provider: String(decoding: provider, as: UTF8.self),
          resourceID: String(decoding: key, as: UTF8.self))
        insert.bind(canonical, at: hasAttribute ? 4 : 3)
      }
      try insert.run()
      id = try selectAgain(provider, key)
    }
    lastEntry = known.insert(id, for: key)
    return id
  }

  /// Whether `known` holds the keys of `provider`.
  private func isCurrent(_ provider: UnsafeRawBufferPointer) -> Bool {
    guard self.provider.count == provider.count else { return false }
    guard provider.count > 0, let other = provider.baseAddress else { return true }
    return self.provider.withUnsafeBytes {
      $0.baseAddress.map { memcmp($0, other, provider.count) == 0 } ?? false
    }
  }

  /// Puts the table of `provider`'s keys in `known`, keeping the current one in `others`.
  private mutating func switchProvider(to provider: UnsafeRawBufferPointer) {
    let next = Array(provider)
    if !self.provider.isEmpty || known.count > 0 { others[self.provider] = known }
    known = others.removeValue(forKey: next) ?? ByteKeyedTable()
    self.provider = next
    lastEntry = nil
  }

  private func selectAgain(_ provider: UnsafeRawBufferPointer, _ key: UnsafeRawBufferPointer)
    throws(SQLiteError) -> Int64
  {
    select.bindText(borrowing: provider, at: 1)
    select.bindText(borrowing: key, at: 2)
    defer { select.reset() }
    guard try select.step() else {
      throw SQLiteError(code: 1, message: "a dimension row vanished after insert", sql: nil)
    }
    return select.int64(at: 0)
  }
}
