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
  /// The service's name.
  public var serviceName: String
  /// The service's FOCUS category (`Compute`…), or "".
  public var serviceCategory: String
  /// The region id (`us-east-1`), or "".
  public var region: String
  /// The SKU id, or "".
  public var sku: String
  /// AWS usage type (`BoxUsage:m5.large`), or "".
  public var usageType: String
  /// AWS operation (`RunInstances:0002`), or "".
  public var operation: String
  /// The instance type (`m5.large`), or "".
  public var instanceType: String
  /// The operating system as the bill names it, or "".
  public var platform: String
  /// The tenancy as the bill names it, or "".
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
  /// Σ effective (amortised) cost.
  public var effective = Money.zero
  /// Σ on-demand-equivalent cost: the contracted cost (the list cost where the export has no
  /// negotiated price), or the list cost on a commitment's line that prices the usage at the
  /// commitment's rate (Azure cost exports).
  public var onDemand = Money.zero
  /// Σ consumed quantity × commitment rate over the lines that give both a commitment rate
  /// and a public on-demand rate (savings plan lines of a CUR), in currency units.
  public var atCommitmentRate = 0.0
  /// Σ consumed quantity × public on-demand rate over the same lines.
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
  /// The term as written (`1yr`), or "".
  public var term: String
  /// The payment option as written (`No Upfront`), or "".
  public var payment: String
  /// The offering as written (`ComputeSavingsPlans`, `standard`), or "".
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
  /// The first hour: the first month's start.
  public var start: Timestamp
  /// The number of hours, to the end of the last month.
  public var hours: Int
  /// The months, oldest first.
  public var months: [BillingMonth]
  /// The distinct classes.
  public var classes: [LineClass]
  /// `totals[class][month]`, months in the order of ``months``.
  public var totals: [[LineClassTotals]]
  /// Per class, Σ on-demand-equivalent cost per hour in nanos, or nil when the class was not kept.
  /// A line spanning several hours is spread over them by time, exactly (the parts add up).
  public var hourlyCost: [[Int64]?]
  /// Per class, Σ consumed quantity per hour (spread like the cost), or nil.
  public var hourlyQuantity: [[Double]?]
  /// Per class, the first line start seen.
  public var firstStart: [Timestamp]
  /// Per class, the last line end seen.
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
  /// the read is sequential whatever else the store holds. A line's texts are its detail's,
  /// read once per detail: a line costs no allocation and no join unless it starts a class.
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
    var reader = try LineHistoryReader(
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

    // Lines of other months in these ranges are skipped by the reader. What a line repeats
    // (its texts, rates and commitment attributes) is in its detail, which the reader looks up
    // once per detail. The on-demand equivalent is the contracted cost, except on a
    // commitment's line whose contracted cost is no more than its effective cost (Azure cost
    // exports price covered usage at the commitment's rate and give the pay-as-you-go cost as
    // list cost): there it is the list cost. NULL ids come as 0, which saves a call per column
    // and line.
    let lines = try connection.prepare(
      """
      SELECT billing_period, charge_period_start, charge_period_end, detail, ifnull(service, 0),
        ifnull(region, 0), ifnull(sku, 0), ifnull(commitment_discount, 0), effective_cost,
        CASE WHEN commitment_discount IS NOT NULL AND contracted_cost <= effective_cost
          THEN max(contracted_cost, list_cost) ELSE contracted_cost END,
        consumed_quantity
      FROM cost_lines WHERE id BETWEEN ? AND ?
      """)
    for range in idRanges {
      lines.bind(range.lowerBound, at: 1)
      lines.bind(range.upperBound, at: 2)
      while try lines.step() { try reader.read(lines, keepHours: keepHours) }
      lines.reset()
    }
    return try reader.finish()
  }
}

