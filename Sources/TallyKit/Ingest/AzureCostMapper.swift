/// Azure Cost Management cost details: Enterprise Agreement (PascalCase columns), Microsoft
/// Customer Agreement (camelCase, billed per billing profile) and the pre-2019 usage format
/// (`PreTaxCost`, `UsageDateTime`, `SubscriptionGuid`).
///
/// Cost details come as two datasets with the same columns: **actual** (what is invoiced: a
/// reservation purchase costs its price, usage it covers costs 0) and **amortized** (the purchase
/// spread over the usage it covers, plus unused commitment). A file does not say which one it
/// is, so the records tell (``DatasetEvidence``), or the export's manifest does. The mapper
/// writes `cost` as both billed and effective cost; the importer then pairs the two datasets of
/// a billing account and month (docs/formats.md, "Azure"): actual lines keep billed cost,
/// amortized lines keep effective cost.
///
/// Quirks handled: a UTF-8 byte order mark; `Tags` written as JSON members without the outer
/// braces (EA) or as an object (MCA); `MM/DD/YYYY`, `M/D/YYYY` and ISO dates; the inclusive
/// `BillingPeriodEndDate`; MCA files whose billing period columns are empty (the month of `date`
/// is used); decimals with up to 24 places (rounded half-even to nanos).
struct AzureCostMapper: CostLineMapper {
  /// The agreement a header belongs to.
  enum Agreement: String {
    case enterpriseAgreement = "azure-ea"
    case customerAgreement = "azure-mca"
    case legacy = "azure-legacy"
  }

  let format: String
  let formatVersion: String
  let readsNULLAsNull = false
  let keptColumns: [Bool]
  private let agreement: Agreement
  private let c: Columns
  private var tagSets = TagSetCache()
  private var evidence = DatasetEvidence()
  private let stable = StableBytes()
  private let provider: UnsafeRawBufferPointer
  private let path: String

  private struct Columns {
    var billingAccount: Int
    var billingAccountName: Int?
    var subscription: Int?
    var subscriptionName: Int?
    var billingPeriodStart: Int?
    var billingPeriodEnd: Int?
    var date: Int
    var chargeType: Int?
    var pricingModel: Int?
    var meterCategory: Int?
    var serviceFamily: Int?
    var meterName: Int?
    var region: Int?
    var resourceID: Int?
    var resourceType: Int?
    var sku: Int?
    var quantity: Int?
    var unit: Int?
    var currency: Int
    var cost: Int
    var paygCost: Int?
    var benefitID: Int?
    var reservationID: Int?
    var tags: Int?

    var all: [Int?] {
      [
        billingAccount, billingAccountName, subscription, subscriptionName, billingPeriodStart,
        billingPeriodEnd, date, chargeType, pricingModel, meterCategory, serviceFamily, meterName,
        region, resourceID, resourceType, sku, quantity, unit, currency, cost, paygCost, benefitID,
        reservationID, tags,
      ]
    }
  }

  /// The agreement of an Azure cost details header, or nil when it is not one.
  static func agreement(of header: Header) -> Agreement? {
    if header.has("PreTaxCost", "UsageDateTime") { return .legacy }
    guard header.has("Date") || header.has("date"),
      header.index("CostInBillingCurrency", "Cost") != nil,
      header.has("BillingAccountId") || header.has("billingProfileId"),
      header.has("MeterId") || header.has("MeterCategory")
    else { return nil }
    let mcaOnly = [
      "costInPricingCurrency", "exchangeRatePricingToBilling", "paygCostInBillingCurrency",
      "costInUsd",
    ]
    if mcaOnly.contains(where: { header.has($0) }) { return .customerAgreement }
    // MCA writes camelCase, EA PascalCase.
    if let cost = header.index("CostInBillingCurrency", "Cost"),
      header.names[cost].first?.isLowercase == true
    {
      return .customerAgreement
    }
    return .enterpriseAgreement
  }

