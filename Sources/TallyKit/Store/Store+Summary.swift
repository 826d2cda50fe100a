extension Store {
  /// What the store holds: lines and cost totals per month and currency, oldest month first.
  public func monthTotals() throws(SQLiteError) -> [PeriodTotals] {
    let statement = try connection.prepare(
      """
      SELECT billing_period, billing_currency, count(*), sum(billed_cost), sum(effective_cost),
        sum(list_cost), sum(contracted_cost)
      FROM cost_lines GROUP BY 1, 2 ORDER BY 1, 2
      """)
    return try periodTotals(statement)
  }

  /// How many imports are current (not superseded by a newer delivery).
  public func currentImportCount() throws(SQLiteError) -> Int {
    Int(try connection.scalarInt64("SELECT count(*) FROM imports WHERE replaced_by IS NULL") ?? 0)
  }
}