/// The per-row work of ``Store/lineHistory(months:keepHours:)``.
///
/// Measured on 1M lines, this loop is most of `tally recommend`'s time, so it keeps its state
/// flat (one array per measure, indexed by class and hour or month) and builds the class key in
/// a reused buffer; the nested arrays of ``LineHistory`` are made once at the end.
private struct LineHistoryReader: ~Copyable {
  var history: LineHistory
  let store: Store
  private var classIDs = ByteKeyedTable()
  /// What each detail seen says, and where in it each detail id is (-1: not looked up yet);
  /// the ids of the distinct class texts among them.
  private var details: [LineDetail] = []
  private var detailIndexes: [Int] = []
  private var detailTexts = ByteKeyedTable()
  private let detailQuery: Statement
  /// The class key of the current line, or of a detail's texts: `key[0..<keyLength]`.
  private var key: [UInt8] = Array(repeating: 0, count: 512)
  private var keyLength = 0
  /// `year × 12 + month − 1` of the first month.
  private let firstMonth: Int
  /// Per class, where its hours start in ``hourlyCost`` and ``hourlyQuantity`` (−1: not kept).
  private var hourOffsets: [Int] = []
  private var hourlyCost: [Int64] = []
  private var hourlyQuantity: [Double] = []
  /// `totals[class × months + month]`.
  private var totals: [LineClassTotals] = []
  private var firstStart: [Int64] = []
  private var lastEnd: [Int64] = []
  /// The commitments seen, and where each is in ``commitments``.
  private var commitments: [CommitmentRecord] = []
  private var commitmentIndexes: [Int64: Int] = [:]

  /// The columns of the query that make up a class key with the detail's texts: the service,
  /// region, SKU and commitment ids.
  private static let idColumns: [Int32] = [4, 5, 6, 7]

  init(history: LineHistory, store: Store) throws(SQLiteError) {
    let detailQuery = try store.connection.prepare(
      """
      SELECT provider, billing_currency, charge_category, pricing_category, x_line_item_type,
        x_usage_type, x_operation, x_instance_type, x_platform, x_tenancy,
        commitment_discount_status, ifnull(x_normalization_factor, 0),
        ifnull(x_commitment_rate, -1), ifnull(x_list_unit_price, -1),
        commitment_discount_category, x_commitment_end, x_purchase_term, x_payment_option,
        x_offering_type
      FROM line_details WHERE id = ?
      """)
    self.detailQuery = detailQuery
    self.history = history
    self.store = store
    firstMonth = (history.months.first?.year ?? 0) * 12 + (history.months.first?.month ?? 1) - 1
  }

  mutating func read(_ row: borrowing Statement, keepHours: (LineClass) -> Bool)
    throws(SQLiteError)
  {
    guard let monthIndex = monthIndex(row.textBytes(at: 0)) else { return }
    let detailIndex = try self.detail(Int(row.int64(at: 3)))
    keyLength = 0
    appendInteger(details[detailIndex].texts)
    for column in LineHistoryReader.idColumns { appendInteger(row.int64(at: column)) }

    let classID: Int
    let length = keyLength
    if let found = key.withUnsafeBytes({ classIDs.value(for: .init(rebasing: $0[..<length])) }) {
      classID = Int(found)
    } else {
      classID = try newClass(row, details[detailIndex], keepHours: keepHours)
      let newKey = key
      _ = newKey.withUnsafeBytes {
        classIDs.insert(Int64(classID), for: .init(rebasing: $0[..<length]))
      }
    }

    let start = row.int64(at: 1)
    let end = max(row.int64(at: 2), start)
    if start < firstStart[classID] { firstStart[classID] = start }
    if end > lastEnd[classID] { lastEnd[classID] = end }
    let onDemand = row.int64(at: 9)
    let quantity = row.double(at: 10)
    let commitmentRate = details[detailIndex].commitmentRate
    let onDemandRate = commitmentRate < 0 ? -1 : details[detailIndex].listUnitPrice
    try totals[classID * history.months.count + monthIndex].add(
      effective: row.int64(at: 8), onDemand: onDemand, quantity: quantity,
      commitmentRate: commitmentRate, onDemandRate: onDemandRate)
    let offset = hourOffsets[classID]
    if offset >= 0 { spread(offset, start: start, end: end, cost: onDemand, quantity: quantity) }
    let commitment = row.int64(at: 7)
    if commitment != 0 { noteCommitment(commitment, details[detailIndex]) }
  }

