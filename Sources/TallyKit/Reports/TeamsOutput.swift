/// `tally teams`: every team's allocation in a month, per currency, with the unallocated bucket
/// only in the totals. For each currency Σ teams.total + totals.unallocated = totals.total,
/// exactly. With a reporting currency, `reporting` repeats the view converted, with its rates.
public struct TeamsOutput: Encodable, Sendable {
  /// One team in one currency.
  public struct Team: Encodable, Sendable, Equatable {
    /// The team.
    public var team: String
    /// ISO 4217 code.
    public var currency: String
    /// Tags, resources and rules.
    public var direct: String
    /// Shares of pools.
    public var shared: String
    /// direct + shared.
    public var total: String
    /// The team's total the month before; null when that month has no allocation.
    public var previousTotal: String?
    /// total − previous_total; null when there is no previous total.
    public var delta: String?

    enum CodingKeys: String, CodingKey {
      case team, currency, direct, shared, total, delta
      case previousTotal = "previous_total"
    }

    /// Writes nulls rather than leaving keys out, so that the shape never changes.
    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(team, forKey: .team)
      try container.encode(currency, forKey: .currency)
      try container.encode(direct, forKey: .direct)
      try container.encode(shared, forKey: .shared)
      try container.encode(total, forKey: .total)
      try container.encode(previousTotal, forKey: .previousTotal)
      try container.encode(delta, forKey: .delta)
    }
  }

  /// One currency's totals.
  public struct Total: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// Σ teams.total.
    public var allocated: String
    /// The unallocated bucket.
    public var unallocated: String
    /// allocated + unallocated = Σ line cost.
    public var total: String
  }

  /// A rate used for the reporting view.
  public struct Rate: Encodable, Sendable, Equatable {
    /// The billing currency.
    public var currency: String
    /// Units of the reporting currency per unit of it.
    public var rate: String
    /// The month it applies to.
    public var month: String
  }

  /// The view converted into the reporting currency.
  public struct Reporting: Encodable, Sendable, Equatable {
    /// The reporting currency.
    public var currency: String
    /// The rates used, this month's and the previous month's.
    public var rates: [Rate]
    /// The teams, one row each.
    public var teams: [Team]
    /// One row.
    public var totals: [Total]
  }

  /// `YYYY-MM`.
  public var month: String
  /// effective, billed or list.
  public var costBasis: String
  /// Teams, per currency, largest first.
  public var teams: [Team]
  /// Per currency.
  public var totals: [Total]
  /// The converted view, when a reporting currency is configured.
  public var reporting: Reporting?
  /// The unallocated bucket's name, for the table.
  private var bucket: String

  enum CodingKeys: String, CodingKey {
    case month, teams, totals, reporting
    case costBasis = "cost_basis"
  }

  /// Builds the view from stored totals.
  ///
  /// - Parameters:
  ///   - current: The month's team totals (the bucket has `team` nil).
  ///   - previous: The previous month's, or nil when it has no allocation.
  ///   - rates: This month's and the previous month's rates, when converting.
  public init(
    month: BillingMonth, basis: CostBasis, bucket: String, current: [TeamTotal],
    previous: [TeamTotal]?, rates: (current: ReportingRates, previous: ReportingRates?)?
  ) throws(MoneyError) {
    self.month = month.description
    costBasis = basis.rawValue
    self.bucket = bucket
    (teams, totals) = try TeamsOutput.rows(current, previous: previous)
    if let rates {
      let converted = try TeamsOutput.converted(current, rates.current)
      let convertedPrevious = try previous.map { previous throws(MoneyError) in
        try rates.previous.map { rates throws(MoneyError) in
          try TeamsOutput.converted(previous, rates)
        } ?? []
      }
      let (teams, totals) = try TeamsOutput.rows(converted, previous: convertedPrevious)
      let used = [rates.current] + (rates.previous.map { [$0] } ?? [])
      reporting = Reporting(
        currency: rates.current.currency,
        rates: used.flatMap { month in
          month.used.map {
            Rate(currency: $0.currency, rate: $0.rate.description, month: month.month.description)
          }
        },
        teams: teams, totals: totals)
    }
  }

  /// Team rows (largest first per currency) and per-currency totals.
  private static func rows(_ current: [TeamTotal], previous: [TeamTotal]?) throws(MoneyError)
    -> ([Team], [Total])
  {
    var previousTotals: [String: [String: Money]] = [:]
    for row in previous ?? [] {
      guard let team = row.team else { continue }
      previousTotals[row.currency, default: [:]][team] = row.total
    }
    var teams: [Team] = []
    var totals: [Total] = []
    let currencies = Set(current.map(\.currency)).sorted()
    for currency in currencies {
      let rows = current.filter { $0.currency == currency }
      let teamRows = rows.filter { $0.team != nil }.sorted {
        $0.total != $1.total ? $0.total > $1.total : ($0.team ?? "") < ($1.team ?? "")
      }
      for row in teamRows {
        let before = previous.map { _ in previousTotals[currency]?[row.team ?? ""] ?? .zero }
        teams.append(
          Team(
            team: row.team ?? "", currency: currency, direct: row.direct.description,
            shared: row.shared.description, total: row.total.description,
            previousTotal: before?.description,
            delta: try before.map { before throws(MoneyError) in
              try row.total.subtracting(before).description
            }))
      }
      let allocated = try Money.sum(teamRows.map(\.total))
      let unallocated = try Money.sum(rows.filter { $0.team == nil }.map(\.total))
      totals.append(
        Total(
          currency: currency, allocated: allocated.description,
          unallocated: unallocated.description,
          total: try allocated.adding(unallocated).description))
    }
    return (teams, totals)
  }

  /// Team totals converted into the reporting currency: direct, shared and the rest of every
  /// team in every currency are converted together, so the converted rows add up.
  private static func converted(_ totals: [TeamTotal], _ rates: ReportingRates)
    throws(MoneyError) -> [TeamTotal]
  {
    struct Key: Hashable {
      var team: String?
      var part: Int
    }
    var amounts: [(key: Key, currency: String, amount: Money)] = []
    for row in totals {
      let rest = try row.total.subtracting(row.direct).subtracting(row.shared)
      amounts.append((Key(team: row.team, part: 0), row.currency, row.direct))
      amounts.append((Key(team: row.team, part: 1), row.currency, row.shared))
      amounts.append((Key(team: row.team, part: 2), row.currency, rest))
    }
    let converted = try rates.convert(amounts)
    let teams = Set(totals.map(\.team))
    return try teams.map { team throws(MoneyError) in
      let direct = converted[Key(team: team, part: 0)] ?? .zero
      let shared = converted[Key(team: team, part: 1)] ?? .zero
      let rest = converted[Key(team: team, part: 2)] ?? .zero
      return TeamTotal(
        team: team, currency: rates.currency, direct: direct, shared: shared,
        total: try direct.adding(shared).adding(rest))
    }
  }

  /// The view in `format`. The table rounds to cents so that its rows add up to its totals.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json:
      return try renderJSON(self)
    case .csv:
      var table = TeamsOutput.csvTable(teams, totals, bucket: bucket)
      if let reporting {
        table.rows += TeamsOutput.csvTable(reporting.teams, reporting.totals, bucket: bucket).rows
      }
      return table.renderedAsCSV()
    case .table:
      guard !totals.isEmpty else { return "No allocation for \(month).\n" }
      var text = "Teams, \(month), \(costBasis) cost\n\n"
      text += try TeamsOutput.textTable(teams, totals, bucket: bucket).renderedAsText()
      if let reporting {
        let rates = reporting.rates.map { "\($0.currency) at \($0.rate) (\($0.month))" }
        text += "\nIn \(reporting.currency)"
        text += rates.isEmpty ? ":\n\n" : ", converted at \(rates.joined(separator: "; ")):\n\n"
        text += try TeamsOutput.textTable(reporting.teams, reporting.totals, bucket: bucket)
          .renderedAsText()
      }
      return text
    }
  }

  private static let columns = [
    "team", "currency", "direct", "shared", "total", "previous_total", "delta",
  ]

  private static func csvTable(_ teams: [Team], _ totals: [Total], bucket: String) -> ResultTable {
    var rows = teams.map {
      [
        "team", $0.team, $0.currency, $0.direct, $0.shared, $0.total, $0.previousTotal ?? "",
        $0.delta ?? "",
      ]
    }
    for total in totals {
      rows.append(["unallocated", bucket, total.currency, "", "", total.unallocated, "", ""])
      rows.append(["total", "", total.currency, "", "", total.total, "", ""])
    }
    return ResultTable(columns: ["kind"] + columns, rows: rows)
  }

  /// Per currency: the teams, the bucket and the total, in cents; each money column's rows add
  /// up to its total.
  private static func textTable(_ teams: [Team], _ totals: [Total], bucket: String) throws
    -> ResultTable
  {
    var table = ResultTable(columns: columns, numeric: [2, 3, 4, 5, 6])
    for currencyTotal in totals {
      let currency = currencyTotal.currency
      let rows = teams.filter { $0.currency == currency }
      func amounts(_ values: [String?]) throws -> [Money] {
        try values.map { try Money(parsing: $0 ?? "0") }
      }
      let direct = try MoneyColumn.centsWithTotal(try amounts(rows.map(\.direct) + ["0"]))
      let shared = try MoneyColumn.centsWithTotal(try amounts(rows.map(\.shared) + ["0"]))
      let total = try MoneyColumn.centsWithTotal(
        try amounts(rows.map(\.total) + [currencyTotal.unallocated]))
      let previous = MoneyColumn.cents(try amounts(rows.map(\.previousTotal)))
      let delta = MoneyColumn.cents(try amounts(rows.map(\.delta)))
      for (index, row) in rows.enumerated() {
        table.rows.append([
          row.team, currency, direct[index], shared[index], total[index],
          row.previousTotal == nil ? "" : previous[index], row.delta == nil ? "" : delta[index],
        ])
      }
      let bucketIndex = rows.count
      table.rows.append([bucket, currency, "", "", total[bucketIndex], "", ""])
      table.rows.append([
        "total", currency, direct[bucketIndex + 1], shared[bucketIndex + 1],
        total[bucketIndex + 1], "", "",
      ])
    }
    return table
  }
}
