/// A month's lines that share everything allocation looks at (tag set, usage account, service,
/// region, charge category, line type, resource and currency), with their costs summed. The
/// allocation works on these groups, never on single lines.
public struct CostGroup: Sendable {
  /// What rule and pool conditions see; `tags` holds the valid canonical tags only.
  public var attributes: LineAttributes
  /// The usage account's row id (`accounts.id`).
  public var account: Int64
  /// The service's row id, if the lines name one.
  public var service: Int64?
  /// The resource's row id, if the lines name one.
  public var resource: Int64?
  /// The billing currency.
  public var currency: String
  /// Σ of the lines' costs.
  public var costs: CostTotals
  /// What the lines' tags say about their team.
  public var teamTag: TeamTag

  /// Creates a group.
  public init(
    attributes: LineAttributes, account: Int64, service: Int64? = nil, resource: Int64? = nil,
    currency: String, costs: CostTotals, teamTag: TeamTag
  ) {
    self.attributes = attributes
    self.account = account
    self.service = service
    self.resource = resource
    self.currency = currency
    self.costs = costs
    self.teamTag = teamTag
  }
}

/// What a tag group's resolved tags say about the allocation key (`allocation.by`).
public enum TeamTag: Sendable, Hashable {
  /// A usable team; `source` is where the tag came from (`bill`, `account_default`, …).
  case valid(team: String, source: String)
  /// No such tag.
  case missing
  /// A value the policy does not allow (or the unallocated bucket's name).
  case invalid
  /// Raw keys folded into the key disagree.
  case conflict

  /// How a line without a valid team tag is described in the lineage; nil for a valid one.
  public var status: String? {
    switch self {
    case .valid: nil
    case .missing: "missing"
    case .invalid: "invalid"
    case .conflict: "conflict"
    }
  }
}

extension CostTotals {
  /// The cost in one allocated basis.
  public subscript(basis: CostBasis) -> Money {
    get {
      switch basis {
      case .billed: billed
      case .effective: effective
      case .list: list
      }
    }
    set {
      switch basis {
      case .billed: billed = newValue
      case .effective: effective = newValue
      case .list: list = newValue
      }
    }
  }

  /// Adds other totals; overflow is an error.
  public mutating func add(_ other: CostTotals) throws(MoneyError) {
    billed = try billed.adding(other.billed)
    effective = try effective.adding(other.effective)
    list = try list.adding(other.list)
    contracted = try contracted.adding(other.contracted)
  }
}
