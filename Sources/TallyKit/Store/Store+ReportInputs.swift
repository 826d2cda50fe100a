/// A current import's share of one month: what the report's data-quality section lists.
public struct MonthImport: Sendable, Hashable {
  /// The file (or manifest) as named when it was imported.
  public var path: String
  /// `focus`, `aws-cur`, …
  public var format: String
  /// Cost lines of this import in the month.
  public var lineCount: Int
  /// The currencies of those lines, sorted.
  public var currencies: [String]
}

/// Cost of one day (UTC, by when the charge started) in one currency.
public struct DailyCost: Sendable, Equatable {
  /// Days since 1970-01-01.
  public var day: Int64
  /// The billing currency.
  public var currency: String
  /// Billed and effective cost.
  public var cost: CostPair
}

extension Store {
  /// The current (not superseded) imports holding lines of `month`, ordered by path and id, and
  /// the billed and effective cost of those lines per day their charge period starts and
  /// currency, oldest first: one pass over the month's lines gives both.
  public func monthLines(in month: BillingMonth) throws -> (
    imports: [MonthImport], daily: [DailyCost]
  ) {
    let statement = try connection.prepare(
      """
      SELECT i.id, i.path, i.format, c.charge_period_start / 86400 AS day, c.billing_currency,
        count(*), sum(c.billed_cost), sum(c.effective_cost)
      FROM imports i CROSS JOIN detailed_cost_lines c
        ON c.id BETWEEN i.first_line_id AND i.last_line_id
      WHERE i.replaced_by IS NULL
        AND i.id IN (SELECT import_id FROM import_totals WHERE billing_period = ?1)
        AND c.billing_period = ?1
      GROUP BY i.id, day, c.billing_currency
      """)
    statement.bind(month.description, at: 1)
    var imports: [Int64: MonthImport] = [:]
    var daily: [DailyCost] = []
    var dayIndex: [String: Int] = [:]
    while try statement.step() {
      let id = statement.int64(at: 0)
      let currency = statement.text(at: 4)
      var entry =
        imports[id]
        ?? MonthImport(
          path: statement.text(at: 1), format: statement.text(at: 2), lineCount: 0,
          currencies: [])
      entry.lineCount += Int(statement.int64(at: 5))
      if !entry.currencies.contains(currency) {
        entry.currencies = (entry.currencies + [currency]).sorted()
      }
      imports[id] = entry
      let day = statement.int64(at: 3)
      let cost = CostPair(
        billed: Money(nanos: statement.int64(at: 6)),
        effective: Money(nanos: statement.int64(at: 7)))
      if let index = dayIndex["\(day) \(currency)"] {
        daily[index].cost = CostPair(
          billed: try daily[index].cost.billed.adding(cost.billed),
          effective: try daily[index].cost.effective.adding(cost.effective))
      } else {
        dayIndex["\(day) \(currency)"] = daily.count
        daily.append(DailyCost(day: day, currency: currency, cost: cost))
      }
    }
    return (
      imports.sorted { ($0.value.path, $0.key) < ($1.value.path, $1.key) }.map(\.value),
      daily.sorted { ($0.day, $0.currency) < ($1.day, $1.currency) }
    )
  }
}
