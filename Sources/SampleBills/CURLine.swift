/// The `lineItem/LineItemType` values the generators write.
enum LineItemType: String, CaseIterable {
  case usage = "Usage"
  case discountedUsage = "DiscountedUsage"
  case riFee = "RIFee"
  case fee = "Fee"
  case savingsPlanCoveredUsage = "SavingsPlanCoveredUsage"
  case savingsPlanNegation = "SavingsPlanNegation"
  case savingsPlanRecurringFee = "SavingsPlanRecurringFee"
  case savingsPlanUpfrontFee = "SavingsPlanUpfrontFee"
  case tax = "Tax"
  case credit = "Credit"
  case refund = "Refund"
  case edpDiscount = "EdpDiscount"
}

/// `bill/BillType`: which invoice a line belongs to.
enum BillType: String {
  case anniversary = "Anniversary"
  case purchase = "Purchase"
  case refund = "Refund"
}

/// A reserved instance owned in the payer account.
struct ReservedInstance {
  var arn: String
  var subscriptionId: String
  /// The instance product it covers (same type, region and platform only).
  var coveredProduct: Int
  var feeProduct: Int
  var count: Int64
  /// Recurring fee per reserved hour, nanos.
  var recurringRate: Int64
  /// Upfront fee amortised per reserved hour, nanos (0 for No Upfront).
  var amortizedRate: Int64
  var start: String
  var end: String
  var lease: String
  var purchaseOption: String
  var offeringTermCode: String
  /// Reserved hours in the billing period: `count × hours`.
  var reservedHours: Int64
  var upfrontValue: Int64 { amortizedRate * reservedHours }
}

/// A Savings Plan owned in the payer account.
struct SavingsPlan {
  var arn: String
  var offeringType: String
  var paymentOption: String
  var purchaseTerm: String
  /// `""` for a Compute Savings Plan (any region).
  var region: String
  /// `""` for a Compute Savings Plan (any family).
  var instanceFamily: String
  var start: String
  var end: String
  /// Recurring commitment per hour, nanos.
  var recurringHourly: Int64
  /// Upfront commitment amortised per hour, nanos.
  var amortizedHourly: Int64
  /// The discount on the Linux on-demand rate, in percent.
  var discountPercent: Int64
  var feeProduct: Int
  var description: String

  var hourlyCommitment: Int64 { recurringHourly + amortizedHourly }

  /// The Savings Plan rate for one hour of `product`, or nil if the plan does not apply.
  func rate(for product: Product) -> Int64? {
    guard product.isInstance, let productRegion = product.region else { return nil }
    if !region.isEmpty && productRegion.code != region { return nil }
    if !instanceFamily.isEmpty && product.family != instanceFamily { return nil }
    return product.rate - product.linuxRate * discountPercent / 100
  }
}

/// The `reservation/*` values of one line (nil fields are written empty).
struct ReservationAmounts {
  var reservation: Int
  var effectiveCost: Int64?
  var amortizedUpfrontCostForUsage: Int64?
  var recurringFeeForUsage: Int64?
  var amortizedUpfrontFeeForBillingPeriod: Int64?
  var unusedAmortizedUpfrontFeeForBillingPeriod: Int64?
  var unusedRecurringFee: Int64?
  var unusedQuantity: Int64?
  var totalReservedUnits: Int64?
  var upfrontValue: Int64?
}

/// The `savingsPlan/*` values of one line (nil fields are written empty).
struct SavingsPlanAmounts {
  var plan: Int
  var rate: Int64?
  var effectiveCost: Int64?
  var usedCommitment: Int64?
  var totalCommitment: Int64?
  var amortizedUpfrontForPeriod: Int64?
  var recurringForPeriod: Int64?
  /// Whether the plan's descriptive columns (offering, payment option, term…) are written.
  var describesPlan = false
}

/// One line of a legacy CUR, before it is written.
struct CURLine {
  var type: LineItemType
  /// `identity/TimeInterval`, as hour offsets from the month start.
  var intervalStart: Int
  var intervalEnd: Int
  var usageStart: Int
  var usageEnd: Int
  var billType = BillType.anniversary
  var account: Int
  var product: Int
  var resourceId = ""
  var zone = ""
  /// `lineItem/UsageAmount` in nanos of its unit; nil writes an empty field.
  var usageAmount: Int64?
  var normalizationFactor: Int64 = 0
  var unblendedRate: Int64?
  var unblendedCost: Int64
  var description: String
  var taxType = ""
  var publicRate: Int64?
  var publicCost: Int64?
  var term = ""
  var rateCode = ""
  var reservation: ReservationAmounts?
  var savingsPlan: SavingsPlanAmounts?
  var tags = 0

