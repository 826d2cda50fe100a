/// Google Cloud billing export (standard or detailed), as copied out of BigQuery to CSV (dotted
/// column names such as `service.description`, nested fields serialised) or to newline-delimited
/// JSON (read through ``GCPBillingJSONLines``, which presents each object in the same columns).
///
/// `cost` is before credits. Each credit of a row becomes a cost line of its own (charge
/// category Credit, its `type` as the line item type, billed and effective cost = its amount,
/// list and contracted cost 0), so that net = Σ cost + Σ credits, per currency, without a
/// second amount column. The row's own line carries `cost` as billed, effective and contracted
/// cost and `cost_at_list` (when the export has it, else `cost`) as list cost.
///
/// Nested fields (`credits`, `labels`, `project.labels`, `system_labels`) may be JSON or the
/// Python `repr` seen in real CSV copies (`[{'key': 'k', 'value': 'v'}]`, `None`); both parse.
/// The tag set of a line is its resource labels as written, its project labels under
/// `project:<key>`, and its system labels as written (they are namespaced, e.g.
/// `compute.googleapis.com/machine_spec`).
struct GCPBillingMapper: CostLineMapper {
  let format = "gcp-billing"
  let formatVersion: String
  let readsNULLAsNull = false
  let keptColumns: [Bool]
  private let c: Columns
  private var tagSets = TagSetCache()
  private var tagKey: [UInt8] = []
  private var creditsCache = ByteKeyedTable()
  private var parsedCredits: [[Credit]] = []
  private let stable = StableBytes()
  private let provider: UnsafeRawBufferPointer

  private struct Credit {
    var amount: Money
    var type: UnsafeRawBufferPointer
    var id: UnsafeRawBufferPointer
    var isCommittedUseDiscount: Bool
  }

  private struct Columns {
    var billingAccount: Int
    var serviceDescription: Int?
    var skuID: Int?
    var usageStart: Int
    var usageEnd: Int
    var projectID: Int?
    var projectName: Int?
    var projectLabels: Int?
    var labels: Int?
    var systemLabels: Int?
    var region: Int?
    var location: Int?
    var cost: Int
    var costAtList: Int?
    var currency: Int
    var usageAmount: Int?
    var usageUnit: Int?
    var credits: Int?
    var invoiceMonth: Int?
    var costType: Int?
    var globalName: Int?

    var all: [Int?] {
      [
        billingAccount, serviceDescription, skuID, usageStart, usageEnd, projectID, projectName,
        projectLabels, labels, systemLabels, region, location, cost, costAtList, currency,
        usageAmount, usageUnit, credits, invoiceMonth, costType, globalName,
      ]
    }
  }

  /// The columns a GCP billing export copy has and no other format does.
  static func recognises(_ header: Header) -> Bool {
    header.has("billing_account_id", "cost", "usage_start_time", "currency")
  }

  /// The columns ``GCPBillingJSONLines`` presents, in BigQuery's dotted CSV spelling.
  static let columnNames = [
    "billing_account_id", "service.id", "service.description", "sku.id", "sku.description",
    "usage_start_time", "usage_end_time", "project.id", "project.name", "project.labels",
    "labels", "system_labels", "location.location", "location.region", "location.zone", "cost",
    "cost_at_list", "currency", "usage.amount", "usage.unit", "credits", "invoice.month",
    "cost_type", "resource.name", "resource.global_name",
  ]

  init(header: Header, path: String, version: String) throws(InputError) {
    func required(_ name: String) throws(InputError) -> Int {
      guard let index = header.index(name) else {
        throw InputError(
          "missing required GCP billing export column \(name)",
          at: SourceLocation(file: path, line: 1))
      }
      return index
    }
    c = Columns(
      billingAccount: try required("billing_account_id"),
      serviceDescription: header.index("service.description"),
      skuID: header.index("sku.id"),
      usageStart: try required("usage_start_time"),
      usageEnd: try required("usage_end_time"),
      projectID: header.index("project.id"),
      projectName: header.index("project.name"),
      projectLabels: header.index("project.labels"),
      labels: header.index("labels"),
      systemLabels: header.index("system_labels"),
      region: header.index("location.region"),
      location: header.index("location.location"),
      cost: try required("cost"),
      costAtList: header.index("cost_at_list"),
      currency: try required("currency"),
      usageAmount: header.index("usage.amount"),
      usageUnit: header.index("usage.unit"),
      credits: header.index("credits"),
      invoiceMonth: header.index("invoice.month"),
      costType: header.index("cost_type"),
      globalName: header.index("resource.global_name"))
    keptColumns = keptMask(width: header.names.count, columns: c.all)
    formatVersion = version
    provider = stable.store("Google Cloud")
  }

