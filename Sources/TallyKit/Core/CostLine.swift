/// The kind of a charge, as FOCUS defines it.
public enum ChargeCategory: String, Sendable, CaseIterable {
  /// Consumption of a service.
  case usage = "Usage"
  /// A purchase: commitment fees, upfront payments, support plans.
  case purchase = "Purchase"
  /// Tax.
  case tax = "Tax"
  /// A credit or refund.
  case credit = "Credit"
  /// Any other adjustment (rounding, corrections).
  case adjustment = "Adjustment"

  /// The value as static text, which SQLite can be handed without a copy.
  var staticText: StaticString {
    switch self {
    case .usage: "Usage"
    case .purchase: "Purchase"
    case .tax: "Tax"
    case .credit: "Credit"
    case .adjustment: "Adjustment"
    }
  }

  /// Reads a FOCUS value, case-insensitively; nil for anything else.
  init?(bytes: UnsafeRawBufferPointer) {
    guard
      let found = ChargeCategory.allCases.first(where: {
        equalsIgnoringASCIICase(bytes, $0.rawValue)
      })
    else { return nil }
    self = found
  }
}

/// One billing line in the canonical, FOCUS-aligned shape that every format maps onto.
///
/// Text fields borrow bytes from the reader's buffer: a `CostLine` is valid only inside the
/// record callback that produced it, and an empty field means null. Costs are exact nanos.
struct CostLine {
  var provider = UnsafeRawBufferPointer(start: nil, count: 0)
  var billingAccountID = UnsafeRawBufferPointer(start: nil, count: 0)
  var billingAccountName = UnsafeRawBufferPointer(start: nil, count: 0)
  var subAccountID = UnsafeRawBufferPointer(start: nil, count: 0)
  var subAccountName = UnsafeRawBufferPointer(start: nil, count: 0)
  var billingPeriodStart = Timestamp(secondsSinceEpoch: 0)
  var chargePeriodStart = Timestamp(secondsSinceEpoch: 0)
  var chargePeriodEnd = Timestamp(secondsSinceEpoch: 0)
  var chargeCategory = ChargeCategory.usage
  var chargeClass = UnsafeRawBufferPointer(start: nil, count: 0)
  var serviceName = UnsafeRawBufferPointer(start: nil, count: 0)
  var serviceCategory = UnsafeRawBufferPointer(start: nil, count: 0)
  var regionID = UnsafeRawBufferPointer(start: nil, count: 0)
  var resourceID = UnsafeRawBufferPointer(start: nil, count: 0)
  var resourceType = UnsafeRawBufferPointer(start: nil, count: 0)
  var skuID = UnsafeRawBufferPointer(start: nil, count: 0)
  var pricingCategory = UnsafeRawBufferPointer(start: nil, count: 0)
  var commitmentDiscountID = UnsafeRawBufferPointer(start: nil, count: 0)
  var commitmentDiscountType = UnsafeRawBufferPointer(start: nil, count: 0)
  var commitmentDiscountStatus = UnsafeRawBufferPointer(start: nil, count: 0)
  /// `Spend` (savings plans, spend-based CUDs) or `Usage` (reservations, resource CUDs).
  var commitmentDiscountCategory = UnsafeRawBufferPointer(start: nil, count: 0)
  var consumedQuantity: Double?
  var consumedUnit = UnsafeRawBufferPointer(start: nil, count: 0)
  var billingCurrency = UnsafeRawBufferPointer(start: nil, count: 0)
  var billedCost = Money.zero
  var effectiveCost = Money.zero
  var listCost = Money.zero
  var contractedCost = Money.zero
  /// The stored tag set of the line (the empty set when it has no tags).
  var tagSetID: Int64 = 0

  // Provider detail that later stages need (FOCUS `x_` columns).
  var lineItemType = UnsafeRawBufferPointer(start: nil, count: 0)
  var usageType = UnsafeRawBufferPointer(start: nil, count: 0)
  var operation = UnsafeRawBufferPointer(start: nil, count: 0)
  var instanceType = UnsafeRawBufferPointer(start: nil, count: 0)
  var platform = UnsafeRawBufferPointer(start: nil, count: 0)
  var tenancy = UnsafeRawBufferPointer(start: nil, count: 0)
  var normalizationFactor: Double?
  var normalizedUsageAmount: Double?
  /// The commitment's rate for this usage (savings plan rate), nanos per unit.
  var commitmentRate: Money?
  /// The public on-demand price per unit, nanos.
  var listUnitPrice: Money?
  /// When the line's commitment ends, where the export says.
  var commitmentEnd: Timestamp?
  /// The commitment's term (`1yr`), payment option (`No Upfront`) and offering
  /// (`ComputeSavingsPlans`, `standard`), as written.
  var purchaseTerm = UnsafeRawBufferPointer(start: nil, count: 0)
  var paymentOption = UnsafeRawBufferPointer(start: nil, count: 0)
  var offeringType = UnsafeRawBufferPointer(start: nil, count: 0)
}

/// The four cost columns every line carries, summed.
public struct CostTotals: Sendable, Hashable {
  /// Σ billed cost (invoice view).
  public var billed = Money.zero
  /// Σ effective (amortised) cost.
  public var effective = Money.zero
  /// Σ list (public price) cost.
  public var list = Money.zero
  /// Σ contracted (negotiated price) cost.
  public var contracted = Money.zero

  /// Creates totals.
  public init(
    billed: Money = .zero, effective: Money = .zero, list: Money = .zero, contracted: Money = .zero
  ) {
    self.billed = billed
    self.effective = effective
    self.list = list
    self.contracted = contracted
  }

  /// Adds one line's costs; overflow is an error.
  mutating func add(_ line: CostLine) throws(MoneyError) {
    billed = try billed.adding(line.billedCost)
    effective = try effective.adding(line.effectiveCost)
    list = try list.adding(line.listCost)
    contracted = try contracted.adding(line.contractedCost)
  }
}

/// True when `bytes` spell `text` ignoring ASCII case.
func equalsIgnoringASCIICase(_ bytes: UnsafeRawBufferPointer, _ text: String) -> Bool {
  let utf8 = text.utf8
  guard bytes.count == utf8.count else { return false }
  for (byte, other) in zip(bytes, utf8) where byte | 0x20 != other | 0x20 {
    if byte != other { return false }
  }
  return true
}

/// True when `bytes` spell exactly `text`.
func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
  guard bytes.count == text.utf8CodeUnitCount else { return false }
  return sameBytes(
    bytes, UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
}

/// True when `a` and `b` hold the same bytes, compared eight at a time.
func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
  let count = a.count
  guard b.count == count else { return false }
  guard count >= 8 else {
    for offset in 0..<count where a[offset] != b[offset] { return false }
    return true
  }
  var offset = 0
  while offset < count {
    // The last word may overlap the one before it.
    let start = min(offset, count - 8)
    guard
      a.loadUnaligned(fromByteOffset: start, as: UInt64.self)
        == b.loadUnaligned(fromByteOffset: start, as: UInt64.self)
    else { return false }
    offset += 8
  }
  return true
}