  /// The amortised cost of the line, by the formula of formats.md §2.5.
  var effectiveCost: Int64 {
    switch type {
    case .savingsPlanCoveredUsage: savingsPlan?.effectiveCost ?? 0
    case .savingsPlanRecurringFee:
      (savingsPlan?.totalCommitment ?? 0) - (savingsPlan?.usedCommitment ?? 0)
    case .savingsPlanNegation, .savingsPlanUpfrontFee: 0
    case .discountedUsage: reservation?.effectiveCost ?? 0
    case .riFee:
      (reservation?.unusedAmortizedUpfrontFeeForBillingPeriod ?? 0)
        + (reservation?.unusedRecurringFee ?? 0)
    case .fee where reservation != nil: 0
    default: unblendedCost
    }
  }
}

/// A legacy CUR column the writer knows how to fill.
enum CURField: String {
  case lineItemId = "identity/LineItemId"
  case timeInterval = "identity/TimeInterval"
  case invoiceId = "bill/InvoiceId"
  case invoicingEntity = "bill/InvoicingEntity"
  case billingEntity = "bill/BillingEntity"
  case billType = "bill/BillType"
  case payerAccountId = "bill/PayerAccountId"
  case billingPeriodStartDate = "bill/BillingPeriodStartDate"
  case billingPeriodEndDate = "bill/BillingPeriodEndDate"
  case usageAccountId = "lineItem/UsageAccountId"
  case lineItemType = "lineItem/LineItemType"
  case usageStartDate = "lineItem/UsageStartDate"
  case usageEndDate = "lineItem/UsageEndDate"
  case productCode = "lineItem/ProductCode"
  case usageType = "lineItem/UsageType"
  case operation = "lineItem/Operation"
  case availabilityZone = "lineItem/AvailabilityZone"
  case resourceId = "lineItem/ResourceId"
  case usageAmount = "lineItem/UsageAmount"
  case normalizationFactor = "lineItem/NormalizationFactor"
  case normalizedUsageAmount = "lineItem/NormalizedUsageAmount"
  case currencyCode = "lineItem/CurrencyCode"
  case unblendedRate = "lineItem/UnblendedRate"
  case unblendedCost = "lineItem/UnblendedCost"
  case blendedRate = "lineItem/BlendedRate"
  case blendedCost = "lineItem/BlendedCost"
  case lineItemDescription = "lineItem/LineItemDescription"
  case taxType = "lineItem/TaxType"
  case legalEntity = "lineItem/LegalEntity"
  case products = "product/*"
  case rateCode = "pricing/RateCode"
  case rateId = "pricing/RateId"
  case pricingCurrency = "pricing/currency"
  case leaseContractLength = "pricing/LeaseContractLength"
  case offeringClass = "pricing/OfferingClass"
  case purchaseOption = "pricing/PurchaseOption"
  case publicOnDemandCost = "pricing/publicOnDemandCost"
  case publicOnDemandRate = "pricing/publicOnDemandRate"
  case term = "pricing/term"
  case unit = "pricing/unit"
  case amortizedUpfrontCostForUsage = "reservation/AmortizedUpfrontCostForUsage"
  case amortizedUpfrontFeeForBillingPeriod = "reservation/AmortizedUpfrontFeeForBillingPeriod"
  case reservationEffectiveCost = "reservation/EffectiveCost"
  case reservationEndTime = "reservation/EndTime"
  case normalizedUnitsPerReservation = "reservation/NormalizedUnitsPerReservation"
  case numberOfReservations = "reservation/NumberOfReservations"
  case recurringFeeForUsage = "reservation/RecurringFeeForUsage"
  case reservationARN = "reservation/ReservationARN"
  case reservationStartTime = "reservation/StartTime"
  case subscriptionId = "reservation/SubscriptionId"
  case totalReservedNormalizedUnits = "reservation/TotalReservedNormalizedUnits"
  case totalReservedUnits = "reservation/TotalReservedUnits"
  case unitsPerReservation = "reservation/UnitsPerReservation"
  case unusedAmortizedUpfrontFeeForBillingPeriod =
    "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod"
  case unusedNormalizedUnitQuantity = "reservation/UnusedNormalizedUnitQuantity"
  case unusedQuantity = "reservation/UnusedQuantity"
  case unusedRecurringFee = "reservation/UnusedRecurringFee"
  case upfrontValue = "reservation/UpfrontValue"
  case savingsPlanARN = "savingsPlan/SavingsPlanARN"
  case savingsPlanRate = "savingsPlan/SavingsPlanRate"
  case savingsPlanEffectiveCost = "savingsPlan/SavingsPlanEffectiveCost"
  case usedCommitment = "savingsPlan/UsedCommitment"
  case totalCommitmentToDate = "savingsPlan/TotalCommitmentToDate"
  case amortizedUpfrontCommitmentForBillingPeriod =
    "savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod"
  case recurringCommitmentForBillingPeriod = "savingsPlan/RecurringCommitmentForBillingPeriod"
  case offeringType = "savingsPlan/OfferingType"
  case paymentOption = "savingsPlan/PaymentOption"
  case purchaseTerm = "savingsPlan/PurchaseTerm"
  case savingsPlanRegion = "savingsPlan/Region"
  case instanceTypeFamily = "savingsPlan/InstanceTypeFamily"
  case savingsPlanStartTime = "savingsPlan/StartTime"
  case savingsPlanEndTime = "savingsPlan/EndTime"
  case tags = "resourceTags/*"
}

