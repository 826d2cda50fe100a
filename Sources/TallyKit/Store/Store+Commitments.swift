/// One distinct kind of line in a stretch of months: every line with the same provider,
/// currency, charge and pricing category, product attributes and commitment belongs to it.
///
/// The commitments stage classifies classes (thousands), never lines (millions).
public struct LineClass: Sendable, Hashable {
  /// `AWS`, `Microsoft`, `Google Cloud`… as the export writes it.
  public var provider: String
  /// ISO 4217 code.
  public var currency: String
  /// Usage, Purchase, Tax, Credit or Adjustment.
  public var chargeCategory: String
  /// FOCUS `PricingCategory` (Standard, Committed, Dynamic, Other), or "".
  public var pricingCategory: String
  /// AWS `lineItem/LineItemType`; "" for FOCUS lines.
  public var lineItemType: String
  /// The service's name and FOCUS category (`Compute`…).
  public var serviceName: String
  public var serviceCategory: String
  /// The region id (`us-east-1`) and SKU id, or "".
  public var region: String
  public var sku: String
  /// AWS usage type (`BoxUsage:m5.large`) and operation (`RunInstances:0002`), or "".
  public var usageType: String
  public var operation: String
  /// Instance type, platform (operating system) and tenancy, or "".
  public var instanceType: String
  public var platform: String
  public var tenancy: String
  /// The bill's normalisation factor for the instance size, when it gives one.
  public var normalizationFactor: Double?
  /// The commitment that covered or charged the line (``CommitmentRecord/storeID``).
  public var commitment: Int64?
  /// FOCUS `CommitmentDiscountStatus` (Used, Unused), or "".
  public var commitmentStatus: String

  /// Creates a class (tests build them by hand).
  public init(
    provider: String, currency: String, chargeCategory: String = "Usage",
    pricingCategory: String = "", lineItemType: String = "", serviceName: String = "",
    serviceCategory: String = "", region: String = "", sku: String = "", usageType: String = "",
    operation: String = "", instanceType: String = "", platform: String = "",
    tenancy: String = "", normalizationFactor: Double? = nil, commitment: Int64? = nil,
    commitmentStatus: String = ""
  ) {
    self.provider = provider
    self.currency = currency
    self.chargeCategory = chargeCategory
    self.pricingCategory = pricingCategory
    self.lineItemType = lineItemType
    self.serviceName = serviceName
    self.serviceCategory = serviceCategory
    self.region = region
    self.sku = sku
    self.usageType = usageType
    self.operation = operation
    self.instanceType = instanceType
    self.platform = platform
    self.tenancy = tenancy
    self.normalizationFactor = normalizationFactor
    self.commitment = commitment
    self.commitmentStatus = commitmentStatus
  }
}

/// The sums of one class's lines in one billing month.
public struct LineClassTotals: Sendable, Hashable {
  /// How many lines.
  public var lines = 0
  /// Σ effective (amortised), contracted and list cost.
  public var effective = Money.zero
  public var contracted = Money.zero
  public var list = Money.zero
  /// Σ consumed quantity × commitment rate and × public on-demand rate, over the lines that
  /// give both rates (savings plan lines of a CUR); in currency units.
  public var atCommitmentRate = 0.0
  public var atOnDemandRate = 0.0

  /// Empty totals.
  public init() {}
}

/// A commitment (reservation, savings plan, CUD) as its lines describe it.
public struct CommitmentRecord: Sendable, Hashable {
  /// The store's id for it (`commitment_discounts.id`).
  public var storeID: Int64
  /// The provider's id: an ARN, an Azure reservation order, a GCP commitment path.
  public var id: String
  /// `Savings Plan`, `Reserved Instance`, `Reservation`, `Committed Use Discount`…
  public var type: String
  /// `Spend` or `Usage`, or "" when no line says.
  public var category: String
  /// When it ends, if a line says.
  public var end: Timestamp?
  /// Term, payment option and offering as written (`1yr`, `No Upfront`, `standard`), or "".
  public var term: String
  public var payment: String
  public var offering: String

  /// Creates a record.
  public init(
    storeID: Int64, id: String, type: String, category: String = "", end: Timestamp? = nil,
    term: String = "", payment: String = "", offering: String = ""
  ) {
    self.storeID = storeID
    self.id = id
    self.type = type
    self.category = category
    self.end = end
    self.term = term
    self.payment = payment
    self.offering = offering
  }
}

