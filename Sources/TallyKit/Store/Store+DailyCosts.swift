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
  /// The billed and effective cost of `month`'s lines in current (not superseded) imports per
  /// day their charge period starts and currency, oldest first.
  public func dailyCosts(in month: BillingMonth) throws(SQLiteError) -> [DailyCost] {
    let statement = try connection.prepare(
      """
      SELECT c.charge_period_start / 86400 AS day, c.billing_currency, sum(c.billed_cost),
        sum(c.effective_cost)
      FROM cost_lines c JOIN imports i ON i.id = c.import_id
      WHERE c.billing_period = ? AND i.replaced_by IS NULL
      GROUP BY day, c.billing_currency ORDER BY day, c.billing_currency
      """)
    statement.bind(month.description, at: 1)
    var result: [DailyCost] = []
    while try statement.step() {
      result.append(
        DailyCost(
          day: statement.int64(at: 0), currency: statement.text(at: 1),
          cost: CostPair(
            billed: Money(nanos: statement.int64(at: 2)),
            effective: Money(nanos: statement.int64(at: 3)))))
    }
    return result
  }
}
