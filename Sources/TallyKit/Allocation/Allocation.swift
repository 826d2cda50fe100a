/// The allocation of one month: every amount with the step that produced it. For each currency
/// and cost basis the entries add up exactly to the month's line costs.
public struct Allocation: Sendable {
  /// The allocated amounts, aggregated by team, step, source, account and service.
  public var entries: [AllocationEntry] = []
  /// The resources of lines that reached a team without a valid team tag.
  public var resources: [ResourceCharge] = []
  /// What each shared pool was made of, by account and service.
  public var poolParts: [PoolPart] = []
  /// The unallocated bucket by resource: per currency and basis it adds up to the entries of
  /// team nil.
  public var unallocated: [UnallocatedCharge] = []
  /// Σ of the month's line costs per currency: what the entries add up to.
  public var lineTotals: [String: CostTotals] = [:]

  /// Creates an empty allocation.
  public init() {}
}

/// The step of the waterfall that produced an amount.
public enum AllocationStep: String, Sendable, CaseIterable {
  /// The line's own team tag (`source`: where the tag came from, e.g. `bill`).
  case tag
  /// A credit without a team tag that follows the resource it belongs to.
  case resource
  /// A first-match rule (`source`: the rule's name).
  case rule
  /// A share of a shared pool (`source`: the pool's name).
  case shared
  /// The unallocated bucket (`source`: the pool or treatment that left it there, or empty).
  case unallocated

  /// Whether the step's amounts are a team's direct cost (tags, resources and rules).
  public var isDirect: Bool { self == .tag || self == .resource || self == .rule }
}

/// An allocated amount in one currency and cost basis.
public struct AllocationEntry: Sendable, Hashable {
  /// The billing currency.
  public var currency: String
  /// The cost basis.
  public var basis: CostBasis
  /// The team; nil is the unallocated bucket.
  public var team: String?
  /// The step that produced it.
  public var step: AllocationStep
  /// The tag's origin, the rule's or the pool's name; empty when none applies.
  public var source: String
  /// The usage account's row id; nil for pool shares, which are not broken down.
  public var account: Int64?
  /// The service's row id; nil for pool shares and lines without a service.
  public var service: Int64?
  /// `missing`, `invalid` or `conflict` when the lines had no valid team tag.
  public var tagStatus: String?
  /// The amount.
  public var amount: Money
  /// How a pool share was computed.
  public var share: PoolShare?

  /// Creates an entry.
  public init(
    currency: String, basis: CostBasis, team: String?, step: AllocationStep, source: String,
    account: Int64? = nil, service: Int64? = nil, tagStatus: String? = nil, amount: Money,
    share: PoolShare? = nil
  ) {
    self.currency = currency
    self.basis = basis
    self.team = team
    self.step = step
    self.source = source
    self.account = account
    self.service = service
    self.tagStatus = tagStatus
    self.amount = amount
    self.share = share
  }
}

/// Why a team got the share of a pool it got: share = pool total × weight / weight total.
public struct PoolShare: Sendable, Hashable {
  /// How the pool was split.
  public var method: ShareMethod
  /// The team's weight: its direct cost in nanos (proportional), 1 (even) or its percentage in
  /// nanos (fixed).
  public var weight: Int64
  /// Σ of the weights.
  public var weightTotal: Int64
  /// The pool's amount in this currency and basis.
  public var poolTotal: Money

  /// Creates a share.
  public init(method: ShareMethod, weight: Int64, weightTotal: Int64, poolTotal: Money) {
    self.method = method
    self.weight = weight
    self.weightTotal = weightTotal
    self.poolTotal = poolTotal
  }
}

/// How a pool share was computed.
public enum ShareMethod: String, Sendable, CaseIterable {
  /// In proportion to the team's direct cost.
  case proportional
  /// Equally among the targets.
  case even
  /// A fixed percentage.
  case fixed
  /// Equally, because no target had direct cost for a proportional split.
  case evenFallback = "even_fallback"
}

/// The part of a resource's cost that reached a team without a valid team tag.
public struct ResourceCharge: Sendable, Hashable {
  /// The billing currency.
  public var currency: String
  /// The cost basis.
  public var basis: CostBasis
  /// The team that carries it.
  public var team: String
  /// The resource's row id.
  public var resource: Int64
  /// `missing`, `invalid` or `conflict`.
  public var tagStatus: String
  /// The step that gave it to the team (`rule` or `resource`).
  public var step: AllocationStep
  /// The rule's name, for `rule`.
  public var source: String
  /// The amount.
  public var amount: Money

  /// Creates a charge.
  public init(
    currency: String, basis: CostBasis, team: String, resource: Int64, tagStatus: String,
    step: AllocationStep, source: String, amount: Money
  ) {
    self.currency = currency
    self.basis = basis
    self.team = team
    self.resource = resource
    self.tagStatus = tagStatus
    self.step = step
    self.source = source
    self.amount = amount
  }
}

/// The cost one account and service put into a shared pool.
public struct PoolPart: Sendable, Hashable {
  /// The billing currency.
  public var currency: String
  /// The cost basis.
  public var basis: CostBasis
  /// The pool's name.
  public var pool: String
  /// The usage account's row id.
  public var account: Int64
  /// The service's row id.
  public var service: Int64?
  /// The amount.
  public var amount: Money

  /// Creates a part.
  public init(
    currency: String, basis: CostBasis, pool: String, account: Int64, service: Int64?,
    amount: Money
  ) {
    self.currency = currency
    self.basis = basis
    self.pool = pool
    self.account = account
    self.service = service
    self.amount = amount
  }
}

/// Part of the unallocated bucket: one resource's cost, the cost of the lines without a
/// resource id of one account and service, or a shared pool that had no team to split over.
public struct UnallocatedCharge: Sendable, Hashable {
  /// The billing currency.
  public var currency: String
  /// The cost basis.
  public var basis: CostBasis
  /// The resource's row id; nil for lines without one and for a pool.
  public var resource: Int64?
  /// The usage account's row id; nil for a pool.
  public var account: Int64?
  /// The service's row id; nil for lines without a service and for a pool.
  public var service: Int64?
  /// As ``AllocationEntry/source``: empty, `credits`, or the pool's name.
  public var source: String
  /// The amount.
  public var amount: Money

  /// Creates a charge.
  public init(
    currency: String, basis: CostBasis, resource: Int64?, account: Int64?, service: Int64?,
    source: String, amount: Money
  ) {
    self.currency = currency
    self.basis = basis
    self.resource = resource
    self.account = account
    self.service = service
    self.source = source
    self.amount = amount
  }
}