/// Every line of a stretch of whole months, folded into classes: per class and month the
/// totals, and per class the hourly on-demand-equivalent cost and consumed quantity for the
/// classes the caller asked to keep hourly.
public struct LineHistory: Sendable {
  /// The first hour (the first month's start) and the number of hours.
  public var start: Timestamp
  public var hours: Int
  /// The months, oldest first.
  public var months: [BillingMonth]
  /// The distinct classes.
  public var classes: [LineClass]
  /// `totals[class][month]`, months in the order of ``months``.
  public var totals: [[LineClassTotals]]
  /// Per class, Σ contracted cost per hour in nanos, or nil when the class was not kept.
  /// A line spanning several hours is spread over them by time, exactly (the parts add up).
  public var hourlyCost: [[Int64]?]
  /// Per class, Σ consumed quantity per hour (spread like the cost), or nil.
  public var hourlyQuantity: [[Double]?]
  /// Per class, the first line start and the last line end seen.
  public var firstStart: [Timestamp]
  public var lastEnd: [Timestamp]
  /// The commitments the lines name, by store id.
  public var commitments: [Int64: CommitmentRecord]

  /// Creates a history (tests build them by hand).
  public init(start: Timestamp, hours: Int, months: [BillingMonth]) {
    self.start = start
    self.hours = hours
    self.months = months
    classes = []
    totals = []
    hourlyCost = []
    hourlyQuantity = []
    firstStart = []
    lastEnd = []
    commitments = [:]
  }
}

extension Store {
  /// The latest billing month of any current import, or nil when the store is empty.
  public func latestBillingMonth() throws(SQLiteError) -> BillingMonth? {
    let statement = try connection.prepare("SELECT max(billing_period) FROM import_totals")
    guard try statement.step(), let text = statement.optionalText(at: 0) else { return nil }
    return BillingMonth(text)
  }

  /// Reads every line of `months` (whole months, oldest to newest) once, in rowid order, and
  /// folds it into classes; `keepHours` says which classes need hourly series.
  ///
  /// Lines are found through the rowid ranges of the imports that delivered those months, so
  /// the read is sequential whatever else the store holds. Text is hashed from SQLite's own
  /// buffers: a line costs no allocation unless it starts a new class.
  public func lineHistory(
    months: ClosedRange<BillingMonth>, keepHours: (LineClass) -> Bool
  ) throws(SQLiteError) -> LineHistory {
    var monthList: [BillingMonth] = []
    var month = months.lowerBound
    while month <= months.upperBound {
      monthList.append(month)
      month = month.next
    }
    let start = months.lowerBound.start
    let hours = Int(
      (months.upperBound.next.start.secondsSinceEpoch - start.secondsSinceEpoch) / 3600)
    var reader = LineHistoryReader(
      history: LineHistory(start: start, hours: hours, months: monthList), store: self)

    let ranges = try connection.prepare(
      """
      SELECT DISTINCT i.first_line_id, i.last_line_id FROM imports i
      JOIN import_totals t ON t.import_id = i.id
      WHERE t.billing_period BETWEEN ? AND ? AND i.first_line_id IS NOT NULL ORDER BY 1
      """)
    ranges.bind(months.lowerBound.description, at: 1)
    ranges.bind(months.upperBound.description, at: 2)
    var idRanges: [ClosedRange<Int64>] = []
    while try ranges.step() { idRanges.append(ranges.int64(at: 0)...ranges.int64(at: 1)) }

    // `+billing_period` keeps SQLite on the rowid range rather than the period index.
    let lines = try connection.prepare(
      """
      SELECT billing_period, charge_period_start, charge_period_end, provider, billing_currency,
        charge_category, pricing_category, x_line_item_type, service, region, sku, x_usage_type,
        x_operation, x_instance_type, x_platform, x_tenancy, x_normalization_factor,
        commitment_discount, commitment_discount_status, effective_cost, contracted_cost,
        list_cost, consumed_quantity, x_commitment_rate, x_list_unit_price,
        commitment_discount_category, x_commitment_end, x_purchase_term, x_payment_option,
        x_offering_type
      FROM cost_lines WHERE id BETWEEN ? AND ? AND +billing_period BETWEEN ? AND ?
      """)
    for range in idRanges {
      lines.bind(range.lowerBound, at: 1)
      lines.bind(range.upperBound, at: 2)
      lines.bind(months.lowerBound.description, at: 3)
      lines.bind(months.upperBound.description, at: 4)
      while try lines.step() { try reader.read(lines, keepHours: keepHours) }
      lines.reset()
    }
    try reader.resolveCommitments()
    return reader.history
  }
}

