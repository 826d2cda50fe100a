/// AWS Cost and Usage Reports, legacy and 2.0.
///
/// Legacy CUR: `category/Name` headers or the Athena snake_case variant
/// (`line_item_unblended_cost`), with columns that drift from month to month and one
/// `resourceTags/user:…` or `aws:…` column per activated tag.
///
/// CUR 2.0 (AWS Data Exports, table `COST_AND_USAGE_REPORT`): a fixed set of snake_case columns
/// whose names normalise to the legacy ones, plus map columns written as JSON text in CSV:
/// `resource_tags` (the tags, keys such as `user_team`, kept as written), `product` (attributes
/// such as `product_name`, `operating_system`, `tenancy`), `cost_category` and `discount`. Each
/// distinct map text is parsed once and cached by its bytes. The payer and usage account names
/// (`bill_payer_account_name`, `line_item_usage_account_name`) name the accounts.
///
/// Billed cost is `lineItem/UnblendedCost`. Effective (amortised) cost follows the formula of
/// AWS's own dashboards (DESIGN.md, formats.md §2.5):
///
/// | LineItemType | effective cost |
/// | --- | --- |
/// | SavingsPlanCoveredUsage | savingsPlan/SavingsPlanEffectiveCost |
/// | SavingsPlanRecurringFee | savingsPlan/TotalCommitmentToDate − savingsPlan/UsedCommitment |
/// | SavingsPlanNegation, SavingsPlanUpfrontFee | 0 |
/// | DiscountedUsage | reservation/EffectiveCost |
/// | RIFee | reservation/UnusedAmortizedUpfrontFeeForBillingPeriod + reservation/UnusedRecurringFee |
/// | Fee with a reservation ARN (RI upfront) | 0 |
/// | anything else | lineItem/UnblendedCost |
///
/// List cost is `pricing/publicOnDemandCost` where the report has it (0 for negation lines,
/// which would count the covered usage twice), else the billed cost. Legacy CUR shows no
/// negotiated price, so contracted cost equals list cost.
struct AWSCURMapper: CostLineMapper {
  /// Which generation of the report a header is.
  enum Schema {
    case legacy, cur2
  }

  let format = "aws-cur"
  let readsNULLAsNull = false
  let formatVersion: String
  let keptColumns: [Bool]
  private let schema: Schema
  private let c: Columns
  /// The tag columns: raw key (`user:team`) and position.
  private let tagColumns: [(key: String, column: Int)]
  private var tagSets = TagSetCache()
  private var tagKey: [UInt8] = []
  private var billingPeriodStart = LastTimestamp()
  private var usageStart = LastTimestamp()
  private var usageEnd = LastTimestamp()
  /// CUR 2.0: the attributes read from each distinct `product` map, by its bytes.
  private var products = ByteKeyedTable()
  private var productAttributes: [ProductAttributes] = []
  private let stable = StableBytes()

  /// What tally reads from a CUR 2.0 `product` map, kept at stable addresses.
  private struct ProductAttributes {
    var name = UnsafeRawBufferPointer(start: nil, count: 0)
    var operatingSystem = UnsafeRawBufferPointer(start: nil, count: 0)
    var tenancy = UnsafeRawBufferPointer(start: nil, count: 0)
  }

  private struct Columns {
    var payerAccount: Int
    var usageAccount: Int?
    var billingPeriodStart: Int
    var usageStart: Int
    var usageEnd: Int
    var lineItemType: Int
    var productCode: Int?
    var productName: Int?
    var usageType: Int?
    var operation: Int?
    var resourceID: Int?
    var usageAmount: Int?
    var normalizationFactor: Int?
    var normalizedUsageAmount: Int?
    var currency: Int?
    var unblendedCost: Int
    var regionCode: Int?
    var regionName: Int?
    var sku: Int?
    var instanceType: Int?
    var operatingSystem: Int?
    var tenancy: Int?
    var productFamily: Int?
    var pricingTerm: Int?
    var pricingUnit: Int?
    var publicOnDemandCost: Int?
    var publicOnDemandRate: Int?
    var reservationARN: Int?
    var reservationEffectiveCost: Int?
    var unusedAmortizedUpfront: Int?
    var unusedRecurringFee: Int?
    var savingsPlanARN: Int?
    var savingsPlanEffectiveCost: Int?
    var savingsPlanRate: Int?
    var totalCommitmentToDate: Int?
    var usedCommitment: Int?
    var payerAccountName: Int?
    var usageAccountName: Int?
    var productMap: Int?
    var resourceTagsMap: Int?
    var reservationEnd: Int?
    var leaseContractLength: Int?
    var purchaseOption: Int?
    var offeringClass: Int?
    var savingsPlanEnd: Int?
    var savingsPlanTerm: Int?
    var savingsPlanPayment: Int?
    var savingsPlanOffering: Int?

