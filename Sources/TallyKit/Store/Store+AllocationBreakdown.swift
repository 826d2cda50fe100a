/// A month's stored allocation summed by basis, currency, team, step, source, account and
/// service: what `allocation.csv` and the team pages' services and accounts are made of.
public struct AllocationCell: Sendable, Equatable {
  /// The cost basis.
  public var basis: CostBasis
  /// The billing currency.
  public var currency: String
  /// The team; nil is the unallocated bucket.
  public var team: String?
  /// The step that produced the amount.
  public var step: AllocationStep
  /// The tag origin, rule or pool.
  public var source: String
  /// The usage account id; nil for a pool's share (which `allocation_pool_parts` details).
  public var accountID: String?
  /// The account's name, if the bill gives one.
  public var accountName: String?
  /// The service, if any.
  public var service: String?
  /// The amount.
  public var amount: Money
}

/// What one pool held in a month, by basis, currency, account and service.
public struct PoolCell: Sendable, Equatable {
  /// The cost basis.
  public var basis: CostBasis
  /// The billing currency.
  public var currency: String
  /// The pool.
  public var pool: String
  /// The usage account id.
  public var accountID: String
  /// The account's name, if the bill gives one.
  public var accountName: String?
  /// The service, if any.
  public var service: String?
  /// The amount.
  public var amount: Money
}

extension Store {
  /// Every stored allocation amount of `month`, summed by basis, currency, team, step, source,
  /// account and service.
  public func allocationCells(in month: BillingMonth) throws(SQLiteError) -> [AllocationCell] {
    let statement = try connection.prepare(
      """
      SELECT x.basis, x.currency, x.team, x.step, x.source, a.account_id, a.name, s.name, x.amount
      FROM (
        SELECT basis, currency, team, step, source, account, service, sum(amount) AS amount
        FROM allocations WHERE billing_period = ?
        GROUP BY basis, currency, team, step, source, account, service) x
      LEFT JOIN accounts a ON a.id = x.account
      LEFT JOIN services s ON s.id = x.service
      """)
    statement.bind(month.description, at: 1)
    var cells: [AllocationCell] = []
    while try statement.step() {
      guard let basis = CostBasis(rawValue: statement.text(at: 0)),
        let step = AllocationStep(rawValue: statement.text(at: 3))
      else { continue }
      cells.append(
        AllocationCell(
          basis: basis, currency: statement.text(at: 1), team: statement.optionalText(at: 2),
          step: step, source: statement.text(at: 4), accountID: statement.optionalText(at: 5),
          accountName: statement.optionalText(at: 6), service: statement.optionalText(at: 7),
          amount: Money(nanos: statement.int64(at: 8))))
    }
    return cells
  }

  /// What every pool of `month` held, by basis, currency, account and service.
  public func poolCells(in month: BillingMonth) throws(SQLiteError) -> [PoolCell] {
    let statement = try connection.prepare(
      """
      SELECT p.basis, p.currency, p.pool, a.account_id, a.name, s.name, sum(p.amount)
      FROM allocation_pool_parts p JOIN accounts a ON a.id = p.account
      LEFT JOIN services s ON s.id = p.service
      WHERE p.billing_period = ?
      GROUP BY p.basis, p.currency, p.pool, p.account, p.service
      """)
    statement.bind(month.description, at: 1)
    var cells: [PoolCell] = []
    while try statement.step() {
      guard let basis = CostBasis(rawValue: statement.text(at: 0)) else { continue }
      cells.append(
        PoolCell(
          basis: basis, currency: statement.text(at: 1), pool: statement.text(at: 2),
          accountID: statement.text(at: 3), accountName: statement.optionalText(at: 4),
          service: statement.optionalText(at: 5), amount: Money(nanos: statement.int64(at: 6))))
    }
    return cells
  }
}