/// The per-row work of ``Store/lineHistory(months:keepHours:)``.
private struct LineHistoryReader {
  var history: LineHistory
  let store: Store
  private var classIDs = ByteKeyedTable()
  private var key: [UInt8] = []
  private var monthKeys: [String]

  /// The columns of the query that make up a class key: text, then dimension ids.
  private static let textColumns: [Int32] = [3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 18]
  private static let idColumns: [Int32] = [8, 9, 10, 17]

  init(history: LineHistory, store: Store) {
    self.history = history
    self.store = store
    monthKeys = history.months.map(\.description)
  }

  mutating func read(_ row: borrowing Statement, keepHours: (LineClass) -> Bool)
    throws(SQLiteError)
  {
    let monthBytes = row.textBytes(at: 0)
    guard let monthIndex = monthKeys.firstIndex(where: { equalsText(monthBytes, $0) }) else {
      return
    }
    key.removeAll(keepingCapacity: true)
    for column in LineHistoryReader.textColumns { appendSegment(row.textBytes(at: column)) }
    for column in LineHistoryReader.idColumns { appendInteger(row.optionalInt64(at: column)) }
    appendInteger(row.optionalDouble(at: 16).map { Int64(bitPattern: $0.bitPattern) })

    let classID: Int
    if let found = key.withUnsafeBytes({ classIDs.value(for: $0) }) {
      classID = Int(found)
    } else {
      classID = try newClass(row, keepHours: keepHours)
      let newKey = key
      newKey.withUnsafeBytes { classIDs.insert(Int64(classID), for: $0) }
    }

    let start = row.int64(at: 1)
    let end = max(row.int64(at: 2), start)
    if start < history.firstStart[classID].secondsSinceEpoch {
      history.firstStart[classID] = Timestamp(secondsSinceEpoch: start)
    }
    if end > history.lastEnd[classID].secondsSinceEpoch {
      history.lastEnd[classID] = Timestamp(secondsSinceEpoch: end)
    }
    let effective = row.int64(at: 19)
    let contracted = row.int64(at: 20)
    let quantity = row.double(at: 22)
    try history.totals[classID][monthIndex].add(
      effective: effective, contracted: contracted, list: row.int64(at: 21),
      quantity: quantity, commitmentRate: row.optionalInt64(at: 23),
      onDemandRate: row.optionalInt64(at: 24))
    if history.hourlyCost[classID] != nil {
      spread(classID, start: start, end: end, cost: contracted, quantity: quantity)
    }
    if let commitment = row.optionalInt64(at: 17) { noteCommitment(commitment, row) }
  }

  /// Adds a line's cost and quantity to the hours it overlaps, in proportion to the overlap;
  /// the cost parts telescope, so they add up to the part of the cost inside the history.
  private mutating func spread(
    _ classID: Int, start: Int64, end: Int64, cost: Int64, quantity: Double
  ) {
    let origin = history.start.secondsSinceEpoch
    let limit = origin + Int64(history.hours) * 3600
    let lastInstant = max(end - 1, start)
    if (start - origin) / 3600 == (lastInstant - origin) / 3600 {
      // The common case: the line lies within one hour (or has no duration).
      guard start >= origin, start < limit else { return }
      let hour = Int((start - origin) / 3600)
      history.hourlyCost[classID]?[hour] += cost
      history.hourlyQuantity[classID]?[hour] += quantity
      return
    }
    let first = max(start, origin)
    let last = min(end, limit)
    guard first < last else { return }
    let duration = Int128(end - start)
    func share(upTo instant: Int64) -> Int64 {
      Int64(Int128(cost) * Int128(instant - start) / duration)
    }
    var cursor = first
    var before = share(upTo: first)
    while cursor < last {
      let hour = Int((cursor - origin) / 3600)
      let next = min(origin + Int64(hour + 1) * 3600, last)
      let upTo = share(upTo: next)
      history.hourlyCost[classID]?[hour] += upTo - before
      history.hourlyQuantity[classID]?[hour] += quantity * Double(next - cursor) / Double(duration)
      before = upTo
      cursor = next
    }
  }

