/// `tally summary`: what is in the store, per month and currency.
public struct SummaryOutput: Encodable, Sendable {
  /// One month and currency.
  public struct Month: Encodable, Sendable {
    /// `YYYY-MM`.
    public var month: String
    /// ISO 4217 code.
    public var currency: String
    /// Number of cost lines.
    public var lines: Int
    /// Σ billed cost, decimal string.
    public var billedCost: String
    /// Σ effective (amortised) cost.
    public var effectiveCost: String
    /// Σ list cost.
    public var listCost: String
    /// Σ contracted cost.
    public var contractedCost: String

    enum CodingKeys: String, CodingKey {
      case month, currency, lines
      case billedCost = "billed_cost"
      case effectiveCost = "effective_cost"
      case listCost = "list_cost"
      case contractedCost = "contracted_cost"
    }
  }

  /// Every month and currency, oldest first.
  public var months: [Month]

  /// Builds the summary from the store's month totals.
  public init(_ totals: [PeriodTotals]) {
    months = totals.map {
      Month(
        month: $0.month.description, currency: $0.currency, lines: $0.rowCount,
        billedCost: $0.totals.billed.description, effectiveCost: $0.totals.effective.description,
        listCost: $0.totals.list.description, contractedCost: $0.totals.contracted.description)
    }
  }

  /// The summary in `format`. Table amounts are rounded to cents; JSON and CSV keep every digit.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json:
      return try renderJSON(self)
    case .csv:
      return table(amount: { $0 }).renderedAsCSV()
    case .table:
      guard !months.isEmpty else {
        return "The store is empty: import a bill with `tally import PATH`.\n"
      }
      return table(amount: { text in
        (try? Money(parsing: text).formatted(fractionDigits: 2)) ?? text
      }).renderedAsText()
    }
  }

  private func table(amount: (String) -> String) -> ResultTable {
    ResultTable(
      columns: [
        "month", "currency", "lines", "billed_cost", "effective_cost", "list_cost",
        "contracted_cost",
      ],
      numeric: [2, 3, 4, 5, 6],
      rows: months.map {
        [
          $0.month, $0.currency, String($0.lines), amount($0.billedCost), amount($0.effectiveCost),
          amount($0.listCost), amount($0.contractedCost),
        ]
      })
  }
}