  init(header: Header, path: String, agreement: Agreement) throws(InputError) {
    func required(_ names: String...) throws(InputError) -> Int {
      for name in names {
        if let index = header.index(name) { return index }
      }
      throw InputError(
        "missing required Azure cost details column \(names.joined(separator: " or "))",
        at: SourceLocation(file: path, line: 1))
    }
    self.agreement = agreement
    self.path = path
    format = agreement.rawValue
    let billingAccount: Int
    let billingAccountName: Int?
    switch agreement {
    case .enterpriseAgreement:
      billingAccount = try required("BillingAccountId")
      billingAccountName = header.index("BillingAccountName")
    case .customerAgreement:
      // FOCUS's BillingAccountId for MCA is the billing profile (the invoice's scope).
      billingAccount = try required("billingProfileId", "billingAccountId")
      billingAccountName = header.index("billingProfileName", "billingAccountName")
    case .legacy:
      billingAccount = try required("SubscriptionGuid", "SubscriptionId")
      billingAccountName = header.index("SubscriptionName")
    }
    c = Columns(
      billingAccount: billingAccount, billingAccountName: billingAccountName,
      subscription: header.index("SubscriptionId", "SubscriptionGuid"),
      subscriptionName: header.index("SubscriptionName"),
      billingPeriodStart: header.index("BillingPeriodStartDate"),
      billingPeriodEnd: header.index("BillingPeriodEndDate"),
      date: try required("Date", "UsageDateTime"),
      chargeType: header.index("ChargeType"),
      pricingModel: header.index("PricingModel"),
      meterCategory: header.index("MeterCategory"),
      serviceFamily: header.index("ServiceFamily"),
      meterName: header.index("MeterName"),
      region: header.index("ResourceLocation"),
      resourceID: header.index("ResourceId", "InstanceName", "InstanceId"),
      resourceType: header.index("ResourceType"),
      sku: header.index("ProductId", "MeterId"),
      quantity: header.index("Quantity", "UsageQuantity"),
      unit: header.index("UnitOfMeasure"),
      currency: try required("BillingCurrency", "BillingCurrencyCode", "Currency"),
      cost: try required("CostInBillingCurrency", "Cost", "PreTaxCost"),
      paygCost: header.index("paygCostInBillingCurrency"),
      benefitID: header.index("benefitId"),
      reservationID: header.index("ReservationId"),
      tags: header.index("Tags"))
    keptColumns = keptMask(width: header.names.count, columns: c.all)
    formatVersion = AzureCostMapper.version(of: header, agreement: agreement)
    provider = stable.store("Microsoft")
  }

  /// The schema version the columns imply (docs/formats.md): EA `c360` (the portal and
  /// export format with `Cost` and `BillingCurrency`), `2021-10-01` (`CostInBillingCurrency`
  /// with `benefitId`), `2019-10-01` (without); MCA `2021-10-01` or `2019-11-01` likewise;
  /// the pre-2019 usage format `pre-2019`.
  static func version(of header: Header, agreement: Agreement) -> String {
    switch agreement {
    case .legacy: return "pre-2019"
    case .enterpriseAgreement:
      if header.has("Cost") && !header.has("CostInBillingCurrency") { return "c360" }
      return header.has("benefitId") ? "2021-10-01" : "2019-10-01"
    case .customerAgreement:
      return header.has("benefitId") ? "2021-10-01" : "2019-11-01"
    }
  }

  /// The billing account whose actual and amortized datasets pair: `azure-ea:8611537`.
  func sourceName(_ fields: RecordFields) -> String {
    "\(format):\(String(decoding: fields.text(c.billingAccount), as: UTF8.self))"
  }

  var datasetEvidence: DatasetEvidence? { evidence }

