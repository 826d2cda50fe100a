/// What a month's cost is broken down by in the finance summary.
public enum CostDimension: Sendable {
  /// The service.
  case service
  /// The usage account (the sub-account; the billing account when there is none).
  case account
}

/// A month's effective cost in one currency for one service or usage account.
public struct CostShare: Sendable, Hashable {
  /// The billing currency.
  public var currency: String
  /// The service name or the account id ("" for lines that name no service).
  public var name: String
  /// The account's display name, when the bill gives one ("" otherwise and for services).
  public var label: String
  /// Σ effective cost.
  public var effective: Money
}

extension Store {
  /// A month's effective cost per currency and service or usage account, read from the line
  /// groups of its current imports (tens of thousands of rows, not millions of lines), ordered
  /// by currency, then costliest first.
  ///
  /// - Returns: nil when those groups do not add up to the totals the imports read from their
  ///   files, per currency: groups of imports made before schema version 8 are recorded again
  ///   only when the policy or allocation stage next reads the month.
  public func costShares(by dimension: CostDimension, in month: BillingMonth) throws
    -> [CostShare]?
  {
    let current = "g.import_id IN (SELECT import_id FROM import_totals WHERE billing_period = ?1)"
    let sql =
      switch dimension {
      case .service:
        """
        SELECT g.billing_currency, coalesce(s.name, ''), '', sum(g.effective_cost)
        FROM line_groups g LEFT JOIN services s ON s.id = g.service
        WHERE g.billing_period = ?1 AND \(current) GROUP BY 1, 2
        """
      case .account:
        """
        SELECT g.billing_currency, a.account_id, coalesce(a.name, ''), sum(g.effective_cost)
        FROM line_groups g JOIN accounts a ON a.id = g.account
        WHERE g.billing_period = ?1 AND \(current) GROUP BY g.billing_currency, g.account
        """
      }
    let statement = try connection.prepare(sql)
    statement.bind(month.description, at: 1)
    var shares: [CostShare] = []
    while try statement.step() {
      shares.append(
        CostShare(
          currency: statement.text(at: 0), name: statement.text(at: 1),
          label: statement.text(at: 2), effective: Money(nanos: statement.int64(at: 3))))
    }
    let imported = try importedTotals(of: month)
    let byCurrency = Dictionary(grouping: shares, by: \.currency)
    guard Set(byCurrency.keys) == Set(imported.keys) else { return nil }
    for (currency, rows) in byCurrency
    where try Money.sum(rows.map(\.effective)) != imported[currency]?.effective {
      return nil
    }
    return shares.sorted { left, right in
      if left.currency != right.currency { return left.currency < right.currency }
      if left.effective != right.effective { return left.effective > right.effective }
      return left.name < right.name
    }
  }
}