/// The columns of a generated CUR, in file order.
struct CURSchema {
  var fields: [CURField]
  /// The `product/*` attribute names, in order (written where ``CURField/products`` stands).
  var productColumns: [String]
  /// The full `resourceTags/*` column names, in order (written where ``CURField/tags`` stands).
  var tagColumns: [String]

  /// The header row.
  var header: [String] {
    fields.flatMap { field -> [String] in
      switch field {
      case .products: productColumns.map { "product/\($0)" }
      case .tags: tagColumns
      default: [field.rawValue]
      }
    }
  }

  /// The number of columns.
  var columnCount: Int { header.count }

  private static let tagColumnNames = [
    "resourceTags/aws:createdBy", "resourceTags/user:Team", "resourceTags/user:cost-center",
    "resourceTags/user:env", "resourceTags/user:team",
  ]

  /// The schema of the committed sample months (87 columns).
  static let sample = CURSchema(
    fields: [
      .lineItemId, .timeInterval, .invoiceId, .billingEntity, .billType, .payerAccountId,
      .billingPeriodStartDate, .billingPeriodEndDate, .usageAccountId, .lineItemType,
      .usageStartDate, .usageEndDate, .productCode, .usageType, .operation, .availabilityZone,
      .resourceId, .usageAmount, .normalizationFactor, .normalizedUsageAmount, .currencyCode,
      .unblendedRate, .unblendedCost, .blendedRate, .blendedCost, .lineItemDescription,
      .taxType, .legalEntity, .products, .rateCode, .leaseContractLength, .offeringClass,
      .purchaseOption, .publicOnDemandCost, .publicOnDemandRate, .term, .unit,
      .amortizedUpfrontCostForUsage, .amortizedUpfrontFeeForBillingPeriod,
      .reservationEffectiveCost, .reservationEndTime, .numberOfReservations,
      .recurringFeeForUsage, .reservationARN, .reservationStartTime, .totalReservedUnits,
      .unitsPerReservation, .unusedAmortizedUpfrontFeeForBillingPeriod, .unusedQuantity,
      .unusedRecurringFee, .upfrontValue, .savingsPlanARN, .savingsPlanRate,
      .savingsPlanEffectiveCost, .usedCommitment, .totalCommitmentToDate,
      .amortizedUpfrontCommitmentForBillingPeriod, .recurringCommitmentForBillingPeriod,
      .offeringType, .paymentOption, .purchaseTerm, .savingsPlanRegion, .instanceTypeFamily,
      .savingsPlanStartTime, .savingsPlanEndTime, .tags,
    ],
    productColumns: [
      "ProductName", "databaseEngine", "instanceFamily", "instanceType", "location", "memory",
      "operatingSystem", "operation", "productFamily", "region", "regionCode", "servicecode",
      "sku", "storageClass", "tenancy", "usagetype", "vcpu", "volumeApiName",
    ],
    tagColumns: tagColumnNames)