  /// What line detail `id` says, read the first time it is asked for; its class texts (the
  /// texts and normalisation factor that, with the line's service, region, SKU and
  /// commitment, make up its class) are numbered by their bytes, so details that differ only
  /// in other columns share a class.
  /// Returns the detail's index in ``details``.
  private mutating func detail(_ id: Int) throws(SQLiteError) -> Int {
    if id < detailIndexes.count, detailIndexes[id] >= 0 { return detailIndexes[id] }
    detailQuery.bind(Int64(id), at: 1)
    defer { detailQuery.reset() }
    guard try detailQuery.step() else {
      throw SQLiteError(code: 1, message: "a line's detail \(id) is missing", sql: nil)
    }
    keyLength = 0
    for column in 0..<11 { appendSegment(detailQuery.textBytes(at: Int32(column))) }
    appendInteger(Int64(bitPattern: detailQuery.double(at: 11).bitPattern))
    let length = keyLength
    let texts =
      key.withUnsafeBytes { detailTexts.value(for: .init(rebasing: $0[..<length])) }
      ?? Int64(detailTexts.count)
    if texts == Int64(detailTexts.count) {
      _ = key.withUnsafeBytes { detailTexts.insert(texts, for: .init(rebasing: $0[..<length])) }
    }
    let found = LineDetail(
      texts: texts, provider: detailQuery.text(at: 0), currency: detailQuery.text(at: 1),
      chargeCategory: detailQuery.text(at: 2), pricingCategory: detailQuery.text(at: 3),
      lineItemType: detailQuery.text(at: 4), usageType: detailQuery.text(at: 5),
      operation: detailQuery.text(at: 6),
      instanceType: detailQuery.text(at: 7), platform: detailQuery.text(at: 8),
      tenancy: detailQuery.text(at: 9),
      commitmentStatus: detailQuery.text(at: 10), normalizationFactor: detailQuery.double(at: 11),
      commitmentRate: detailQuery.int64(at: 12), listUnitPrice: detailQuery.int64(at: 13),
      commitmentCategory: detailQuery.optionalText(at: 14),
      commitmentEnd: detailQuery.optionalInt64(at: 15),
      term: detailQuery.optionalText(at: 16), payment: detailQuery.optionalText(at: 17),
      offering: detailQuery.optionalText(at: 18))
    if id >= detailIndexes.count {
      detailIndexes.append(contentsOf: repeatElement(-1, count: id + 1 - detailIndexes.count))
    }
    detailIndexes[id] = details.count
    details.append(found)
    return details.count - 1
  }

  /// The index in ``LineHistory/months`` of a `YYYY-MM` billing period, read from its digits.
  private func monthIndex(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard bytes.count == 7 else { return nil }
    var year = 0
    for index in 0..<4 { year = year * 10 + Int(bytes[index] &- 48) }
    let month = Int(bytes[5] &- 48) * 10 + Int(bytes[6] &- 48)
    let index = year * 12 + month - 1 - firstMonth
    return (0..<history.months.count).contains(index) ? index : nil
  }

