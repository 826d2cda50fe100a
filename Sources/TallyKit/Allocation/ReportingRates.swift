/// The exchange rates of one month into the reporting currency (`allocation.reporting_currency`
/// and `allocation.exchange_rates`), and conversions that keep every total exact: each
/// currency's amounts are converted together so that they add up to their converted sum.
public struct ReportingRates: Sendable, Equatable {
  /// The reporting currency.
  public var currency: String
  /// The month the rates are for.
  public var month: BillingMonth
  /// Units of the reporting currency per unit of each billing currency (the reporting currency
  /// itself converts at 1).
  public var rates: [String: Money]

  /// The rates `configuration` gives for `currencies` in `month`; nil when no reporting
  /// currency is configured.
  ///
  /// - Throws: ``ConfigurationError`` naming the currency and month that have no rate.
  public init?(
    _ configuration: Configuration, month: BillingMonth, currencies: some Sequence<String>
  ) throws(ConfigurationError) {
    guard let reporting = configuration.allocation.reportingCurrency else { return nil }
    currency = reporting
    self.month = month
    rates = [:]
    for source in Set(currencies) {
      if source == reporting {
        rates[source] = Money(nanos: Money.nanosPerUnit)
        continue
      }
      guard let rate = configuration.allocation.exchangeRates[source]?.rate(for: month) else {
        throw ConfigurationError(
          "allocation.exchange_rates: no rate from \(source) to \(reporting) for \(month)",
          file: configuration.file ?? "tally.yaml")
      }
      rates[source] = rate
    }
  }

  /// Converts keyed amounts in several currencies into the reporting currency and sums them
  /// per key. The results add up exactly to Σ over currencies of each currency's converted sum.
  public func convert<Key: Hashable>(_ amounts: [(key: Key, currency: String, amount: Money)])
    throws(MoneyError) -> [Key: Money]
  {
    var result: [Key: Money] = [:]
    let byCurrency = Dictionary(grouping: amounts.indices) { amounts[$0].currency }
    for (source, indices) in byCurrency {
      guard let rate = rates[source] else {
        preconditionFailure("no rate for \(source): the rates were made for other currencies")
      }
      let converted = try Money.converted(indices.map { amounts[$0].amount }, rate: rate)
      for (index, value) in zip(indices, converted) {
        result[amounts[index].key] = try result[amounts[index].key, default: .zero].adding(value)
      }
    }
    return result
  }

  /// The rates other than the reporting currency's own, by currency, for output.
  public var used: [(currency: String, rate: Money)] {
    rates.filter { $0.key != currency }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }
}
