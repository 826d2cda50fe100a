/// FOCUS Cost and Usage exports, versions 0.5 to 1.3 (https://focus.finops.org): older column
/// names are accepted (`AmortizedCost`, `ChargeType`, `UsageQuantity`, `Region`), the literal
/// `NULL` means null, `Tags` is a JSON object, and columns tally does not use are ignored.
struct FocusMapper: CostLineMapper {
  let format = "focus"
  let readsNULLAsNull = true
  let formatVersion: String
  let keptColumns: [Bool]
  private let c: Columns
  private var tagSets = TagSetCache()

  private struct Columns {
    var provider: Int
    var billingAccountID: Int
    var billingAccountName: Int?
    var subAccountID: Int?
    var subAccountName: Int?
    var billingPeriodStart: Int
    var chargePeriodStart: Int
    var chargePeriodEnd: Int
    var chargeCategory: Int
    var chargeClass: Int?
    var serviceName: Int?
    var serviceCategory: Int?
    var regionID: Int?
    var resourceID: Int?
    var resourceType: Int?
    var skuID: Int?
    var pricingCategory: Int?
    var commitmentDiscountID: Int?
    var commitmentDiscountType: Int?
    var commitmentDiscountStatus: Int?
    var commitmentDiscountCategory: Int?
    var consumedQuantity: Int?
    var consumedUnit: Int?
    var billingCurrency: Int
    var billedCost: Int
    var effectiveCost: Int
    var listCost: Int?
    var contractedCost: Int?
    var listUnitPrice: Int?
    var tags: Int?
    var usageType: Int?
    var operation: Int?

    var all: [Int?] {
      [
        provider, billingAccountID, billingAccountName, subAccountID, subAccountName,
        billingPeriodStart, chargePeriodStart, chargePeriodEnd, chargeCategory, chargeClass,
        serviceName, serviceCategory, regionID, resourceID, resourceType, skuID, pricingCategory,
        commitmentDiscountID, commitmentDiscountType, commitmentDiscountStatus,
        commitmentDiscountCategory, consumedQuantity,
        consumedUnit, billingCurrency, billedCost, effectiveCost, listCost, contractedCost,
        listUnitPrice, tags, usageType, operation,
      ]
    }
  }

  /// True when the header looks like FOCUS Cost and Usage.
  static func recognises(_ header: Header) -> Bool {
    header.has("BilledCost", "ChargePeriodStart", "BillingCurrency")
  }

  init(header: Header, path: String) throws(InputError) {
    func required(_ names: String...) throws(InputError) -> Int {
      for name in names {
        if let index = header.index(name) { return index }
      }
      throw InputError(
        "missing required FOCUS column \(names.joined(separator: " or "))",
        at: SourceLocation(file: path, line: 1))
    }
    c = Columns(
      provider: try required("ServiceProviderName", "ProviderName", "Provider"),
      billingAccountID: try required("BillingAccountId"),
      billingAccountName: header.index("BillingAccountName"),
      subAccountID: header.index("SubAccountId"),
      subAccountName: header.index("SubAccountName"),
      billingPeriodStart: try required("BillingPeriodStart"),
      chargePeriodStart: try required("ChargePeriodStart"),
      chargePeriodEnd: try required("ChargePeriodEnd"),
      chargeCategory: try required("ChargeCategory", "ChargeType"),
      chargeClass: header.index("ChargeClass"),
      serviceName: header.index("ServiceName"),
      serviceCategory: header.index("ServiceCategory"),
      regionID: header.index("RegionId", "Region"),
      resourceID: header.index("ResourceId"),
      resourceType: header.index("ResourceType"),
      skuID: header.index("SkuId"),
      pricingCategory: header.index("PricingCategory"),
      commitmentDiscountID: header.index("CommitmentDiscountId"),
      commitmentDiscountType: header.index("CommitmentDiscountType"),
      commitmentDiscountStatus: header.index("CommitmentDiscountStatus"),
      commitmentDiscountCategory: header.index("CommitmentDiscountCategory"),
      consumedQuantity: header.index("ConsumedQuantity", "UsageQuantity"),
      consumedUnit: header.index("ConsumedUnit", "UsageUnit"),
      billingCurrency: try required("BillingCurrency"),
      billedCost: try required("BilledCost"),
      effectiveCost: try required("EffectiveCost", "AmortizedCost"),
      listCost: header.index("ListCost"),
      contractedCost: header.index("ContractedCost"),
      listUnitPrice: header.index("ListUnitPrice"),
      tags: header.index("Tags"),
      usageType: header.index("x_UsageType"),
      operation: header.index("x_Operation"))
    keptColumns = keptMask(width: header.names.count, columns: c.all)
    formatVersion = FocusMapper.version(of: header)
  }

