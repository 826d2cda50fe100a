/// Everything `tally recommend` shows: what to buy, what is owned, and when it ends.
public struct CommitmentReport: Sendable, Equatable {
  /// The look-back asked for, in days.
  public var lookbackDays: Int
  /// The term asked for.
  public var term: CommitmentTerm
  /// The payment option asked for.
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
public struct Recommendation: Sendable, Equatable {
  /// What to buy: a savings plan, a flexible CUD or a reserved instance.
  public var kind: CommitmentKind
  /// `aws`, `azure`, `gcp`…
  public var provider: String
  /// The billing currency of every amount in it.
  public var currency: String
  /// The term priced.
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
  /// The first hour's start.
  public var start: Timestamp
  /// The last hour's end.
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
public struct ReservationTarget: Sendable, Equatable {
  /// The region (reservations are regional).
  public var region: String
  /// The instance family (`m5`), or the instance type of a pool without size flexibility.
  public var family: String
  /// `Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`…
  public var platform: String
  /// `Shared` or `Dedicated`.
  public var tenancy: String
  /// Whether one reservation covers every size of the family.
  public var sizeFlexible: Bool
  /// The quantity in normalised units.
  public var normalizedUnits: Double
  /// The pool's most used size.
  public var instanceType: String
  /// The quantity as a count of the most used size (fractional when the units do not divide).
  public var instances: Double
  /// The pool's smallest size seen.
  public var smallestInstanceType: String
  /// The quantity as a count of the smallest size (what AWS shows).
  public var smallestInstances: Double
}

/// What a commitment is expected to do, per month of 730 hours, from the basis hours.
public struct CommitmentEstimate: Sendable, Equatable {
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
public struct CurvePoint: Sendable, Equatable {
  /// The level as a share of the recommended one.
  public var fraction: Double
  /// The hourly commitment at that level (spend-based).
  public var hourlyCommitment: Money?
  /// The normalised units at that level (reservations).
  public var normalizedUnits: Double?
  /// Estimated net savings per month.
  public var monthlySavings: Money
  /// The share of the commitment that would be used.
  public var utilization: Double
  /// The share of eligible spend that would be covered.
  public var coverage: Double
}

/// The stale-data guard at work: the last three days support less than the whole window.
public struct StaleDataGuard: Sendable, Equatable {
  /// What the whole window supported (spend-based).
  public var windowHourlyCommitment: Money?
  /// What the last three days supported (spend-based).
  public var recentHourlyCommitment: Money?
  /// What the whole window supported (reservations).
  public var windowNormalizedUnits: Double?
  /// What the last three days supported (reservations).
  public var recentNormalizedUnits: Double?
  /// Why the lower level is recommended, in words.
  public var reason: String
}

/// A discount measured in the bill.
public struct LearnedDiscount: Sendable, Hashable {
  /// `aws`, `azure`, `gcp`…
  public var provider: String
  /// The currency of the lines it was measured on.
  public var currency: String
  /// The kind of commitment it is a discount of.
  public var kind: CommitmentKind
  /// The usage it applies to: a rate key (`BoxUsage:c4.xlarge|RunInstances|us-east-1`) or a
  /// reservation pool (`us-east-1 m5 Linux/UNIX Shared`).
  public var key: String
  /// The discount off on-demand.
  public var discount: Double
  /// How many lines it was measured on.
  public var lines: Int
  /// `rates` (commitment rate against on-demand rate) or `costs` (effective against
  /// on-demand-equivalent cost).
  public var basis: String
}

/// The commitments owned in one month and the next twelve months of expiries.
public struct OwnedCommitments: Sendable, Equatable {
  /// The month described: the latest with data.
  public var month: BillingMonth
  /// The commitments with lines in that month, soonest end first.
  public var commitments: [OwnedCommitment]
  /// The months of the twelve from `month` in which commitments end.
  public var expiryCalendar: [ExpiryMonth]
}

/// One owned commitment in a month.
public struct OwnedCommitment: Sendable, Equatable {
  /// The provider's id (ARN…).
  public var id: String
  /// `aws`, `azure`, `gcp`…
  public var provider: String
  /// The currency of its lines.
  public var currency: String
  /// As the bill writes it: `Savings Plan`, `Reserved Instance`…
  public var type: String
  /// `Spend` or `Usage`, or "".
  public var category: String
  /// The term as the bill writes it (`1yr`), or "".
  public var term: String
  /// The payment option as the bill writes it (`No Upfront`), or "".
  public var payment: String
  /// The offering as the bill writes it (`ComputeSavingsPlans`, `standard`), or "".
  public var offering: String
  /// When it ends, if the bill says.
  public var end: Timestamp?
  /// The amortised cost of the usage it covered this month.
  public var usedCost: Money
  /// The amortised cost of the part that went unused this month.
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
public struct ExpiryMonth: Sendable, Equatable {
  /// The month their end dates fall in.
  public var month: BillingMonth
  /// The currency of the amounts.
  public var currency: String
  /// Their ids.
  public var commitments: [String]
  /// What they cost in the owned month.
  public var monthlyCost: Money
  /// The on-demand-equivalent spend they covered in the owned month: what returns to
  /// on-demand prices when they end.
  public var coveredOnDemandCost: Money
}
