/// Everything `tally recommend` shows: what to buy, what is owned, and when it ends.
public struct CommitmentReport: Sendable {
  /// The look-back asked for, in days.
  public var lookbackDays: Int
  /// The term and payment option asked for.
  public var term: CommitmentTerm
  public var payment: PaymentOption
  /// Usage of commitments ending within this many days after the window counts as on demand.
  public var expiringWithinDays: Int
  /// What to buy, reservations first.
  public var recommendations: [Recommendation] = []
  /// The discounts measured in the bill.
  public var learnedDiscounts: [LearnedDiscount] = []
  /// The commitments owned in the latest month, and when they end.
  public var owned: OwnedCommitments?
  /// Why something was not recommended, and other remarks.
  public var notes: [String] = []
}

/// One commitment to buy.
public struct Recommendation: Sendable {
  public var kind: CommitmentKind
  /// `aws`, `azure`, `gcp`…
  public var provider: String
  public var currency: String
  public var term: CommitmentTerm
  /// The payment option priced (GCP CUDs have no upfront option, so no-upfront there).
  public var payment: PaymentOption
  /// The discount off on-demand: for a savings plan the spend-weighted mean of the rates used.
  public var discount: Double
  /// Where the discount came from.
  public var discountSource: DiscountSource
  /// The source in words, with shares when several were used.
  public var discountNote: String
  /// The hourly commitment, for spend-based commitments (in steps of 0.001).
  public var hourlyCommitment: Money?
  /// The pool and quantity, for reserved instances.
  public var reservation: ReservationTarget?
  /// The estimates at the recommended level.
  public var estimate: CommitmentEstimate
  /// Net savings at 50 %…150 % of the recommended level.
  public var savingsCurve: [CurvePoint]
  /// The hours the recommendation was sized on.
  public var window: HourWindow
  /// The hours the estimates are computed on: the window, or its last three days when the
  /// stale-data guard lowered the recommendation.
  public var basis: HourWindow
  /// Set when the last three days supported less than the whole window.
  public var staleDataGuard: StaleDataGuard?
}

/// A stretch of whole hours.
public struct HourWindow: Sendable, Hashable {
  public var start: Timestamp
  public var end: Timestamp
  /// The number of hours.
  public var hours: Int { Int((end.secondsSinceEpoch - start.secondsSinceEpoch) / 3600) }
}

/// Where a recommendation's discount came from.
public enum DiscountSource: String, Sendable, Codable {
  /// Measured in the bill for the same usage (savings plan rate against on-demand rate,
  /// reservation effective cost against public on-demand cost, FOCUS effective against
  /// contracted cost).
  case bill
  /// The bill's average for the provider, applied to usage the bill shows no rate for.
  case billAverage = "bill-average"
  /// The discount table, as `tally.yaml` set it.
  case config
  /// The built-in discount table.
  case builtIn = "built-in"
  /// Several of the above; the note gives the shares.
  case mixed
}

/// The reservation pool and how much of it to reserve.
public struct ReservationTarget: Sendable {
  public var region: String
  /// The instance family (`m5`), or the instance type of a pool without size flexibility.
  public var family: String
  public var platform: String
  public var tenancy: String
  /// Whether one reservation covers every size of the family.
  public var sizeFlexible: Bool
  /// The quantity in normalised units.
  public var normalizedUnits: Double
  /// The pool's most used size and the quantity as a count of it.
  public var instanceType: String
  public var instances: Double
  /// The pool's smallest size seen and the quantity as a count of it (what AWS shows).
  public var smallestInstanceType: String
  public var smallestInstances: Double
}

/// What a commitment is expected to do, per month of 730 hours, from the basis hours.
public struct CommitmentEstimate: Sendable {
  /// On-demand spend minus the commitment's cost minus the on-demand spend left over.
  public var monthlySavings: Money
  /// The eligible spend at on-demand prices.
  public var monthlyOnDemandCost: Money
  /// What the commitment costs per month, used or not.
  public var monthlyCommitmentCost: Money
  /// Savings over eligible on-demand spend.
  public var savingsRate: Double
  /// The share of the commitment that would be used.
  public var utilization: Double
  /// The share of eligible spend it would cover.
  public var coverage: Double
  /// Months until the upfront payment is earned back (0 without one; nil if never).
  public var breakEvenMonths: Double?
  /// Paid at purchase.
  public var upfrontCost: Money
  /// Paid each month.
  public var recurringMonthlyCost: Money
}

/// One point of the savings curve.
public struct CurvePoint: Sendable {
  /// The level as a share of the recommended one.
  public var fraction: Double
  public var hourlyCommitment: Money?
  public var normalizedUnits: Double?
  public var monthlySavings: Money
  public var utilization: Double
  public var coverage: Double
}

/// The stale-data guard at work: the last three days support less than the whole window.
public struct StaleDataGuard: Sendable {
  public var windowHourlyCommitment: Money?
  public var recentHourlyCommitment: Money?
  public var windowNormalizedUnits: Double?
  public var recentNormalizedUnits: Double?
  public var reason: String
}

/// A discount measured in the bill.
public struct LearnedDiscount: Sendable, Hashable {
  public var provider: String
  public var currency: String
  public var kind: CommitmentKind
  /// The usage it applies to: a rate key (`BoxUsage:c4.xlarge|RunInstances|us-east-1`) or a
  /// reservation pool (`us-east-1 m5 Linux/UNIX Shared`).
  public var key: String
  public var discount: Double
  /// How many lines it was measured on.
  public var lines: Int
  /// `rates` (commitment rate against on-demand rate) or `costs` (effective against
  /// on-demand-equivalent cost).
  public var basis: String
}

/// The commitments owned in one month and the next twelve months of expiries.
public struct OwnedCommitments: Sendable {
  public var month: BillingMonth
  public var commitments: [OwnedCommitment]
  public var expiryCalendar: [ExpiryMonth]
}

/// One owned commitment in a month.
public struct OwnedCommitment: Sendable {
  /// The provider's id (ARN…).
  public var id: String
  public var provider: String
  public var currency: String
  /// As the bill writes it: `Savings Plan`, `Reserved Instance`…
  public var type: String
  /// `Spend` or `Usage`, or "".
  public var category: String
  public var term: String
  public var payment: String
  public var offering: String
  public var end: Timestamp?
  /// The amortised cost of the usage it covered, and of the part that went unused.
  public var usedCost: Money
  public var unusedCost: Money
  /// The on-demand-equivalent cost of the usage it covered.
  public var coveredOnDemandCost: Money
  /// Covered on-demand cost minus what the commitment cost.
  public var netSavings: Money
  /// Used over used plus unused.
  public var utilization: Double
  /// Covered over all eligible on-demand-equivalent spend of the provider and currency.
  public var coverage: Double
}

/// The commitments ending in one month.
public struct ExpiryMonth: Sendable {
  public var month: BillingMonth
  public var currency: String
  /// Their ids.
  public var commitments: [String]
  /// What they cost in the owned month, and the on-demand spend they covered: what returns to
  /// on-demand prices when they end.
  public var monthlyCost: Money
  public var coveredOnDemandCost: Money
}