  func sourceName(_ fields: RecordFields) -> String {
    "gcp-billing:\(String(decoding: fields.text(c.billingAccount), as: UTF8.self))"
  }

  mutating func map(_ f: RecordFields, into line: inout CostLine, writer: CostLineWriter)
    throws(InputError)
  {
    line.provider = provider
    line.billingAccountID = f.text(c.billingAccount)
    guard !line.billingAccountID.isEmpty else {
      throw InputError(
        "expected a billing account id, found an empty field", at: f.location(c.billingAccount))
    }
    line.subAccountID = f.text(c.projectID)
    line.subAccountName = f.text(c.projectName)
    line.chargePeriodStart = try f.timestamp(c.usageStart)
    line.chargePeriodEnd = try f.timestamp(c.usageEnd)
    line.billingPeriodStart = try invoiceMonth(f) ?? line.chargePeriodStart.month.start
    line.chargeCategory = try category(f)
    line.lineItemType = f.text(c.costType)
    line.serviceName = f.text(c.serviceDescription)
    line.skuID = f.text(c.skuID)
    line.regionID = f.text(c.region)
    if line.regionID.isEmpty { line.regionID = f.text(c.location) }
    line.resourceID = f.text(c.globalName)
    line.consumedQuantity = try f.quantity(c.usageAmount)
    line.consumedUnit = f.text(c.usageUnit)
    line.billingCurrency = f.text(c.currency)
    guard !line.billingCurrency.isEmpty else {
      throw InputError(
        "expected a currency code, found an empty field", at: f.location(c.currency))
    }
    let cost = try f.requiredMoney(c.cost)
    line.billedCost = cost
    line.effectiveCost = cost
    line.contractedCost = cost
    line.listCost = try f.optionalMoney(c.costAtList) ?? cost
    line.tagSetID = try tagSetID(f, writer: writer)
  }

  /// One credit line per element of the record's `credits`.
  mutating func forEachExtraLine(
    _ f: RecordFields, after line: CostLine, _ body: (inout CostLine) throws -> Void
  ) throws {
    guard let column = c.credits else { return }
    let text = f.text(column)
    if text.isEmpty || (text.count == 2 && text[0] == UInt8(ascii: "[")) { return }
    let index = try credits(f, column: column)
    for credit in parsedCredits[index] {
      var creditLine = line
      creditLine.chargeCategory = .credit
      creditLine.lineItemType = credit.type
      creditLine.billedCost = credit.amount
      creditLine.effectiveCost = credit.amount
      creditLine.listCost = .zero
      creditLine.contractedCost = .zero
      creditLine.consumedQuantity = nil
      creditLine.consumedUnit = UnsafeRawBufferPointer(start: nil, count: 0)
      if credit.isCommittedUseDiscount && !credit.id.isEmpty {
        creditLine.commitmentDiscountID = credit.id
        creditLine.commitmentDiscountType = stable.store("Committed Use Discount")
      }
      try body(&creditLine)
    }
  }