  /// The wide schema of the benchmark bill (about 100 columns, as busy real accounts have).
  static let wide = CURSchema(
    fields: [
      .lineItemId, .timeInterval, .invoiceId, .billingEntity, .billType, .payerAccountId,
      .billingPeriodStartDate, .billingPeriodEndDate, .usageAccountId,
      .lineItemType, .usageStartDate, .usageEndDate, .productCode, .usageType, .operation,
      .availabilityZone, .resourceId, .usageAmount, .normalizationFactor,
      .normalizedUsageAmount, .currencyCode, .unblendedRate, .unblendedCost, .blendedRate,
      .blendedCost, .lineItemDescription, .taxType, .legalEntity, .products, .rateCode,
      .rateId, .pricingCurrency, .leaseContractLength, .offeringClass, .purchaseOption,
      .publicOnDemandCost, .publicOnDemandRate, .term, .unit, .amortizedUpfrontCostForUsage,
      .amortizedUpfrontFeeForBillingPeriod, .reservationEffectiveCost, .reservationEndTime,
      .normalizedUnitsPerReservation, .numberOfReservations, .recurringFeeForUsage,
      .reservationARN, .reservationStartTime, .subscriptionId, .totalReservedNormalizedUnits,
      .totalReservedUnits, .unitsPerReservation, .unusedAmortizedUpfrontFeeForBillingPeriod,
      .unusedNormalizedUnitQuantity, .unusedQuantity, .unusedRecurringFee, .upfrontValue,
      .savingsPlanARN, .savingsPlanRate, .savingsPlanEffectiveCost, .usedCommitment,
      .totalCommitmentToDate, .amortizedUpfrontCommitmentForBillingPeriod,
      .recurringCommitmentForBillingPeriod, .offeringType, .paymentOption, .purchaseTerm,
      .savingsPlanRegion, .instanceTypeFamily, .savingsPlanStartTime, .savingsPlanEndTime,
      .tags,
    ],
    productColumns: [
      "ProductName", "databaseEngine", "deploymentOption", "durability", "fromLocation",
      "group", "instanceFamily", "instanceType", "location", "memory", "operatingSystem",
      "operation", "productFamily", "region", "servicecode", "sku", "storageClass",
      "storageMedia", "tenancy", "toLocation", "transferType", "usagetype", "vcpu",
      "volumeApiName", "volumeType",
    ],
    tagColumns: [
      "resourceTags/aws:createdBy", "resourceTags/user:Name", "resourceTags/user:Team",
      "resourceTags/user:cost-center", "resourceTags/user:env", "resourceTags/user:team",
    ])
}

/// Identifies the bill a writer is writing: the month and its invoices.
struct BillIdentity {
  var month: BillingMonth
  var invoiceIds: [BillType: String]
  var legalEntity = "Amazon Web Services, Inc."
}

/// Renders ``CURLine`` values as CSV rows of a ``CURSchema``.
struct CURWriter {
  var csv: CSVBuffer
  let schema: CURSchema
  let catalog: Catalog
  let bill: BillIdentity
  var reservations: [ReservedInstance]
  var savingsPlans: [SavingsPlan]
  private var random: SplitMix64
  private var productSegments: [[UInt8]]
  private var tagSegments: [[UInt8]]
  private let periodStart: [UInt8]
  private let periodEnd: [UInt8]
  private let payerId: [UInt8]
  /// Σ unblended and Σ effective (amortised) cost of the lines written, in nanos.
  private(set) var billedTotal: Int64 = 0
  private(set) var effectiveTotal: Int64 = 0
  private(set) var linesWritten = 0

  init(
    schema: CURSchema, catalog: Catalog, bill: BillIdentity, reservations: [ReservedInstance],
    savingsPlans: [SavingsPlan], lineEnding: String, seed: UInt64, capacity: Int
  ) {
    self.schema = schema
    self.catalog = catalog
    self.bill = bill
    self.reservations = reservations
    self.savingsPlans = savingsPlans
    random = SplitMix64(seed: seed, stream: 0x11DE)
    csv = CSVBuffer(lineEnding: lineEnding, reservingCapacity: capacity)
    productSegments = catalog.products.map { product in
      CSVBuffer.segment(schema.productColumns.map { product.attribute($0) })
    }
    tagSegments = catalog.tagSets.map { tags in
      CSVBuffer.segment(schema.tagColumns.map { tags.value(forColumn: $0) })
    }
    var start: [UInt8] = []
    bill.month.appendTimestamp(hour: 0, milliseconds: true, to: &start)
    periodStart = start
    var end: [UInt8] = []
    bill.month.appendTimestamp(hour: bill.month.hours, milliseconds: true, to: &end)
    periodEnd = end
    payerId = Array(catalog.accounts[Catalog.payer].id.utf8)
    csv.row(schema.header)
  }