  private mutating func noteCommitment(_ id: Int64, _ row: borrowing Statement) {
    var record = history.commitments[id] ?? CommitmentRecord(storeID: id, id: "", type: "")
    if record.category.isEmpty { record.category = row.text(at: 25) }
    if let end = row.optionalInt64(at: 26), end > (record.end?.secondsSinceEpoch ?? .min) {
      record.end = Timestamp(secondsSinceEpoch: end)
    }
    if record.term.isEmpty { record.term = row.text(at: 27) }
    if record.payment.isEmpty { record.payment = row.text(at: 28) }
    if record.offering.isEmpty { record.offering = row.text(at: 29) }
    history.commitments[id] = record
  }

  private mutating func newClass(_ row: borrowing Statement, keepHours: (LineClass) -> Bool)
    throws(SQLiteError) -> Int
  {
    let line = LineClass(
      provider: row.text(at: 3), currency: row.text(at: 4), chargeCategory: row.text(at: 5),
      pricingCategory: row.text(at: 6), lineItemType: row.text(at: 7),
      serviceName: try store.dimensionName("services", "name", row.optionalInt64(at: 8)),
      serviceCategory: try store.dimensionName("services", "category", row.optionalInt64(at: 8)),
      region: try store.dimensionName("regions", "name", row.optionalInt64(at: 9)),
      sku: try store.dimensionName("skus", "sku", row.optionalInt64(at: 10)),
      usageType: row.text(at: 11), operation: row.text(at: 12), instanceType: row.text(at: 13),
      platform: row.text(at: 14), tenancy: row.text(at: 15),
      normalizationFactor: row.optionalDouble(at: 16), commitment: row.optionalInt64(at: 17),
      commitmentStatus: row.text(at: 18))
    history.classes.append(line)
    history.totals.append(Array(repeating: LineClassTotals(), count: history.months.count))
    let keep = keepHours(line)
    history.hourlyCost.append(keep ? Array(repeating: 0, count: history.hours) : nil)
    history.hourlyQuantity.append(keep ? Array(repeating: 0, count: history.hours) : nil)
    history.firstStart.append(Timestamp(secondsSinceEpoch: .max))
    history.lastEnd.append(Timestamp(secondsSinceEpoch: .min))
    return history.classes.count - 1
  }

  /// Fills in the provider ids and types of the commitments seen.
  mutating func resolveCommitments() throws(SQLiteError) {
    let statement = try store.connection.prepare(
      "SELECT commitment_id, type FROM commitment_discounts WHERE id = ?")
    for (id, var record) in history.commitments {
      statement.bind(id, at: 1)
      if try statement.step() {
        record.id = statement.text(at: 0)
        record.type = statement.text(at: 1)
      }
      statement.reset()
      history.commitments[id] = record
    }
  }

  private mutating func appendSegment(_ bytes: UnsafeRawBufferPointer) {
    var length = UInt32(bytes.count)
    withUnsafeBytes(of: &length) { key.append(contentsOf: $0) }
    key.append(contentsOf: bytes)
  }

  private mutating func appendInteger(_ value: Int64?) {
    var bits = value ?? Int64.min
    withUnsafeBytes(of: &bits) { key.append(contentsOf: $0) }
  }
}

extension LineClassTotals {
  /// Adds one line; money sums are checked.
  fileprivate mutating func add(
    effective: Int64, contracted: Int64, list: Int64, quantity: Double, commitmentRate: Int64?,
    onDemandRate: Int64?
  ) throws(SQLiteError) {
    do {
      self.effective = try self.effective.adding(Money(nanos: effective))
      self.contracted = try self.contracted.adding(Money(nanos: contracted))
      self.list = try self.list.adding(Money(nanos: list))
    } catch {
      throw SQLiteError(code: 1, message: "cost totals overflow: \(error)", sql: nil)
    }
    lines += 1
    if let commitmentRate, let onDemandRate, onDemandRate > 0 {
      atCommitmentRate += quantity * Double(commitmentRate) / 1e9
      atOnDemandRate += quantity * Double(onDemandRate) / 1e9
    }
  }
}

extension Store {
  /// A column of a dimension row, "" for no id or NULL.
  fileprivate func dimensionName(_ table: String, _ column: String, _ id: Int64?)
    throws(SQLiteError) -> String
  {
    guard let id else { return "" }
    let statement = try connection.prepare("SELECT \(column) FROM \(table) WHERE id = ?")
    statement.bind(id, at: 1)
    guard try statement.step() else { return "" }
    return statement.text(at: 0)
  }
}

/// True when `bytes` spell exactly `text`.
private func equalsText(_ bytes: UnsafeRawBufferPointer, _ text: String) -> Bool {
  bytes.elementsEqual(text.utf8)
}
