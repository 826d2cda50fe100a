/// Oracle Cloud Infrastructure cost reports (`reports/cost-csv/*.csv`): slash-named columns
/// (`lineItem/intervalUsageStart`, `cost/myCost`) and one `tags/<namespace>.<key>` column per
/// tag key.
///
/// OCI reports one cost per line, `cost/myCost` (after the customer's discounts); it stands in
/// for billed, effective, list and contracted cost alike. `lineItem/isCorrection` marks a
/// correcting line (charge class Correction). The tenancy is the billing account and the
/// compartment the sub-account.
struct OCICostReportMapper: CostLineMapper {
  let format = "oci-cost-report"
  let formatVersion = "csv"
  let readsNULLAsNull = false
  let keptColumns: [Bool]
  private let c: Columns
  private let tagColumns: [(key: String, column: Int)]
  private var tagSets = TagSetCache()
  private var tagKey: [UInt8] = []
  private let stable = StableBytes()
  private let provider: UnsafeRawBufferPointer

  private struct Columns {
    var tenant: Int
    var start: Int
    var end: Int
    var service: Int?
    var compartmentID: Int?
    var compartmentName: Int?
    var region: Int?
    var resourceID: Int?
    var quantity: Int?
    var unit: Int?
    var sku: Int?
    var cost: Int
    var currency: Int
    var isCorrection: Int?
  }

  static func recognises(_ header: Header) -> Bool {
    header.has("lineItem/intervalUsageStart", "cost/myCost", "cost/currencyCode")
  }

  init(header: Header, path: String) throws(InputError) {
    func required(_ name: String) throws(InputError) -> Int {
      guard let index = header.index(name) else {
        throw InputError(
          "missing required OCI cost report column \(name)",
          at: SourceLocation(file: path, line: 1))
      }
      return index
    }
    c = Columns(
      tenant: try required("lineItem/tenantId"),
      start: try required("lineItem/intervalUsageStart"),
      end: try required("lineItem/intervalUsageEnd"),
      service: header.index("product/service"),
      compartmentID: header.index("product/compartmentId"),
      compartmentName: header.index("product/compartmentName"),
      region: header.index("product/region"),
      resourceID: header.index("product/resourceId"),
      quantity: header.index("usage/billedQuantity"),
      unit: header.index("cost/skuUnitDescription"),
      sku: header.index("cost/productSku"),
      cost: try required("cost/myCost"),
      currency: try required("cost/currencyCode"),
      isCorrection: header.index("lineItem/isCorrection"))
    var tagColumns: [(key: String, column: Int)] = []
    for (index, name) in header.names.enumerated() where name.hasPrefix("tags/") {
      tagColumns.append((String(name.dropFirst("tags/".count)), index))
    }
    self.tagColumns = tagColumns
    let columns: [Int?] = [
      c.tenant, c.start, c.end, c.service, c.compartmentID, c.compartmentName, c.region,
      c.resourceID, c.quantity, c.unit, c.sku, c.cost, c.currency, c.isCorrection,
    ]
    keptColumns = keptMask(width: header.names.count, columns: columns + tagColumns.map(\.column))
    provider = stable.store("Oracle")
  }

  func sourceName(_ fields: RecordFields) -> String {
    "oci:\(String(decoding: fields.text(c.tenant), as: UTF8.self))"
  }

  mutating func map(_ f: RecordFields, into line: inout CostLine, writer: CostLineWriter)
    throws(InputError)
  {
    line.provider = provider
    line.billingAccountID = f.text(c.tenant)
    guard !line.billingAccountID.isEmpty else {
      throw InputError("expected a tenancy id, found an empty field", at: f.location(c.tenant))
    }
    line.subAccountID = f.text(c.compartmentID)
    line.subAccountName = f.text(c.compartmentName)
    line.chargePeriodStart = try f.timestamp(c.start)
    line.chargePeriodEnd = try f.timestamp(c.end)
    line.billingPeriodStart = line.chargePeriodStart.month.start
    line.chargeCategory = .usage
    if equalsIgnoringASCIICase(f.text(c.isCorrection), "true") {
      line.chargeClass = stable.store("Correction")
    }
    line.serviceName = f.text(c.service)
    line.regionID = f.text(c.region)
    line.resourceID = f.text(c.resourceID)
    line.skuID = f.text(c.sku)
    line.consumedQuantity = try f.quantity(c.quantity)
    line.consumedUnit = f.text(c.unit)
    line.billingCurrency = f.text(c.currency)
    guard !line.billingCurrency.isEmpty else {
      throw InputError("expected a currency code, found an empty field", at: f.location(c.currency))
    }
    let cost = try f.requiredMoney(c.cost)
    line.billedCost = cost
    line.effectiveCost = cost
    line.listCost = cost
    line.contractedCost = cost

    tagKey.removeAll(keepingCapacity: true)
    for (_, column) in tagColumns {
      let value = f.text(column)
      var length = UInt32(value.count)
      withUnsafeBytes(of: &length) { tagKey.append(contentsOf: $0) }
      tagKey.append(contentsOf: value)
    }
    if let id = tagKey.withUnsafeBytes({ tagSets.cachedID(for: $0) }) {
      line.tagSetID = id
      return
    }
    let pairs = tagColumns.compactMap { pair -> (key: String, value: String)? in
      let value = f.string(pair.column)
      return value.isEmpty ? nil : (pair.key, value)
    }
    line.tagSetID = try tagSets.store(pairs, writer: writer, at: f.location(nil))
    tagKey.withUnsafeBytes { tagSets.remember(line.tagSetID, for: $0) }
  }
}