  /// Products or tag sets added to the catalogue after the writer was made need segments.
  mutating func refreshSegments(catalog: Catalog) {
    while productSegments.count < catalog.products.count {
      let product = catalog.products[productSegments.count]
      productSegments.append(CSVBuffer.segment(schema.productColumns.map { product.attribute($0) }))
    }
  }

  // swiftlint:disable:next cyclomatic_complexity function_body_length
  mutating func write(_ line: CURLine) {
    let product = catalog.products[line.product]
    let reservation = line.reservation.map { reservations[$0.reservation] }
    let plan = line.savingsPlan.map { savingsPlans[$0.plan] }
    for field in schema.fields {
      switch field {
      case .lineItemId:
        csv.beginField()
        random.appendHex(count: 40, to: &csv.bytes)
      case .timeInterval:
        csv.beginField()
        bill.month.appendTimestamp(hour: line.intervalStart, milliseconds: false, to: &csv.bytes)
        csv.bytes.append(UInt8(ascii: "/"))
        bill.month.appendTimestamp(hour: line.intervalEnd, milliseconds: false, to: &csv.bytes)
      case .invoiceId: csv.plainField(bill.invoiceIds[line.billType] ?? "")
      case .invoicingEntity: csv.field(bill.legalEntity)
      case .billingEntity: csv.plainField("AWS")
      case .billType: csv.plainField(line.billType.rawValue)
      case .payerAccountId: csv.rawField(payerId)
      case .billingPeriodStartDate: csv.rawField(periodStart)
      case .billingPeriodEndDate: csv.rawField(periodEnd)
      case .usageAccountId: csv.plainField(catalog.accounts[line.account].id)
      case .lineItemType: csv.plainField(line.type.rawValue)
      case .usageStartDate:
        csv.beginField()
        bill.month.appendTimestamp(hour: line.usageStart, milliseconds: true, to: &csv.bytes)
      case .usageEndDate:
        csv.beginField()
        bill.month.appendTimestamp(hour: line.usageEnd, milliseconds: true, to: &csv.bytes)
      case .productCode: csv.plainField(product.code)
      case .usageType: csv.plainField(product.usageType)
      case .operation: csv.plainField(product.operation)
      case .availabilityZone: csv.plainField(line.zone)
      case .resourceId: csv.field(line.resourceId)
      case .usageAmount: optionalDecimal(line.usageAmount, minimumFractionDigits: 1)
      case .normalizationFactor:
        if line.normalizationFactor > 0 {
          csv.decimalField(
            line.normalizationFactor * DecimalText.nanosPerUnit, minimumFractionDigits: 1)
        } else {
          csv.emptyField()
        }
      case .normalizedUsageAmount:
        if line.normalizationFactor > 0, let amount = line.usageAmount {
          csv.decimalField(amount * line.normalizationFactor, minimumFractionDigits: 1)
        } else {
          csv.emptyField()
        }
      case .currencyCode: csv.plainField("USD")
      case .unblendedRate, .blendedRate:
        if let rate = line.unblendedRate {
          csv.decimalField(rate, minimumFractionDigits: rate == 0 ? 1 : 10)
        } else {
          csv.emptyField()
        }
      case .unblendedCost, .blendedCost: csv.costField(line.unblendedCost)
      case .lineItemDescription: csv.field(line.description)
      case .taxType: csv.field(line.taxType)
      case .legalEntity: csv.field(bill.legalEntity)
      case .products: csv.segment(productSegments[line.product])
      case .rateCode: csv.plainField(line.rateCode)
      case .rateId:
        if line.rateCode.isEmpty {
          csv.emptyField()
        } else {
          csv.plainField(String(UInt32(truncatingIfNeeded: line.product &* 2_654_435_761)))
        }
      case .pricingCurrency: line.rateCode.isEmpty ? csv.emptyField() : csv.plainField("USD")
      case .leaseContractLength: csv.plainField(reservation?.lease ?? "")
      case .offeringClass: csv.plainField(reservation == nil ? "" : "standard")
      case .purchaseOption: csv.field(reservation?.purchaseOption ?? "")
      case .publicOnDemandCost: optionalCost(line.publicCost)
      case .publicOnDemandRate: optionalDecimal(line.publicRate, minimumFractionDigits: 10)
      case .term: csv.plainField(line.term)
      case .unit: csv.plainField(line.rateCode.isEmpty ? "" : product.unit)
      case .amortizedUpfrontCostForUsage:
        optionalCost(line.reservation?.amortizedUpfrontCostForUsage)
      case .amortizedUpfrontFeeForBillingPeriod:
        optionalCost(line.reservation?.amortizedUpfrontFeeForBillingPeriod)
      case .reservationEffectiveCost: optionalCost(line.reservation?.effectiveCost)
      case .reservationEndTime: csv.plainField(reservation?.end ?? "")
      case .normalizedUnitsPerReservation:
        optionalInteger(reservation.map { _ in product.normalizationFactor })
      case .numberOfReservations: optionalInteger(reservation?.count)
      case .recurringFeeForUsage: optionalCost(line.reservation?.recurringFeeForUsage)
      case .reservationARN: csv.plainField(reservation?.arn ?? "")
      case .reservationStartTime: csv.plainField(reservation?.start ?? "")
      case .subscriptionId: csv.plainField(reservation?.subscriptionId ?? "")
      case .totalReservedNormalizedUnits:
        optionalInteger(
          line.reservation?.totalReservedUnits.map {
            $0 / DecimalText.nanosPerUnit * product.normalizationFactor
          })
      case .totalReservedUnits:
        optionalDecimal(line.reservation?.totalReservedUnits, minimumFractionDigits: 1)
      case .unitsPerReservation:
        optionalInteger(reservation.map { $0.reservedHours / $0.count })
      case .unusedAmortizedUpfrontFeeForBillingPeriod:
        optionalCost(line.reservation?.unusedAmortizedUpfrontFeeForBillingPeriod)
      case .unusedNormalizedUnitQuantity:
        optionalDecimal(
          line.reservation?.unusedQuantity.map { $0 * product.normalizationFactor },
          minimumFractionDigits: 1)
      case .unusedQuantity:
        optionalDecimal(line.reservation?.unusedQuantity, minimumFractionDigits: 1)
      case .unusedRecurringFee: optionalCost(line.reservation?.unusedRecurringFee)
      case .upfrontValue: optionalCost(line.reservation?.upfrontValue)
      case .savingsPlanARN: csv.plainField(plan?.arn ?? "")
      case .savingsPlanRate: optionalDecimal(line.savingsPlan?.rate, minimumFractionDigits: 10)
      case .savingsPlanEffectiveCost: optionalCost(line.savingsPlan?.effectiveCost)
      case .usedCommitment: optionalCost(line.savingsPlan?.usedCommitment)
      case .totalCommitmentToDate: optionalCost(line.savingsPlan?.totalCommitment)
      case .amortizedUpfrontCommitmentForBillingPeriod:
        optionalCost(line.savingsPlan?.amortizedUpfrontForPeriod)
      case .recurringCommitmentForBillingPeriod:
        optionalCost(line.savingsPlan?.recurringForPeriod)
      case .offeringType: csv.plainField(describedPlan(line)?.offeringType ?? "")
      case .paymentOption: csv.field(describedPlan(line)?.paymentOption ?? "")
      case .purchaseTerm: csv.plainField(describedPlan(line)?.purchaseTerm ?? "")
      case .savingsPlanRegion: csv.plainField(describedPlan(line)?.region ?? "")
      case .instanceTypeFamily: csv.plainField(describedPlan(line)?.instanceFamily ?? "")
      case .savingsPlanStartTime: csv.plainField(describedPlan(line)?.start ?? "")
      case .savingsPlanEndTime: csv.plainField(describedPlan(line)?.end ?? "")
      case .tags: csv.segment(tagSegments[line.tags])
      }
    }
    csv.endRow()
    billedTotal += line.unblendedCost
    effectiveTotal += line.effectiveCost
    linesWritten += 1
  }

  private func describedPlan(_ line: CURLine) -> SavingsPlan? {
    guard let amounts = line.savingsPlan, amounts.describesPlan else { return nil }
    return savingsPlans[amounts.plan]
  }

  private mutating func optionalCost(_ nanos: Int64?) {
    if let nanos { csv.costField(nanos) } else { csv.emptyField() }
  }

  private mutating func optionalDecimal(_ nanos: Int64?, minimumFractionDigits: Int) {
    if let nanos {
      csv.decimalField(nanos, minimumFractionDigits: minimumFractionDigits)
    } else {
      csv.emptyField()
    }
  }

  private mutating func optionalInteger(_ value: Int64?) {
    if let value {
      csv.beginField()
      if value < 0 { csv.bytes.append(UInt8(ascii: "-")) }
      DecimalText.appendUnsigned(value.magnitude, to: &csv.bytes)
    } else {
      csv.emptyField()
    }
  }
}