  /// Adds a line's cost and quantity to the hours it overlaps, in proportion to the overlap;
  /// the cost parts telescope, so they add up to the part of the cost inside the history.
  private mutating func spread(
    _ offset: Int, start: Int64, end: Int64, cost: Int64, quantity: Double
  ) {
    let origin = history.start.secondsSinceEpoch
    let limit = origin + Int64(history.hours) * 3600
    let lastInstant = max(end - 1, start)
    if (start - origin) / 3600 == (lastInstant - origin) / 3600 {
      // The common case: the line lies within one hour (or has no duration).
      guard start >= origin, start < limit else { return }
      let hour = offset + Int((start - origin) / 3600)
      hourlyCost[hour] += cost
      hourlyQuantity[hour] += quantity
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
      hourlyCost[offset + hour] += upTo - before
      hourlyQuantity[offset + hour] += quantity * Double(next - cursor) / Double(duration)
      before = upTo
      cursor = next
    }
  }

  /// Keeps the latest end date and the first term, payment, offering and category a
  /// commitment's lines give.
  private mutating func noteCommitment(_ id: Int64, _ detail: LineDetail) {
    let index: Int
    if let known = commitmentIndexes[id] {
      index = known
    } else {
      index = commitments.count
      commitmentIndexes[id] = index
      commitments.append(CommitmentRecord(storeID: id, id: "", type: ""))
    }
    if let end = detail.commitmentEnd,
      end > (commitments[index].end?.secondsSinceEpoch ?? .min)
    {
      commitments[index].end = Timestamp(secondsSinceEpoch: end)
    }
    if commitments[index].category.isEmpty, let category = detail.commitmentCategory {
      commitments[index].category = category
    }
    if commitments[index].term.isEmpty, let term = detail.term {
      commitments[index].term = term
    }
    if commitments[index].payment.isEmpty, let payment = detail.payment {
      commitments[index].payment = payment
    }
    if commitments[index].offering.isEmpty, let offering = detail.offering {
      commitments[index].offering = offering
    }
  }

  private mutating func newClass(
    _ row: borrowing Statement, _ detail: LineDetail, keepHours: (LineClass) -> Bool
  ) throws(SQLiteError) -> Int {
    let line = LineClass(
      provider: detail.provider, currency: detail.currency,
      chargeCategory: detail.chargeCategory, pricingCategory: detail.pricingCategory,
      lineItemType: detail.lineItemType,
      serviceName: try store.dimensionName("services", "name", row.int64(at: 4)),
      serviceCategory: try store.dimensionName("services", "category", row.int64(at: 4)),
      region: try store.dimensionName("regions", "name", row.int64(at: 5)),
      sku: try store.dimensionName("skus", "sku", row.int64(at: 6)),
      usageType: detail.usageType, operation: detail.operation,
      instanceType: detail.instanceType, platform: detail.platform, tenancy: detail.tenancy,
      normalizationFactor: detail.normalizationFactor > 0 ? detail.normalizationFactor : nil,
      commitment: row.int64(at: 7) != 0 ? row.int64(at: 7) : nil,
      commitmentStatus: detail.commitmentStatus)
    history.classes.append(line)
    totals.append(contentsOf: repeatElement(LineClassTotals(), count: history.months.count))
    if keepHours(line) {
      hourOffsets.append(hourlyCost.count)
      hourlyCost.append(contentsOf: repeatElement(0, count: history.hours))
      hourlyQuantity.append(contentsOf: repeatElement(0, count: history.hours))
    } else {
      hourOffsets.append(-1)
    }
    firstStart.append(.max)
    lastEnd.append(.min)
    return history.classes.count - 1
  }

  /// Fills in the commitments' provider ids and types and hands the history over.
  mutating func finish() throws(SQLiteError) -> LineHistory {
    let statement = try store.connection.prepare(
      "SELECT commitment_id, type FROM commitment_discounts WHERE id = ?")
    for var record in commitments {
      statement.bind(record.storeID, at: 1)
      if try statement.step() {
        record.id = statement.text(at: 0)
        record.type = statement.text(at: 1)
      }
      statement.reset()
      history.commitments[record.storeID] = record
    }
    let months = history.months.count
    let hours = history.hours
    history.totals = (0..<history.classes.count).map {
      Array(totals[($0 * months)..<(($0 + 1) * months)])
    }
    history.hourlyCost = hourOffsets.map { $0 < 0 ? nil : Array(hourlyCost[$0..<($0 + hours)]) }
    history.hourlyQuantity = hourOffsets.map {
      $0 < 0 ? nil : Array(hourlyQuantity[$0..<($0 + hours)])
    }
    history.firstStart = firstStart.map { Timestamp(secondsSinceEpoch: $0) }
    history.lastEnd = lastEnd.map { Timestamp(secondsSinceEpoch: $0) }
    return history
  }

