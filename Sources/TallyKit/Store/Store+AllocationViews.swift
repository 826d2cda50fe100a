/// A team's (or the unallocated bucket's) stored allocation in one currency.
public struct TeamTotal: Sendable, Equatable {
  /// The team; nil is the unallocated bucket.
  public var team: String?
  /// The billing currency.
  public var currency: String
  /// Tags, resources and rules.
  public var direct: Money
  /// Shares of pools.
  public var shared: Money
  /// Everything it carries, direct, shared and (for the bucket) unallocated.
  public var total: Money
}

/// Stored allocation amounts of one team, month and basis, summed by step, source, account and
/// service: the lineage `tally explain` and `tally team` print.
public struct LineageRow: Sendable, Equatable {
  /// The billing currency.
  public var currency: String
  /// The step that produced the amount.
  public var step: AllocationStep
  /// The tag origin, rule or pool.
  public var source: String
  /// The usage account id (as the provider writes it), if any.
  public var accountID: String?
  /// The account's name, if the bill gives one.
  public var accountName: String?
  /// The service's name, if any.
  public var service: String?
  /// `missing`, `invalid` or `conflict` when the lines had no valid team tag.
  public var tagStatus: String?
  /// The amount.
  public var amount: Money
  /// For a pool share: how it was computed.
  public var share: PoolShare?
}

/// A resource whose cost reached a team without a valid team tag.
public struct UntaggedResource: Sendable, Equatable {
  /// The billing currency.
  public var currency: String
  /// The resource id as the provider writes it.
  public var resourceID: String
  /// `missing`, `invalid` or `conflict`.
  public var tagStatus: String
  /// `rule` or `resource`.
  public var step: AllocationStep
  /// The rule that gave it to the team.
  public var source: String
  /// What it costs the team.
  public var amount: Money
}

/// The parts of a pool by account and service.
public struct StoredPoolPart: Sendable, Equatable {
  /// The billing currency.
  public var currency: String
  /// The pool.
  public var pool: String
  /// The usage account id.
  public var accountID: String
  /// The service's name, if any.
  public var service: String?
  /// The amount.
  public var amount: Money
}

extension Store {
  /// The latest month with data, if any.
  public func latestMonth() throws(SQLiteError) -> BillingMonth? {
    try connection.scalarText("SELECT max(billing_period) FROM import_totals").flatMap(
      BillingMonth.init)
  }

  /// Every team's (and the bucket's) stored totals for a month and basis, sorted by team, the
  /// bucket first.
  public func teamTotals(in month: BillingMonth, basis: CostBasis) throws(SQLiteError)
    -> [TeamTotal]
  {
    let statement = try connection.prepare(
      """
      SELECT team, currency,
        sum(CASE WHEN step IN ('tag', 'resource', 'rule') THEN amount ELSE 0 END),
        sum(CASE WHEN step = 'shared' THEN amount ELSE 0 END), sum(amount)
      FROM allocations WHERE billing_period = ? AND basis = ?
      GROUP BY team, currency ORDER BY team, currency
      """)
    statement.bind(month.description, at: 1)
    statement.bind(basis.rawValue, at: 2)
    var result: [TeamTotal] = []
    while try statement.step() {
      result.append(
        TeamTotal(
          team: statement.optionalText(at: 0), currency: statement.text(at: 1),
          direct: Money(nanos: statement.int64(at: 2)),
          shared: Money(nanos: statement.int64(at: 3)),
          total: Money(nanos: statement.int64(at: 4))))
    }
    return result
  }

  /// One team's (nil: the bucket's) stored amounts for a month and basis by step, source,
  /// account and service, largest first within each currency.
  public func lineage(of team: String?, in month: BillingMonth, basis: CostBasis)
    throws(SQLiteError) -> [LineageRow]
  {
    let statement = try connection.prepare(
      """
      SELECT x.currency, x.step, x.source, a.account_id, a.name, s.name, x.tag_status, x.amount,
        x.method, x.weight, x.weight_total, x.pool_total
      FROM (
        SELECT currency, step, source, account, service, tag_status, sum(amount) AS amount,
          max(method) AS method, max(weight) AS weight, max(weight_total) AS weight_total,
          max(pool_total) AS pool_total
        FROM allocations WHERE billing_period = ? AND basis = ? AND team IS ?
        GROUP BY currency, step, source, account, service, tag_status) x
      LEFT JOIN accounts a ON a.id = x.account
      LEFT JOIN services s ON s.id = x.service
      ORDER BY x.currency, abs(x.amount) DESC, x.step, x.source, a.account_id, s.name
      """)
    statement.bind(month.description, at: 1)
    statement.bind(basis.rawValue, at: 2)
    statement.bind(team, at: 3)
    var rows: [LineageRow] = []
    while try statement.step() {
      let share = statement.optionalText(at: 8).flatMap(ShareMethod.init).map { method in
        PoolShare(
          method: method, weight: statement.int64(at: 9), weightTotal: statement.int64(at: 10),
          poolTotal: Money(nanos: statement.int64(at: 11)))
      }
      rows.append(
        LineageRow(
          currency: statement.text(at: 0),
          step: AllocationStep(rawValue: statement.text(at: 1)) ?? .unallocated,
          source: statement.text(at: 2), accountID: statement.optionalText(at: 3),
          accountName: statement.optionalText(at: 4), service: statement.optionalText(at: 5),
          tagStatus: statement.optionalText(at: 6), amount: Money(nanos: statement.int64(at: 7)),
          share: share))
    }
    return rows
  }

