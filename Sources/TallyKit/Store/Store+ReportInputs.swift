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
  ///
  /// Each import's lines are read as its rowid range and summed in memory by day and line
  /// detail (the currency is the detail's): SQL `GROUP BY` would sort every line first, which
  /// took half a second per 800,000 lines.
  public func monthLines(in month: BillingMonth) throws -> (
    imports: [MonthImport], daily: [DailyCost]
  ) {
    let currentImports = try connection.prepare(
      """
      SELECT id, path, format, first_line_id, last_line_id FROM imports
      WHERE replaced_by IS NULL AND first_line_id IS NOT NULL
        AND id IN (SELECT import_id FROM import_totals WHERE billing_period = ?)
      """)
    currentImports.bind(month.description, at: 1)
    let lines = try connection.prepare(
      """
      SELECT charge_period_start / 86400, detail, billed_cost, effective_cost FROM cost_lines
      WHERE id BETWEEN ? AND ? AND billing_period = ?
      """)
    let detailCurrency = try connection.prepare(
      "SELECT billing_currency FROM line_details WHERE id = ?")
    var currencies: [Int64: String] = [:]
    func currency(ofDetail detail: Int64) throws -> String {
      if let known = currencies[detail] { return known }
      detailCurrency.bind(detail, at: 1)
      defer { detailCurrency.reset() }
      let found = try detailCurrency.step() ? detailCurrency.text(at: 0) : ""
      currencies[detail] = found
      return found
    }

    var imports: [(id: Int64, entry: MonthImport)] = []
    var daily: [DayAndCurrency: CostPair] = [:]
    while try currentImports.step() {
      lines.bind(currentImports.int64(at: 3), at: 1)
      lines.bind(currentImports.int64(at: 4), at: 2)
      lines.bind(month.description, at: 3)
      var sums: [DayAndDetail: (lines: Int, cost: CostPair)] = [:]
      while try lines.step() {
        let key = DayAndDetail(day: lines.int64(at: 0), detail: lines.int64(at: 1))
        var sum = sums[key] ?? (0, CostPair(billed: .zero, effective: .zero))
        sum.lines += 1
        sum.cost = CostPair(
          billed: try sum.cost.billed.adding(Money(nanos: lines.int64(at: 2))),
          effective: try sum.cost.effective.adding(Money(nanos: lines.int64(at: 3))))
        sums[key] = sum
      }
      lines.reset()
      guard !sums.isEmpty else { continue }
      var entry = MonthImport(
        path: currentImports.text(at: 1), format: currentImports.text(at: 2), lineCount: 0,
        currencies: [])
      for (key, sum) in sums {
        let currency = try currency(ofDetail: key.detail)
        entry.lineCount += sum.lines
        if !entry.currencies.contains(currency) { entry.currencies.append(currency) }
        let day = DayAndCurrency(day: key.day, currency: currency)
        let before = daily[day] ?? CostPair(billed: .zero, effective: .zero)
        daily[day] = CostPair(
          billed: try before.billed.adding(sum.cost.billed),
          effective: try before.effective.adding(sum.cost.effective))
      }
      entry.currencies.sort()
      imports.append((currentImports.int64(at: 0), entry))
    }
    return (
      imports.sorted { ($0.entry.path, $0.id) < ($1.entry.path, $1.id) }.map(\.entry),
      daily.map { DailyCost(day: $0.key.day, currency: $0.key.currency, cost: $0.value) }
        .sorted { ($0.day, $0.currency) < ($1.day, $1.currency) }
    )
  }
}

/// A day (since 1970-01-01) and a line detail id.
private struct DayAndDetail: Hashable {
  var day: Int64
  var detail: Int64
}

/// A day (since 1970-01-01) and a currency.
private struct DayAndCurrency: Hashable {
  var day: Int64
  var currency: String
}
