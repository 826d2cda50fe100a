/// `tally allocate`: per month, currency and cost basis, the lines' total against what was
/// allocated to teams and left unallocated — the conservation check finance signs.
public struct AllocateOutput: Encodable, Sendable {
  /// One month, currency and basis.
  public struct Row: Encodable, Sendable, Equatable {
    /// `YYYY-MM`.
    public var month: String
    /// ISO 4217 code.
    public var currency: String
    /// effective, billed or list.
    public var costBasis: String
    /// Σ of the month's line costs.
    public var lineTotal: String
    /// Σ of the teams' amounts.
    public var allocated: String
    /// The unallocated bucket.
    public var unallocated: String
    /// How many teams carry cost.
    public var teams: Int
    /// allocated + unallocated == line_total, exactly.
    public var conserved: Bool

    enum CodingKeys: String, CodingKey {
      case month, currency, allocated, unallocated, teams, conserved
      case costBasis = "cost_basis"
      case lineTotal = "line_total"
    }
  }

  /// Oldest month first.
  public var months: [Row] = []

  /// Creates an empty result.
  public init() {}

  /// Adds a month's allocation.
  public mutating func append(_ allocation: Allocation, month: BillingMonth) throws(MoneyError) {
    for currency in allocation.lineTotals.keys.sorted() {
      for basis in CostBasis.allCases {
        let entries = allocation.entries.filter { $0.currency == currency && $0.basis == basis }
        let allocated = try Money.sum(entries.filter { $0.team != nil }.map(\.amount))
        let unallocated = try Money.sum(entries.filter { $0.team == nil }.map(\.amount))
        let lineTotal = allocation.lineTotals[currency]?[basis] ?? .zero
        months.append(
          Row(
            month: month.description, currency: currency, costBasis: basis.rawValue,
            lineTotal: lineTotal.description, allocated: allocated.description,
            unallocated: unallocated.description,
            teams: Set(entries.compactMap(\.team)).count,
            conserved: try allocated.adding(unallocated) == lineTotal))
      }
    }
  }

  /// Whether every month, currency and basis is conserved.
  public var conserved: Bool { months.allSatisfy(\.conserved) }

  /// The result in `format`; the table rounds to cents.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json: return try renderJSON(self)
    case .csv: return table(amount: { $0 }).renderedAsCSV()
    case .table:
      guard !months.isEmpty else {
        return "Nothing to allocate: every month's stored allocation is current.\n"
      }
      return table(amount: { text in
        (try? Money(parsing: text).formatted(fractionDigits: 2)) ?? text
      }).renderedAsText()
    }
  }

  private func table(amount: (String) -> String) -> ResultTable {
    ResultTable(
      columns: [
        "month", "currency", "cost_basis", "line_total", "allocated", "unallocated", "teams",
        "conserved",
      ],
      numeric: [3, 4, 5, 6],
      rows: months.map {
        [
          $0.month, $0.currency, $0.costBasis, amount($0.lineTotal), amount($0.allocated),
          amount($0.unallocated), String($0.teams), $0.conserved ? "yes" : "NO",
        ]
      })
  }
}