  /// Appends a length-prefixed text to the key.
  private mutating func appendSegment(_ bytes: UnsafeRawBufferPointer) {
    let start = keyLength
    reserveKey(4 + bytes.count)
    key.withUnsafeMutableBytes { buffer in
      buffer.storeBytes(
        of: UInt32(truncatingIfNeeded: bytes.count), toByteOffset: start, as: UInt32.self)
      if let source = bytes.baseAddress, let target = buffer.baseAddress, !bytes.isEmpty {
        (target + start + 4).copyMemory(from: source, byteCount: bytes.count)
      }
    }
    keyLength = start + 4 + bytes.count
  }

  /// Appends an integer (nil as `Int64.min`) to the key.
  private mutating func appendInteger(_ value: Int64?) {
    let start = keyLength
    reserveKey(8)
    key.withUnsafeMutableBytes {
      $0.storeBytes(of: value ?? Int64.min, toByteOffset: start, as: Int64.self)
    }
    keyLength = start + 8
  }

  private mutating func reserveKey(_ count: Int) {
    if keyLength + count > key.count {
      key.append(contentsOf: repeatElement(0, count: max(key.count, keyLength + count)))
    }
  }
}

extension LineClassTotals {
  /// Adds one line; money sums are checked.
  fileprivate mutating func add(
    effective: Int64, onDemand: Int64, quantity: Double, commitmentRate: Int64,
    onDemandRate: Int64
  ) throws(SQLiteError) {
    let (newEffective, o1) = self.effective.nanos.addingReportingOverflow(effective)
    let (newOnDemand, o2) = self.onDemand.nanos.addingReportingOverflow(onDemand)
    guard !(o1 || o2) else {
      throw SQLiteError(code: 1, message: "cost totals overflow: \(MoneyError.overflow)", sql: nil)
    }
    self.effective = Money(nanos: newEffective)
    self.onDemand = Money(nanos: newOnDemand)
    lines += 1
    // Rates are −1 when the line has none.
    if commitmentRate >= 0, onDemandRate > 0 {
      atCommitmentRate += quantity * Double(commitmentRate) / 1e9
      atOnDemandRate += quantity * Double(onDemandRate) / 1e9
    }
  }
}

extension Store {
  /// A column of a dimension row, "" for no id (0) or NULL.
  fileprivate func dimensionName(_ table: String, _ column: String, _ id: Int64)
    throws(SQLiteError) -> String
  {
    guard id != 0 else { return "" }
    let statement = try connection.prepare("SELECT \(column) FROM \(table) WHERE id = ?")
    statement.bind(id, at: 1)
    guard try statement.step() else { return "" }
    return statement.text(at: 0)
  }
}

/// What a line detail says that ``LineHistoryReader`` needs: its class texts (numbered), the
/// rates (−1 for none) and the commitment's attributes.
private struct LineDetail {
  var texts: Int64
  var provider: String
  var currency: String
  var chargeCategory: String
  var pricingCategory: String
  var lineItemType: String
  var usageType: String
  var operation: String
  var instanceType: String
  var platform: String
  var tenancy: String
  var commitmentStatus: String
  var normalizationFactor: Double
  var commitmentRate: Int64
  var listUnitPrice: Int64
  var commitmentCategory: String?
  var commitmentEnd: Int64?
  var term: String?
  var payment: String?
  var offering: String?
}