  /// The FOCUS version a header implies (formats.md §1.8).
  static func version(of header: Header) -> String {
    if header.has("ServiceProviderName") || header.has("HostProviderName") { return "1.3" }
    if header.has("InvoiceId") || header.has("BillingAccountType") { return "1.2" }
    if header.has("SkuMeter") || header.has("ServiceSubcategory") { return "1.1" }
    if header.has("ChargeClass") { return "1.0" }
    if header.has("AmortizedCost") { return "0.5" }
    return "1.0-preview"
  }

  func sourceName(_ fields: RecordFields) -> String {
    let provider = String(decoding: fields.text(c.provider), as: UTF8.self)
    let account = String(decoding: fields.text(c.billingAccountID), as: UTF8.self)
    return "focus:\(provider):\(account)"
  }

  mutating func map(_ f: RecordFields, into line: inout CostLine, writer: CostLineWriter)
    throws(InputError)
  {
    line.provider = f.text(c.provider)
    line.billingAccountID = f.text(c.billingAccountID)
    guard !line.billingAccountID.isEmpty else {
      throw InputError(
        "expected a billing account id, found an empty field", at: f.location(c.billingAccountID))
    }
    line.billingAccountName = f.text(c.billingAccountName)
    line.subAccountID = f.text(c.subAccountID)
    line.subAccountName = f.text(c.subAccountName)
    line.billingPeriodStart = try f.timestamp(c.billingPeriodStart)
    line.chargePeriodStart = try f.timestamp(c.chargePeriodStart)
    line.chargePeriodEnd = try f.timestamp(c.chargePeriodEnd)
    guard let category = ChargeCategory(bytes: f.text(c.chargeCategory)) else {
      let found = String(decoding: f.text(c.chargeCategory).prefix(40), as: UTF8.self)
      throw InputError(
        "expected a charge category (Usage, Purchase, Tax, Credit or Adjustment), found \"\(found)\"",
        at: f.location(c.chargeCategory))
    }
    line.chargeCategory = category
    line.chargeClass = f.text(c.chargeClass)
    line.serviceName = f.text(c.serviceName)
    line.serviceCategory = f.text(c.serviceCategory)
    line.regionID = f.text(c.regionID)
    line.resourceID = f.text(c.resourceID)
    line.resourceType = f.text(c.resourceType)
    line.skuID = f.text(c.skuID)
    line.pricingCategory = f.text(c.pricingCategory)
    line.commitmentDiscountID = f.text(c.commitmentDiscountID)
    line.commitmentDiscountType = f.text(c.commitmentDiscountType)
    line.commitmentDiscountStatus = f.text(c.commitmentDiscountStatus)
    line.commitmentDiscountCategory = f.text(c.commitmentDiscountCategory)
    line.consumedQuantity = try f.quantity(c.consumedQuantity)
    line.consumedUnit = f.text(c.consumedUnit)
    line.billingCurrency = f.text(c.billingCurrency)
    guard !line.billingCurrency.isEmpty else {
      throw InputError(
        "expected a currency code, found an empty field", at: f.location(c.billingCurrency))
    }
    line.billedCost = try f.requiredMoney(c.billedCost)
    line.effectiveCost = try f.requiredMoney(c.effectiveCost)
    // FOCUS before 1.0 has no ListCost/ContractedCost: the billed cost stands in for them.
    line.listCost = c.listCost == nil ? line.billedCost : try f.money(c.listCost)
    line.contractedCost = c.contractedCost == nil ? line.billedCost : try f.money(c.contractedCost)
    line.listUnitPrice = try f.optionalMoney(c.listUnitPrice)
    line.usageType = f.text(c.usageType)
    line.operation = f.text(c.operation)

    let tagBytes = f.text(c.tags)
    if let id = tagSets.cachedID(for: tagBytes) {
      line.tagSetID = id
      return
    }
    let pairs: [(key: String, value: String)]
    do throws(FlatJSONObject.ParseError) {
      pairs = try FlatJSONObject.parse(tagBytes)
    } catch {
      var location = f.location(c.tags)
      location.columnName = location.columnName.map { "\($0), character \(error.offset + 1)" }
      throw InputError("bad JSON in the tags: \(error.message)", at: location)
    }
    line.tagSetID = try tagSets.store(pairs, writer: writer, at: f.location(c.tags))
    tagSets.remember(line.tagSetID, for: tagBytes)
  }
}
