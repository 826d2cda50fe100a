extension Store {
  /// What the store holds: lines and cost totals per month and currency, oldest month first.
  ///
  /// Summed from `import_totals`, which holds each current import's lines and totals per month
  /// and currency and changes with `cost_lines` in the same transactions (an import checks
  /// they agree before it commits): a few rows instead of every line.
  public func monthTotals() throws(SQLiteError) -> [PeriodTotals] {
    let statement = try connection.prepare(
      """
      SELECT billing_period, billing_currency, sum(row_count), sum(billed_cost),
        sum(effective_cost), sum(list_cost), sum(contracted_cost)
      FROM import_totals GROUP BY 1, 2 ORDER BY 1, 2
      """)
    return try periodTotals(statement)
  }

  /// How many imports are current (not superseded by a newer delivery).
  public func currentImportCount() throws(SQLiteError) -> Int {
    Int(try connection.scalarInt64("SELECT count(*) FROM imports WHERE replaced_by IS NULL") ?? 0)
  }
}