  /// The parsed credits of the record, cached by the field's bytes.
  private mutating func credits(_ f: RecordFields, column: Int) throws(InputError) -> Int {
    let text = f.text(column)
    if let index = creditsCache.value(for: text) { return Int(index) }
    let value = try parseNested(f, column: column, what: "the credits")
    guard let elements = value.array else {
      throw InputError(
        "expected a list of credits such as [{\"name\": …, \"amount\": -1.0}]",
        at: f.location(column))
    }
    var credits: [Credit] = []
    for element in elements {
      guard let amountText = element["amount"]?.text else {
        throw InputError("a credit without an amount", at: f.location(column))
      }
      let amount: Money
      do {
        amount = try Money(parsing: amountText)
      } catch {
        throw InputError("a credit's amount: \(error.description)", at: f.location(column))
      }
      let type = element["type"]?.text ?? ""
      credits.append(
        Credit(
          amount: amount, type: stable.store(type.isEmpty ? "CREDIT" : type),
          id: stable.store(element["id"]?.text ?? element["name"]?.text ?? ""),
          isCommittedUseDiscount: type.hasPrefix("COMMITTED_USAGE_DISCOUNT")))
    }
    creditsCache.insert(Int64(parsedCredits.count), for: text)
    parsedCredits.append(credits)
    return parsedCredits.count - 1
  }

  private func parseNested(_ f: RecordFields, column: Int, what: String) throws(InputError)
    -> JSONValue
  {
    do throws(JSONSyntaxError) {
      return try JSONReader.parse(f.text(column), pythonLiterals: true)
    } catch {
      var location = f.location(column)
      location.columnName = location.columnName.map { "\($0), character \(error.offset + 1)" }
      throw InputError("bad JSON in \(what): \(error.message)", at: location)
    }
  }

  /// `invoice.month` (`YYYYMM`) as the first instant of the month.
  private func invoiceMonth(_ f: RecordFields) throws(InputError) -> Timestamp? {
    let text = f.text(c.invoiceMonth)
    if text.isEmpty { return nil }
    var value = 0
    for byte in text {
      guard byte >= 0x30 && byte <= 0x39 else { value = -1; break }
      value = value * 10 + Int(byte - 0x30)
    }
    guard text.count == 6, value >= 0, (1...12).contains(value % 100) else {
      throw InputError(
        "expected an invoice month such as 202011, found \"\(String(decoding: text.prefix(20), as: UTF8.self))\"",
        at: f.location(c.invoiceMonth))
    }
    return Timestamp(year: value / 100, month: value % 100, day: 1)
  }

  private func category(_ f: RecordFields) throws(InputError) -> ChargeCategory {
    let type = f.text(c.costType)
    if type.isEmpty || equalsIgnoringASCIICase(type, "regular") { return .usage }
    if equalsIgnoringASCIICase(type, "tax") { return .tax }
    if equalsIgnoringASCIICase(type, "adjustment")
      || equalsIgnoringASCIICase(type, "rounding_error")
      || equalsIgnoringASCIICase(type, "rounding error")
    {
      return .adjustment
    }
    throw InputError(
      "expected a cost type (regular, tax, adjustment or rounding_error), found \"\(String(decoding: type.prefix(40), as: UTF8.self))\"",
      at: f.location(c.costType))
  }

  /// The tag set of labels, project labels and system labels, stored once per distinct text.
  private mutating func tagSetID(_ f: RecordFields, writer: CostLineWriter) throws(InputError)
    -> Int64
  {
    tagKey.removeAll(keepingCapacity: true)
    for column in [c.labels, c.projectLabels, c.systemLabels] {
      let value = f.text(column)
      var length = UInt32(value.count)
      withUnsafeBytes(of: &length) { tagKey.append(contentsOf: $0) }
      tagKey.append(contentsOf: value)
    }
    if let id = tagKey.withUnsafeBytes({ tagSets.cachedID(for: $0) }) { return id }
    var pairs: [(key: String, value: String)] = []
    for (column, prefix, what) in [
      (c.labels, "", "the labels"), (c.projectLabels, "project:", "the project labels"),
      (c.systemLabels, "", "the system labels"),
    ] {
      guard let column, !f.text(column).isEmpty else { continue }
      let value = try parseNested(f, column: column, what: what)
      guard let labels = tagPairs(value) else {
        throw InputError(
          "expected labels such as [{\"key\": \"team\", \"value\": \"payments\"}]",
          at: f.location(column))
      }
      for label in labels where !pairs.contains(where: { $0.key == prefix + label.key }) {
        pairs.append((prefix + label.key, label.value))
      }
    }
    let id = try tagSets.store(pairs, writer: writer, at: f.location(c.labels))
    tagKey.withUnsafeBytes { tagSets.remember(id, for: $0) }
    return id
  }
}