    var all: [Int?] {
      [
        payerAccount, usageAccount, billingPeriodStart, usageStart, usageEnd, lineItemType,
        productCode, productName, usageType, operation, resourceID, usageAmount,
        normalizationFactor, normalizedUsageAmount, currency, unblendedCost, regionCode, regionName,
        sku,
        instanceType, operatingSystem, tenancy, productFamily, pricingTerm, pricingUnit,
        publicOnDemandCost, publicOnDemandRate, reservationARN, reservationEffectiveCost,
        unusedAmortizedUpfront, unusedRecurringFee, savingsPlanARN, savingsPlanEffectiveCost,
        savingsPlanRate, totalCommitmentToDate, usedCommitment, payerAccountName,
        usageAccountName, productMap, resourceTagsMap, reservationEnd, leaseContractLength,
        purchaseOption, offeringClass, savingsPlanEnd, savingsPlanTerm, savingsPlanPayment,
        savingsPlanOffering,
      ]
    }
  }

  /// True when the header is a legacy CUR's (slash or Athena names), not CUR 2.0's, whose map
  /// columns `resource_tags` and `product` hold JSON.
  static func recognises(_ header: Header) -> Bool {
    header.has("lineItem/UnblendedCost", "lineItem/LineItemType") && !recognisesCUR2(header)
  }

  /// True for a CUR 2.0 header: the snake_case cost columns with one of the columns only
  /// CUR 2.0 has (a map column, or the account name columns).
  static func recognisesCUR2(_ header: Header) -> Bool {
    header.names.contains("line_item_unblended_cost")
      && header.names.contains("line_item_line_item_type")
      && cur2OnlyColumns.contains(where: header.names.contains)
  }

  /// Columns of CUR 2.0 that no legacy CUR (nor its Athena form) has.
  static let cur2OnlyColumns = [
    "product", "resource_tags", "cost_category", "discount", "bill_payer_account_name",
    "line_item_usage_account_name",
  ]