  mutating func map(_ f: RecordFields, into line: inout CostLine, writer: CostLineWriter)
    throws(InputError)
  {
    line.provider = provider
    line.billingAccountID = f.text(c.billingAccount)
    guard !line.billingAccountID.isEmpty else {
      throw InputError(
        "expected a billing account id, found an empty field", at: f.location(c.billingAccount))
    }
    line.billingAccountName = f.text(c.billingAccountName)
    line.subAccountID = f.text(c.subscription)
    line.subAccountName = f.text(c.subscriptionName)

    let day = try azureDate(f, c.date, required: true) ?? Timestamp(secondsSinceEpoch: 0)
    line.chargePeriodStart = day
    line.chargePeriodEnd = Timestamp(secondsSinceEpoch: day.secondsSinceEpoch + 86_400)
    if let start = try azureDate(f, c.billingPeriodStart, required: false) {
      line.billingPeriodStart = start
      // The inclusive end: read so that a malformed one is reported; it must not precede the
      // start (FOCUS's exclusive end is this date plus one day).
      if let end = try azureDate(f, c.billingPeriodEnd, required: false), end < start {
        throw InputError(
          "the billing period ends before it starts", at: f.location(c.billingPeriodEnd))
      }
    } else {
      line.billingPeriodStart = day.month.start
    }

    let chargeType = f.text(c.chargeType)
    let pricingModel = PricingModel(f.text(c.pricingModel))
    line.lineItemType = chargeType
    line.serviceName = f.text(c.meterCategory)
    line.serviceCategory = f.text(c.serviceFamily)
    line.usageType = f.text(c.meterName)
    line.regionID = f.text(c.region)
    line.resourceID = f.text(c.resourceID)
    line.resourceType = f.text(c.resourceType)
    line.skuID = f.text(c.sku)
    line.consumedQuantity = try f.quantity(c.quantity)
    line.consumedUnit = f.text(c.unit)
    line.billingCurrency = f.text(c.currency)
    guard !line.billingCurrency.isEmpty else {
      throw InputError(
        "expected a currency code, found an empty field", at: f.location(c.currency))
    }

    let cost = try f.requiredMoney(c.cost)
    line.billedCost = cost
    line.effectiveCost = cost
    line.listCost = try f.optionalMoney(c.paygCost) ?? cost
    line.contractedCost = cost

    let kind = try ChargeKind(chargeType, f, c.chargeType)
    line.chargeCategory = kind.category
    if kind == .refund { line.chargeClass = bytes("Correction") }
    switch pricingModel {
    case .onDemand: line.pricingCategory = bytes("Standard")
    case .spot: line.pricingCategory = bytes("Dynamic")
    case .reservation, .savingsPlan: line.pricingCategory = bytes("Committed")
    case .other: break
    }
    let commitment = f.text(c.benefitID).isEmpty ? f.text(c.reservationID) : f.text(c.benefitID)
    if !commitment.isEmpty && (pricingModel.isCommitment || kind.isUnusedCommitment) {
      line.commitmentDiscountID = commitment
      let savingsPlan = pricingModel == .savingsPlan || kind == .unusedSavingsPlan
      line.commitmentDiscountType = savingsPlan ? bytes("Savings Plan") : bytes("Reservation")
      line.commitmentDiscountCategory = savingsPlan ? bytes("Spend") : bytes("Usage")
    }
    if kind.isUnusedCommitment {
      line.commitmentDiscountStatus = bytes("Unused")
    } else if kind == .usage && pricingModel.isCommitment {
      line.commitmentDiscountStatus = bytes("Used")
    }
    evidence.observe(
      kind: kind, commitment: pricingModel.isCommitment, zeroCost: cost.nanos == 0,
      location: f.location(c.cost))

    let tagBytes = f.text(c.tags)
    if let id = tagSets.cachedID(for: tagBytes) {
      line.tagSetID = id
      return
    }
    let pairs: [(key: String, value: String)]
    do throws(FlatJSONObject.ParseError) {
      pairs = try FlatJSONObject.parse(tagBytes, bracesOptional: true)
    } catch {
      var location = f.location(c.tags)
      location.columnName = location.columnName.map { "\($0), character \(error.offset + 1)" }
      throw InputError("bad JSON in the tags: \(error.message)", at: location)
    }
    line.tagSetID = try tagSets.store(pairs, writer: writer, at: f.location(c.tags))
    tagSets.remember(line.tagSetID, for: tagBytes)
  }

  /// A date column: `MM/DD/YYYY` (also without zero padding) or ISO 8601; nil when empty and
  /// not required.
  private func azureDate(_ f: RecordFields, _ column: Int?, required: Bool) throws(InputError)
    -> Timestamp?
  {
    guard let column else { return nil }
    let text = f.text(column)
    if text.isEmpty && !required { return nil }
    if let date = Timestamp(parsingUSDate: text) ?? Timestamp(parsing: text) { return date }
    let found =
      text.isEmpty ? "an empty field" : "\"\(String(decoding: text.prefix(40), as: UTF8.self))\""
    throw InputError(
      "expected a date such as 09/30/2023 or 2023-09-30, found \(found)", at: f.location(column))
  }

  private func bytes(_ text: StaticString) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
  }
}

/// `PricingModel` values.
private enum PricingModel {
  case onDemand, spot, reservation, savingsPlan, other

  init(_ bytes: UnsafeRawBufferPointer) {
    if equalsIgnoringASCIICase(bytes, "OnDemand") || equalsIgnoringASCIICase(bytes, "On Demand") {
      self = .onDemand
    } else if equalsIgnoringASCIICase(bytes, "Spot") {
      self = .spot
    } else if equalsIgnoringASCIICase(bytes, "Reservation") {
      self = .reservation
    } else if equalsIgnoringASCIICase(bytes, "SavingsPlan")
      || equalsIgnoringASCIICase(bytes, "Savings Plan")
    {
      self = .savingsPlan
    } else {
      self = .other
    }
  }

  var isCommitment: Bool { self == .reservation || self == .savingsPlan }
}

/// `ChargeType` values and their FOCUS charge category (docs/formats.md, from Microsoft's
/// FOCUS mapping): Unused* is usage of a commitment nobody used, Refund a correcting credit.
enum ChargeKind {
  case usage, purchase, tax, refund, unusedReservation, unusedSavingsPlan, roundingAdjustment

