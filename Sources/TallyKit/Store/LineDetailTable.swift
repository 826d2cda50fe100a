/// What cost lines repeat, interned in `line_details`: the provider, charge category, billing
/// currency and billing period's start, the charge class, pricing and commitment attributes, and AWS's line item
/// type, usage type, operation, instance type and the like. A bill repeats a few hundred
/// combinations of these over millions of lines, so a line stores the id of its combination
/// instead of twenty-two columns (schema versions 11, 13 and 14).
///
/// Every combination stored is loaded when the table is opened; rows are matched by a key
/// that ``DetailKey`` builds the same way from a ``CostLine`` and from a stored row.
struct LineDetailTable: ~Copyable {
  private var known: ByteKeyedTable
  private var key: DetailKey
  private let insert: Statement
  private let connection: Connection

  deinit { key.deallocate() }

  init(_ connection: Connection) throws(SQLiteError) {
    let columns = LineDetailTable.columns.joined(separator: ", ")
    let select = try connection.prepare("SELECT id, \(columns) FROM line_details")
    let insert = try connection.prepare(
      "INSERT INTO line_details (\(columns)) VALUES ("
        + Array(repeating: "?", count: LineDetailTable.columns.count).joined(separator: ", ")
        + ")", persistent: true)
    var known = ByteKeyedTable()
    var loaded = DetailKey()
    defer { loaded.deallocate() }
    while try select.step() {
      loaded.reset()
      for (index, kind) in LineDetailTable.kinds.enumerated() {
        let column = Int32(index + 1)
        switch kind {
        case .text: loaded.append(text: select.textBytes(at: column))
        case .real: loaded.append(real: select.optionalDouble(at: column))
        case .integer: loaded.append(integer: select.optionalInt64(at: column))
        }
      }
      _ = loaded.withBytes { known.insert(select.int64(at: 0), for: $0) }
    }
    // Every throwing step comes first: `deinit` frees the key.
    self.known = known
    self.insert = insert
    self.connection = connection
    key = DetailKey()
  }

  /// The id of `line`'s detail, stored the first time it is seen.
  mutating func id(for line: CostLine) throws(SQLiteError) -> Int64 {
    key.reset()
    let category = line.chargeCategory.staticText
    let categoryBytes = UnsafeRawBufferPointer(
      start: category.utf8Start, count: category.utf8CodeUnitCount)
    key.append(text: line.provider)
    key.append(text: categoryBytes)
    key.append(text: line.billingCurrency)
    key.append(integer: line.billingPeriodStart.secondsSinceEpoch)
    key.append(text: line.chargeClass)
    key.append(text: line.pricingCategory)
    key.append(text: line.commitmentDiscountStatus)
    key.append(text: line.commitmentDiscountCategory)
    key.append(text: line.consumedUnit)
    key.append(text: line.lineItemType)
    key.append(text: line.usageType)
    key.append(text: line.operation)
    key.append(text: line.instanceType)
    key.append(text: line.platform)
    key.append(text: line.tenancy)
    key.append(real: line.normalizationFactor)
    key.append(integer: line.commitmentRate?.nanos)
    key.append(integer: line.listUnitPrice?.nanos)
    key.append(integer: line.commitmentEnd?.secondsSinceEpoch)
    key.append(text: line.purchaseTerm)
    key.append(text: line.paymentOption)
    key.append(text: line.offeringType)
    if let id = key.withBytes({ known.value(for: $0) }) { return id }

    insert.bindText(borrowing: line.provider, at: 1)
    insert.bindText(borrowing: categoryBytes, at: 2)
    insert.bindText(borrowing: line.billingCurrency, at: 3)
    insert.bind(line.billingPeriodStart.secondsSinceEpoch, at: 4)
    let texts: [(Int32, UnsafeRawBufferPointer)] = [
      (5, line.chargeClass), (6, line.pricingCategory), (7, line.commitmentDiscountStatus),
      (8, line.commitmentDiscountCategory), (9, line.consumedUnit), (10, line.lineItemType),
      (11, line.usageType), (12, line.operation), (13, line.instanceType), (14, line.platform),
      (15, line.tenancy), (20, line.purchaseTerm), (21, line.paymentOption),
      (22, line.offeringType),
    ]
    for (index, bytes) in texts {
      if bytes.isEmpty {
        insert.bindNull(at: index)
      } else {
        insert.bindText(borrowing: bytes, at: index)
      }
    }
    insert.bind(line.normalizationFactor, at: 16)
    insert.bind(line.commitmentRate?.nanos, at: 17)
    insert.bind(line.listUnitPrice?.nanos, at: 18)
    insert.bind(line.commitmentEnd?.secondsSinceEpoch, at: 19)
    try insert.run()
    let id = connection.lastInsertRowID
    _ = key.withBytes { known.insert(id, for: $0) }
    return id
  }

  private enum Kind { case text, real, integer }

  /// The columns of `line_details` after `id`, in the order ``id(for:)`` keys and binds them.
  private static let columns = [
    "provider", "charge_category", "billing_currency", "billing_period_start", "charge_class",
    "pricing_category",
    "commitment_discount_status",
    "commitment_discount_category", "consumed_unit", "x_line_item_type", "x_usage_type",
    "x_operation", "x_instance_type", "x_platform", "x_tenancy", "x_normalization_factor",
    "x_commitment_rate", "x_list_unit_price", "x_commitment_end", "x_purchase_term",
    "x_payment_option", "x_offering_type",
  ]
  private static let kinds: [Kind] =
    Array(repeating: .text, count: 3) + [.integer] + Array(repeating: .text, count: 11) + [
      .real, .integer, .integer, .integer,
    ]
    + Array(repeating: .text, count: 3)
}

/// The bytes that identify a line detail: each text length-prefixed (empty for NULL, as a
/// ``CostLine`` has it), each number as a presence byte and its bits.
///
/// Built for every line of an import, so it writes into a buffer of its own with plain copies
/// (with an `Array`, the appends were 3 % of an import's CPU time). Freed by ``deallocate()``.
private struct DetailKey {
  private var bytes = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 8)
  private var count = 0
  private var capacity = 1024

  func deallocate() { bytes.deallocate() }

  mutating func reset() { count = 0 }

  mutating func append(text: UnsafeRawBufferPointer) {
    reserve(4 + text.count)
    bytes.storeBytes(
      of: UInt32(truncatingIfNeeded: text.count).littleEndian, toByteOffset: count, as: UInt32.self)
    if let base = text.baseAddress, !text.isEmpty {
      (bytes + count + 4).copyMemory(from: base, byteCount: text.count)
    }
    count += 4 + text.count
  }

  mutating func append(real: Double?) {
    append(integer: real.map { Int64(bitPattern: $0.bitPattern) })
  }

  mutating func append(integer: Int64?) {
    reserve(9)
    bytes.storeBytes(of: integer == nil ? 0 : 1, toByteOffset: count, as: UInt8.self)
    bytes.storeBytes(of: (integer ?? 0).littleEndian, toByteOffset: count + 1, as: Int64.self)
    count += 9
  }

  func withBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
    body(UnsafeRawBufferPointer(start: bytes, count: count))
  }

  private mutating func reserve(_ more: Int) {
    guard count + more > capacity else { return }
    capacity = max(capacity * 2, count + more)
    let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    grown.copyMemory(from: bytes, byteCount: count)
    bytes.deallocate()
    bytes = grown
  }
}