  init(header: Header, path: String, schema: Schema = .legacy) throws(InputError) {
    func required(_ name: String) throws(InputError) -> Int {
      guard let index = header.index(name) else {
        let written = schema == .cur2 ? snakeCaseName(name) : name
        throw InputError(
          "missing required AWS CUR column \(written)", at: SourceLocation(file: path, line: 1))
      }
      return index
    }
    self.schema = schema
    c = Columns(
      payerAccount: try required("bill/PayerAccountId"),
      usageAccount: header.index("lineItem/UsageAccountId"),
      billingPeriodStart: try required("bill/BillingPeriodStartDate"),
      usageStart: try required("lineItem/UsageStartDate"),
      usageEnd: try required("lineItem/UsageEndDate"),
      lineItemType: try required("lineItem/LineItemType"),
      productCode: header.index("lineItem/ProductCode"),
      productName: header.index("product/ProductName"),
      usageType: header.index("lineItem/UsageType"),
      operation: header.index("lineItem/Operation"),
      resourceID: header.index("lineItem/ResourceId"),
      usageAmount: header.index("lineItem/UsageAmount"),
      normalizationFactor: header.index("lineItem/NormalizationFactor"),
      normalizedUsageAmount: header.index("lineItem/NormalizedUsageAmount"),
      currency: header.index("lineItem/CurrencyCode", "pricing/currency"),
      unblendedCost: try required("lineItem/UnblendedCost"),
      regionCode: header.index("product/regionCode"),
      regionName: header.index("product/region"),
      sku: header.index("product/sku"),
      instanceType: header.index("product/instanceType"),
      operatingSystem: header.index("product/operatingSystem"),
      tenancy: header.index("product/tenancy"),
      productFamily: header.index("product/productFamily"),
      pricingTerm: header.index("pricing/term"),
      pricingUnit: header.index("pricing/unit"),
      publicOnDemandCost: header.index("pricing/publicOnDemandCost"),
      publicOnDemandRate: header.index("pricing/publicOnDemandRate"),
      reservationARN: header.index("reservation/ReservationARN"),
      reservationEffectiveCost: header.index("reservation/EffectiveCost"),
      unusedAmortizedUpfront: header.index("reservation/UnusedAmortizedUpfrontFeeForBillingPeriod"),
      unusedRecurringFee: header.index("reservation/UnusedRecurringFee"),
      savingsPlanARN: header.index("savingsPlan/SavingsPlanARN"),
      savingsPlanEffectiveCost: header.index("savingsPlan/SavingsPlanEffectiveCost"),
      savingsPlanRate: header.index("savingsPlan/SavingsPlanRate"),
      totalCommitmentToDate: header.index("savingsPlan/TotalCommitmentToDate"),
      usedCommitment: header.index("savingsPlan/UsedCommitment"),
      payerAccountName: header.names.firstIndex(of: "bill_payer_account_name"),
      usageAccountName: header.names.firstIndex(of: "line_item_usage_account_name"),
      productMap: schema == .cur2 ? header.names.firstIndex(of: "product") : nil,
      resourceTagsMap: schema == .cur2 ? header.names.firstIndex(of: "resource_tags") : nil,
      reservationEnd: header.index("reservation/EndTime"),
      leaseContractLength: header.index("pricing/LeaseContractLength"),
      purchaseOption: header.index("pricing/PurchaseOption"),
      offeringClass: header.index("pricing/OfferingClass"),
      savingsPlanEnd: header.index("savingsPlan/EndTime"),
      savingsPlanTerm: header.index("savingsPlan/PurchaseTerm"),
      savingsPlanPayment: header.index("savingsPlan/PaymentOption"),
      savingsPlanOffering: header.index("savingsPlan/OfferingType"))
    var tagColumns: [(key: String, column: Int)] = []
    for (index, name) in header.names.enumerated() where schema == .legacy {
      if name.hasPrefix("resourceTags/") {
        tagColumns.append((String(name.dropFirst("resourceTags/".count)), index))
      } else if name.hasPrefix("resource_tags_") {
        tagColumns.append((String(name.dropFirst("resource_tags_".count)), index))
      }
    }
    self.tagColumns = tagColumns
    keptColumns = keptMask(width: header.names.count, columns: c.all + tagColumns.map(\.column))
    switch schema {
    case .cur2: formatVersion = "2.0"
    case .legacy:
      formatVersion = header.names.contains("lineItem/UnblendedCost") ? "legacy" : "legacy-athena"
    }
  }

  func sourceName(_ fields: RecordFields) -> String {
    "aws-cur:\(String(decoding: fields.text(c.payerAccount), as: UTF8.self))"
  }