  static let names: [(String, ChargeKind)] = [
    ("Usage", .usage), ("Purchase", .purchase), ("Tax", .tax), ("Refund", .refund),
    ("UnusedReservation", .unusedReservation), ("UnusedSavingsPlan", .unusedSavingsPlan),
    ("RoundingAdjustment", .roundingAdjustment),
  ]

  /// Reads a `ChargeType`; an empty one (pre-2019 files have none) is usage.
  init(_ bytes: UnsafeRawBufferPointer, _ f: RecordFields, _ column: Int?) throws(InputError) {
    if bytes.isEmpty {
      self = .usage
      return
    }
    guard let found = ChargeKind.names.first(where: { equalsIgnoringASCIICase(bytes, $0.0) })
    else {
      let text = String(decoding: bytes.prefix(40), as: UTF8.self)
      throw InputError(
        "expected a charge type (\(ChargeKind.names.map(\.0).joined(separator: ", "))), "
          + "found \"\(text)\"", at: f.location(column))
    }
    self = found.1
  }

  var category: ChargeCategory {
    switch self {
    case .usage, .unusedReservation, .unusedSavingsPlan: .usage
    case .purchase: .purchase
    case .tax: .tax
    case .refund: .credit
    case .roundingAdjustment: .adjustment
    }
  }

  var isUnusedCommitment: Bool { self == .unusedReservation || self == .unusedSavingsPlan }
}

/// Which of Azure's two datasets the records of a delivery belong to, from the rows whose cost
/// differs between them (docs/formats.md):
///
/// - amortized only: `UnusedReservation` / `UnusedSavingsPlan` rows, and usage covered by a
///   reservation or savings plan with a non-zero cost;
/// - actual only: usage covered by a commitment at cost 0, and commitment purchases with a cost.
///
/// A delivery with neither has no commitment rows, so its actual and amortized costs are the
/// same; a delivery with both is rejected.
struct DatasetEvidence: Sendable {
  /// The two datasets.
  enum Dataset: String, Sendable {
    case actual, amortized

    /// The other one.
    var other: Dataset { self == .actual ? .amortized : .actual }
  }

  /// The first record that shows the actual dataset, and why.
  var actual: (location: SourceLocation, reason: String)?
  /// The first record that shows the amortized dataset, and why.
  var amortized: (location: SourceLocation, reason: String)?

  mutating func observe(
    kind: ChargeKind, commitment: Bool, zeroCost: Bool, location: SourceLocation
  ) {
    if kind.isUnusedCommitment {
      if amortized == nil {
        amortized = (location, "unused commitment is in the amortized dataset only")
      }
    } else if kind == .usage && commitment {
      if zeroCost {
        if actual == nil {
          actual = (location, "usage covered by a commitment costs 0 in the actual dataset")
        }
      } else if amortized == nil {
        amortized = (
          location, "usage covered by a commitment has a cost in the amortized dataset only"
        )
      }
    } else if kind == .purchase && commitment && !zeroCost {
      if actual == nil {
        actual = (location, "a commitment purchase has a cost in the actual dataset only")
      }
    }
  }

  /// Combines the evidence of another file of the same delivery.
  mutating func merge(_ other: DatasetEvidence) {
    if actual == nil { actual = other.actual }
    if amortized == nil { amortized = other.amortized }
  }

  /// The dataset the records show; nil when they show neither.
  /// - Throws: ``InputError`` when they show both.
  func dataset() throws(InputError) -> Dataset? {
    switch (actual, amortized) {
    case let (actual?, amortized?):
      throw InputError(
        "this delivery mixes Azure's actual and amortized datasets: \(actual.location): "
          + "\(actual.reason), but \(amortized.location): \(amortized.reason)",
        at: amortized.location)
    case (.some, nil): return .actual
    case (nil, .some): return .amortized
    case (nil, nil): return nil
    }
  }
}

extension Timestamp {
  /// Parses a US date, `MM/DD/YYYY` or `M/D/YYYY`, as midnight UTC; nil for anything else.
  init?(parsingUSDate bytes: UnsafeRawBufferPointer) {
    var parts: [Int] = []
    var value = 0
    var digits = 0
    for byte in bytes {
      if byte >= 0x30 && byte <= 0x39 {
        value = value * 10 + Int(byte - 0x30)
        digits += 1
        guard digits <= 4 else { return nil }
      } else if byte == UInt8(ascii: "/") && digits > 0 && parts.count < 2 {
        parts.append(value)
        value = 0
        digits = 0
      } else {
        return nil
      }
    }
    guard parts.count == 2, digits == 4 else { return nil }
    let (month, day, year) = (parts[0], parts[1], value)
    guard (1...12).contains(month), (1...31).contains(day) else { return nil }
    self.init(year: year, month: month, day: day)
  }
}