  /// A team's stored totals per month and currency over `months`, oldest first.
  public func trend(of team: String, basis: CostBasis, months: ClosedRange<BillingMonth>)
    throws(SQLiteError) -> [(month: BillingMonth, currency: String, total: Money)]
  {
    let statement = try connection.prepare(
      """
      SELECT billing_period, currency, sum(amount) FROM allocations
      WHERE billing_period BETWEEN ? AND ? AND basis = ? AND team = ?
      GROUP BY billing_period, currency ORDER BY billing_period, currency
      """)
    statement.bind(months.lowerBound.description, at: 1)
    statement.bind(months.upperBound.description, at: 2)
    statement.bind(basis.rawValue, at: 3)
    statement.bind(team, at: 4)
    var result: [(month: BillingMonth, currency: String, total: Money)] = []
    while try statement.step() {
      guard let month = BillingMonth(statement.text(at: 0)) else { continue }
      result.append((month, statement.text(at: 1), Money(nanos: statement.int64(at: 2))))
    }
    return result
  }

  /// The months in `months` that have a stored allocation.
  public func allocatedMonths(in months: ClosedRange<BillingMonth>) throws(SQLiteError)
    -> Set<BillingMonth>
  {
    let statement = try connection.prepare(
      "SELECT billing_period FROM allocation_runs WHERE billing_period BETWEEN ? AND ?")
    statement.bind(months.lowerBound.description, at: 1)
    statement.bind(months.upperBound.description, at: 2)
    var result: Set<BillingMonth> = []
    while try statement.step() {
      if let month = BillingMonth(statement.text(at: 0)) { result.insert(month) }
    }
    return result
  }

  /// The resources whose cost reached `team` without a valid team tag, most expensive first,
  /// at most `limit` per currency, with how many there are per currency.
  public func untaggedResources(
    of team: String, in month: BillingMonth, basis: CostBasis, limit: Int
  ) throws(SQLiteError) -> (top: [UntaggedResource], counts: [String: Int]) {
    let statement = try connection.prepare(
      """
      SELECT r.currency, res.resource_id, r.tag_status, r.step, r.source, sum(r.amount) AS amount
      FROM allocation_resources r JOIN resources res ON res.id = r.resource
      WHERE r.billing_period = ? AND r.basis = ? AND r.team = ?
      GROUP BY r.currency, r.resource, r.tag_status, r.step, r.source
      ORDER BY r.currency, abs(amount) DESC, res.resource_id
      """)
    statement.bind(month.description, at: 1)
    statement.bind(basis.rawValue, at: 2)
    statement.bind(team, at: 3)
    var top: [UntaggedResource] = []
    var counts: [String: Int] = [:]
    while try statement.step() {
      let currency = statement.text(at: 0)
      counts[currency, default: 0] += 1
      guard counts[currency, default: 0] <= limit else { continue }
      top.append(
        UntaggedResource(
          currency: currency, resourceID: statement.text(at: 1), tagStatus: statement.text(at: 2),
          step: AllocationStep(rawValue: statement.text(at: 3)) ?? .rule,
          source: statement.text(at: 4), amount: Money(nanos: statement.int64(at: 5))))
    }
    return (top, counts)
  }

  /// What the named pools held in a month and basis, by account and service, largest first.
  public func poolParts(of pools: Set<String>, in month: BillingMonth, basis: CostBasis)
    throws(SQLiteError) -> [StoredPoolPart]
  {
    let statement = try connection.prepare(
      """
      SELECT p.currency, p.pool, a.account_id, s.name, sum(p.amount) AS amount
      FROM allocation_pool_parts p JOIN accounts a ON a.id = p.account
      LEFT JOIN services s ON s.id = p.service
      WHERE p.billing_period = ? AND p.basis = ?
      GROUP BY p.currency, p.pool, p.account, p.service
      ORDER BY p.currency, p.pool, abs(amount) DESC, a.account_id, s.name
      """)
    statement.bind(month.description, at: 1)
    statement.bind(basis.rawValue, at: 2)
    var result: [StoredPoolPart] = []
    while try statement.step() {
      let pool = statement.text(at: 1)
      guard pools.contains(pool) else { continue }
      result.append(
        StoredPoolPart(
          currency: statement.text(at: 0), pool: pool, accountID: statement.text(at: 2),
          service: statement.optionalText(at: 3), amount: Money(nanos: statement.int64(at: 4))))
    }
    return result
  }

  /// The rules and pools of a month's allocation, in words, in config order.
  public func allocationMethods(of month: BillingMonth) throws(SQLiteError)
    -> [AllocationMethod]
  {
    let statement = try connection.prepare(
      """
      SELECT kind, name, position, detail FROM allocation_methods WHERE billing_period = ?
      ORDER BY kind DESC, position
      """)
    statement.bind(month.description, at: 1)
    var result: [AllocationMethod] = []
    while try statement.step() {
      result.append(
        AllocationMethod(
          kind: statement.text(at: 0), name: statement.text(at: 1),
          position: Int(statement.int64(at: 2)), detail: statement.text(at: 3)))
    }
    return result
  }
}