  mutating func map(_ f: RecordFields, into line: inout CostLine, writer: CostLineWriter)
    throws(InputError)
  {
    line.provider = UnsafeRawBufferPointer(start: AWSCURMapper.aws.utf8Start, count: 3)
    line.billingAccountID = f.text(c.payerAccount)
    guard !line.billingAccountID.isEmpty else {
      throw InputError(
        "expected a payer account id, found an empty field", at: f.location(c.payerAccount))
    }
    line.subAccountID = f.text(c.usageAccount)
    line.billingAccountName = f.text(c.payerAccountName)
    line.subAccountName = f.text(c.usageAccountName)
    line.billingPeriodStart = try billingPeriodStart.timestamp(f, c.billingPeriodStart)
    line.chargePeriodStart = try usageStart.timestamp(f, c.usageStart)
    line.chargePeriodEnd = try usageEnd.timestamp(f, c.usageEnd)
    let type = f.text(c.lineItemType)
    line.lineItemType = type
    line.serviceName = f.text(c.productName)
    if line.serviceName.isEmpty { line.serviceName = f.text(c.productCode) }
    line.usageType = f.text(c.usageType)
    line.operation = f.text(c.operation)
    line.resourceID = f.text(c.resourceID)
    line.resourceType = f.text(c.productFamily)
    line.regionID = f.text(c.regionCode)
    if line.regionID.isEmpty { line.regionID = f.text(c.regionName) }  // older CURs, nise
    line.skuID = f.text(c.sku)
    line.instanceType = f.text(c.instanceType)
    line.platform = f.text(c.operatingSystem)
    line.tenancy = f.text(c.tenancy)
    line.consumedQuantity = try f.quantity(c.usageAmount)
    line.consumedUnit = f.text(c.pricingUnit)
    line.normalizationFactor = try f.quantity(c.normalizationFactor)
    line.normalizedUsageAmount = try f.quantity(c.normalizedUsageAmount)
    line.billingCurrency = f.text(c.currency)
    if line.billingCurrency.isEmpty {
      line.billingCurrency = UnsafeRawBufferPointer(start: AWSCURMapper.usd.utf8Start, count: 3)
    }
    line.listUnitPrice = try f.optionalMoney(c.publicOnDemandRate)
    line.commitmentRate = try f.optionalMoney(c.savingsPlanRate)

    let savingsPlan = f.text(c.savingsPlanARN)
    let reservation = f.text(c.reservationARN)
    if !savingsPlan.isEmpty {
      line.commitmentDiscountID = savingsPlan
      line.commitmentDiscountType = bytes(AWSCURMapper.savingsPlanType)
      line.commitmentDiscountCategory = bytes("Spend")
      line.commitmentEnd = try f.optionalTimestamp(c.savingsPlanEnd)
      line.purchaseTerm = f.text(c.savingsPlanTerm)
      line.paymentOption = f.text(c.savingsPlanPayment)
      line.offeringType = f.text(c.savingsPlanOffering)
    } else if !reservation.isEmpty {
      line.commitmentDiscountID = reservation
      line.commitmentDiscountType = bytes(AWSCURMapper.reservationType)
      line.commitmentDiscountCategory = bytes("Usage")
      line.commitmentEnd = try f.optionalTimestamp(c.reservationEnd)
      line.purchaseTerm = f.text(c.leaseContractLength)
      line.paymentOption = f.text(c.purchaseOption)
      line.offeringType = f.text(c.offeringClass)
    }

    let unblended = try f.requiredMoney(c.unblendedCost)
    line.billedCost = unblended
    line.chargeCategory = .usage
    let kind = LineItemKind(type)
    switch kind {
    case .savingsPlanCoveredUsage:
      line.effectiveCost = try f.money(c.savingsPlanEffectiveCost)
      line.commitmentDiscountStatus = AWSCURMapper.used
    case .savingsPlanRecurringFee:
      line.chargeCategory = .purchase
      let commitment = try f.money(c.totalCommitmentToDate)
      let used = try f.money(c.usedCommitment)
      line.effectiveCost = try f.computed(at: c.usedCommitment) { () throws(MoneyError) in
        try commitment.subtracting(used)
      }
    case .savingsPlanNegation:
      line.effectiveCost = .zero
    case .savingsPlanUpfrontFee:
      line.chargeCategory = .purchase
      line.effectiveCost = .zero
    case .discountedUsage:
      line.effectiveCost = try f.money(c.reservationEffectiveCost)
      line.commitmentDiscountStatus = AWSCURMapper.used
    case .riFee:
      line.chargeCategory = .purchase
      let unusedUpfront = try f.money(c.unusedAmortizedUpfront)
      let unusedRecurring = try f.money(c.unusedRecurringFee)
      line.effectiveCost = try f.computed(at: c.unusedRecurringFee) { () throws(MoneyError) in
        try unusedUpfront.adding(unusedRecurring)
      }
    case .fee:
      line.chargeCategory = .purchase
      line.effectiveCost = reservation.isEmpty ? unblended : .zero
    case .tax:
      line.chargeCategory = .tax
      line.effectiveCost = unblended
    case .credit:
      line.chargeCategory = .credit
      line.effectiveCost = unblended
    case .refund:
      line.chargeCategory = .credit
      line.chargeClass = AWSCURMapper.correction
      line.effectiveCost = unblended
    case .other:
      line.effectiveCost = unblended
    }
    line.pricingCategory = pricingCategory(kind, f)

    let publicCost = try f.optionalMoney(c.publicOnDemandCost)
    if kind == .savingsPlanNegation {
      line.listCost = .zero
    } else {
      line.listCost = publicCost ?? unblended
    }
    line.contractedCost = line.listCost
    if schema == .cur2 {
      if let column = c.productMap {
        let product = try productAttributes(f, column: column)
        if !product.name.isEmpty { line.serviceName = product.name }
        line.platform = product.operatingSystem
        line.tenancy = product.tenancy
      }
      line.tagSetID = try mapTagSetID(f, column: c.resourceTagsMap, writer: writer)
    } else {
      line.tagSetID = try tagSetID(f, writer: writer)
    }
  }

