/// The `allocation` section of `tally.yaml`.
public struct AllocationConfiguration: Sendable, Equatable {
  /// The canonical tag key whose values are teams.
  public var by = "team"
  /// The cost basis allocated: effective (amortised), billed or list.
  public var cost = CostBasis.effective
  /// The name of the bucket for spend no rule reaches.
  public var unallocated = "unallocated"

  /// The defaults.
  public init() {}

  static let keys = ["by", "cost", "unallocated"]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: AllocationConfiguration.keys)
    by = try mapping["by"]?.string() ?? by
    if let cost = mapping["cost"] {
      self.cost =
        CostBasis(rawValue: try cost.choice(CostBasis.allCases.map(\.rawValue))) ?? .effective
    }
    unallocated = try mapping["unallocated"]?.string() ?? unallocated
  }
}

/// Which of a line's costs an amount is measured in.
public enum CostBasis: String, CaseIterable, Sendable, Codable {
  /// Amortised cost: commitment fees spread over the usage they cover.
  case effective
  /// Invoiced cost.
  case billed
  /// Public list price.
  case list
}
