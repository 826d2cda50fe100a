/// The `commitments` section of `tally.yaml`.
public struct CommitmentsConfiguration: Sendable, Equatable {
  /// Days of hourly usage the recommendations look back over (7, 30 or 60).
  public var lookbackDays = 30

  /// The defaults.
  public init() {}

  static let keys = ["lookback_days"]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: CommitmentsConfiguration.keys)
    lookbackDays = try mapping["lookback_days"]?.int(in: 1...366) ?? lookbackDays
  }
}