  /// The attributes of the record's `product` map, parsed once per distinct text.
  private mutating func productAttributes(_ f: RecordFields, column: Int) throws(InputError)
    -> ProductAttributes
  {
    let bytes = f.text(column)
    if let index = products.value(for: bytes) { return productAttributes[Int(index)] }
    let pairs: [(key: String, value: String)]
    do throws(FlatJSONObject.ParseError) {
      pairs = try FlatJSONObject.parse(bytes)
    } catch {
      throw badJSON(error, in: "the product map", f, column)
    }
    var attributes = ProductAttributes()
    for (key, value) in pairs {
      switch key {
      case "product_name", "ProductName", "productName": attributes.name = stable.store(value)
      case "operating_system", "operatingSystem": attributes.operatingSystem = stable.store(value)
      case "tenancy": attributes.tenancy = stable.store(value)
      default: break
      }
    }
    products.insert(Int64(productAttributes.count), for: bytes)
    productAttributes.append(attributes)
    return attributes
  }

  /// CUR 2.0: the tag set of the `resource_tags` map, parsed and stored once per distinct text.
  private mutating func mapTagSetID(_ f: RecordFields, column: Int?, writer: CostLineWriter)
    throws(InputError) -> Int64
  {
    let bytes = f.text(column)
    if let id = tagSets.cachedID(for: bytes) { return id }
    let pairs: [(key: String, value: String)]
    do throws(FlatJSONObject.ParseError) {
      pairs = try FlatJSONObject.parse(bytes)
    } catch {
      throw badJSON(error, in: "the tags", f, column)
    }
    let id = try tagSets.store(pairs, writer: writer, at: f.location(column))
    tagSets.remember(id, for: bytes)
    return id
  }

  private func badJSON(
    _ error: FlatJSONObject.ParseError, in what: String, _ f: RecordFields, _ column: Int?
  ) -> InputError {
    var location = f.location(column)
    location.columnName = location.columnName.map { "\($0), character \(error.offset + 1)" }
    return InputError("bad JSON in \(what): \(error.message)", at: location)
  }

  private func pricingCategory(_ kind: LineItemKind, _ f: RecordFields) -> UnsafeRawBufferPointer {
    switch kind {
    case .savingsPlanCoveredUsage, .discountedUsage: return AWSCURMapper.committed
    case .other:
      let usageType = f.text(c.usageType)
      if containsSpot(usageType) { return AWSCURMapper.dynamic }
      return equals(f.text(c.pricingTerm), "OnDemand")
        ? AWSCURMapper.standard : UnsafeRawBufferPointer(start: nil, count: 0)
    default: return UnsafeRawBufferPointer(start: nil, count: 0)
    }
  }

  /// The tag set of a line: the non-empty tag columns. Lines with the same tag values share
  /// one set, found by the values' bytes without building strings.
  private mutating func tagSetID(_ f: RecordFields, writer: CostLineWriter) throws(InputError)
    -> Int64
  {
    let length = writeTagKey(f)
    if let id = tagKey.withUnsafeBytes({
      tagSets.cachedID(for: UnsafeRawBufferPointer(rebasing: $0[..<length]))
    }) {
      return id
    }
    let pairs = tagColumns.compactMap { pair -> (key: String, value: String)? in
      let value = f.string(pair.column)
      return value.isEmpty ? nil : (pair.key, value)
    }
    let id = try tagSets.store(pairs, writer: writer, at: f.location(nil))
    tagKey.withUnsafeBytes {
      tagSets.remember(id, for: UnsafeRawBufferPointer(rebasing: $0[..<length]))
    }
    return id
  }

