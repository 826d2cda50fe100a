/// AWS legacy Cost and Usage Reports: `category/Name` headers or the Athena snake_case variant
/// (`line_item_unblended_cost`), with columns that drift from month to month and one
/// `resourceTags/user:…` or `aws:…` column per activated tag.
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
  let format = "aws-cur"
  let readsNULLAsNull = false
  let formatVersion: String
  let keptColumns: [Bool]
  private let c: Columns
  /// The tag columns: raw key (`user:team`) and position.
  private let tagColumns: [(key: String, column: Int)]
  private var tagSets = TagSetCache()
  private var tagKey: [UInt8] = []

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
        savingsPlanRate, totalCommitmentToDate, usedCommitment, reservationEnd,
        leaseContractLength, purchaseOption, offeringClass, savingsPlanEnd, savingsPlanTerm,
        savingsPlanPayment, savingsPlanOffering,
      ]
    }
  }

  /// True when the header is a legacy CUR's (slash or Athena names), not CUR 2.0's, whose map
  /// columns `resource_tags` and `product` hold JSON.
  static func recognises(_ header: Header) -> Bool {
    header.has("lineItem/UnblendedCost", "lineItem/LineItemType")
      && !header.names.contains("resource_tags") && !header.names.contains("product")
  }

  init(header: Header, path: String) throws(InputError) {
    func required(_ name: String) throws(InputError) -> Int {
      guard let index = header.index(name) else {
        throw InputError(
          "missing required AWS CUR column \(name)", at: SourceLocation(file: path, line: 1))
      }
      return index
    }
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
      reservationEnd: header.index("reservation/EndTime"),
      leaseContractLength: header.index("pricing/LeaseContractLength"),
      purchaseOption: header.index("pricing/PurchaseOption"),
      offeringClass: header.index("pricing/OfferingClass"),
      savingsPlanEnd: header.index("savingsPlan/EndTime"),
      savingsPlanTerm: header.index("savingsPlan/PurchaseTerm"),
      savingsPlanPayment: header.index("savingsPlan/PaymentOption"),
      savingsPlanOffering: header.index("savingsPlan/OfferingType"))
    var tagColumns: [(key: String, column: Int)] = []
    for (index, name) in header.names.enumerated() {
      if name.hasPrefix("resourceTags/") {
        tagColumns.append((String(name.dropFirst("resourceTags/".count)), index))
      } else if name.hasPrefix("resource_tags_") {
        tagColumns.append((String(name.dropFirst("resource_tags_".count)), index))
      }
    }
    self.tagColumns = tagColumns
    keptColumns = keptMask(width: header.names.count, columns: c.all + tagColumns.map(\.column))
    formatVersion = header.names.contains("lineItem/UnblendedCost") ? "legacy" : "legacy-athena"
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
    line.billingPeriodStart = try f.timestamp(c.billingPeriodStart)
    line.chargePeriodStart = try f.timestamp(c.usageStart)
    line.chargePeriodEnd = try f.timestamp(c.usageEnd)
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
    line.tagSetID = try tagSetID(f, writer: writer)
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
    tagKey.removeAll(keepingCapacity: true)
    for (_, column) in tagColumns {
      let value = f.text(column)
      var length = UInt32(value.count)
      withUnsafeBytes(of: &length) { tagKey.append(contentsOf: $0) }
      tagKey.append(contentsOf: value)
    }
    if let id = tagKey.withUnsafeBytes({ tagSets.cachedID(for: $0) }) { return id }
    let pairs = tagColumns.compactMap { pair -> (key: String, value: String)? in
      let value = f.string(pair.column)
      return value.isEmpty ? nil : (pair.key, value)
    }
    let id = try tagSets.store(pairs, writer: writer, at: f.location(nil))
    tagKey.withUnsafeBytes { tagSets.remember(id, for: $0) }
    return id
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

private func bytes(_ text: StaticString) -> UnsafeRawBufferPointer {
  UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
}

private func containsSpot(_ usageType: UnsafeRawBufferPointer) -> Bool {
  let spot = Array("Spot".utf8)
  guard usageType.count >= spot.count else { return false }
  for start in 0...(usageType.count - spot.count)
  where (0..<spot.count).allSatisfy({ usageType[start + $0] == spot[$0] }) {
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