  /// Writes the tag columns' values, each after its length (4 bytes, so that no value can
  /// imitate a boundary), to the start of `tagKey`; returns how many bytes that is. The buffer
  /// only grows, so a line allocates nothing.
  private mutating func writeTagKey(_ f: RecordFields) -> Int {
    var length = 0
    for (_, column) in tagColumns { length += 4 + f.text(column).count }
    if tagKey.count < length { tagKey = Array(repeating: 0, count: 2 * length) }
    tagKey.withUnsafeMutableBytes { key in
      var offset = 0
      for (_, column) in tagColumns {
        let value = f.text(column)
        key.storeBytes(of: UInt32(value.count), toByteOffset: offset, as: UInt32.self)
        offset += 4
        if !value.isEmpty {
          UnsafeMutableRawBufferPointer(rebasing: key[offset..<(offset + value.count)])
            .copyMemory(from: value)
          offset += value.count
        }
      }
    }
    return length
  }

  private static let aws: StaticString = "AWS"
  private static let usd: StaticString = "USD"
  private static let savingsPlanType: StaticString = "Savings Plan"
  private static let reservationType: StaticString = "Reserved Instance"
  private static var used: UnsafeRawBufferPointer { bytes("Used") }
  private static var committed: UnsafeRawBufferPointer { bytes("Committed") }
  private static var dynamic: UnsafeRawBufferPointer { bytes("Dynamic") }
  private static var standard: UnsafeRawBufferPointer { bytes("Standard") }
  private static var correction: UnsafeRawBufferPointer { bytes("Correction") }
}

/// `lineItem/UnblendedCost` → `line_item_unblended_cost`: how CUR 2.0 spells a legacy name.
private func snakeCaseName(_ slashName: String) -> String {
  var out = ""
  var previousWasUpper = false
  for character in slashName {
    if character == "/" || character == ":" {
      out += "_"
      previousWasUpper = false
    } else if character.isUppercase {
      if !out.isEmpty && !out.hasSuffix("_") && !previousWasUpper { out += "_" }
      out += character.lowercased()
      previousWasUpper = true
    } else {
      out.append(character)
      previousWasUpper = false
    }
  }
  return out
}

private func bytes(_ text: StaticString) -> UnsafeRawBufferPointer {
  UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
}

/// True when the usage type contains `Spot` (`SpotUsage:m5.large`, `EU-SpotUsage:…`).
private func containsSpot(_ usageType: UnsafeRawBufferPointer) -> Bool {
  guard usageType.count >= 4 else { return false }
  let spot: UInt32 = 0x746F_7053  // "Spot" read as a little-endian word
  for start in 0...(usageType.count - 4)
  where UInt32(littleEndian: usageType.loadUnaligned(fromByteOffset: start, as: UInt32.self))
    == spot
  {
    return true
  }
  return false
}

/// The `lineItem/LineItemType` values whose cost tally treats specially.
private enum LineItemKind {
  case savingsPlanCoveredUsage, savingsPlanRecurringFee, savingsPlanNegation, savingsPlanUpfrontFee
  case discountedUsage, riFee, fee, tax, credit, refund, other

  init(_ type: UnsafeRawBufferPointer) {
    switch type.count {
    case 23 where equals(type, "SavingsPlanCoveredUsage"): self = .savingsPlanCoveredUsage
    case 23 where equals(type, "SavingsPlanRecurringFee"): self = .savingsPlanRecurringFee
    case 19 where equals(type, "SavingsPlanNegation"): self = .savingsPlanNegation
    case 21 where equals(type, "SavingsPlanUpfrontFee"): self = .savingsPlanUpfrontFee
    case 15 where equals(type, "DiscountedUsage"): self = .discountedUsage
    case 5 where equals(type, "RIFee"): self = .riFee
    case 3 where equals(type, "Fee"): self = .fee
    case 3 where equals(type, "Tax"): self = .tax
    case 6 where equals(type, "Credit"): self = .credit
    case 6 where equals(type, "Refund"): self = .refund
    default: self = .other
    }
  }
}
