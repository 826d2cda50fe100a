/// The stored allocation of a month by basis, team, currency, account and service: the rows
/// of `allocation.csv` and of the team pages' services and accounts tables.
///
/// A pool's share belongs to no account or service in the store; here it is spread over what
/// the pool held (`allocation_pool_parts`) by account and service. The claims on one pool (each
/// team's share, and the bucket's when the pool fell back to unallocated) are taken in order of
/// team name, each spread over what is left of the pool in proportion to it, by the largest
/// remainder with signed weights (a pool may hold credits). So every team's rows add up to its
/// stored totals to the nano, and — as the claims add up to the pool — every account and
/// service of the pool is spread out exactly, the last claim taking what is left.
struct AllocationBreakdown {
  /// One row: amounts of one team in one account and service.
  struct Row: Hashable {
    var basis: CostBasis
    /// The team; nil is the unallocated bucket.
    var team: String?
    var currency: String
    var accountID: String?
    var accountName: String?
    var service: String?
    /// Tags, credits following their resources, rules.
    var direct = Money.zero
    /// Pool shares.
    var shared = Money.zero
    /// Everything, unallocated cost included.
    var total = Money.zero
  }

  /// Sorted by basis, team (the bucket by `unallocated`, its name), currency, account and
  /// service.
  let rows: [Row]
  /// The bucket's name.
  let unallocated: String

  /// Reads and spreads the month's stored allocation.
  init(store: Store, month: BillingMonth, unallocated: String) throws {
    try self.init(
      cells: try store.allocationCells(in: month), pools: try store.poolCells(in: month),
      unallocated: unallocated)
  }

  /// Spreads `cells` over `pools`.
  init(cells: [AllocationCell], pools: [PoolCell], unallocated: String) throws {
    self.unallocated = unallocated
    struct Pool: Hashable {
      var basis: CostBasis
      var currency: String
      var pool: String
    }
    var held: [Pool: [PoolCell]] = [:]
    for part in pools {
      held[Pool(basis: part.basis, currency: part.currency, pool: part.pool), default: []]
        .append(part)
    }
    // Rows by where they are: the row with zero amounts is the key.
    var sums: [Row: Row] = [:]
    func add(_ cell: AllocationCell, _ amount: Money, in account: (String?, String?, String?))
      throws(MoneyError)
    {
      let key = Row(
        basis: cell.basis, team: cell.team, currency: cell.currency, accountID: account.0,
        accountName: account.1, service: account.2)
      var row = sums[key] ?? key
      if cell.step.isDirect { row.direct = try row.direct.adding(amount) }
      if cell.step == .shared { row.shared = try row.shared.adding(amount) }
      row.total = try row.total.adding(amount)
      sums[key] = row
    }
    var claims: [Pool: [AllocationCell]] = [:]
    for cell in cells {
      let pool = Pool(basis: cell.basis, currency: cell.currency, pool: cell.source)
      if cell.accountID == nil, cell.step == .shared || cell.step == .unallocated,
        held[pool] != nil
      {
        claims[pool, default: []].append(cell)
      } else {
        try add(cell, cell.amount, in: (cell.accountID, cell.accountName, cell.service))
      }
    }
    for (pool, poolClaims) in claims {
      var left = (held[pool] ?? []).sorted {
        ($0.accountID, $0.service ?? "") < ($1.accountID, $1.service ?? "")
      }
      let ordered = poolClaims.sorted { ($0.team ?? unallocated) < ($1.team ?? unallocated) }
      for claim in ordered {
        guard left.reduce(Int128(0), { $0 + Int128($1.amount.nanos) }) != 0 else {
          // Nothing left to spread over: the claim stays a row of its own.
          try add(claim, claim.amount, in: (nil, nil, nil))
          continue
        }
        let parts = try Money.split(claim.amount, signedWeights: left.map(\.amount.nanos))
        for (index, part) in parts.enumerated() where part != .zero {
          try add(
            claim, part, in: (left[index].accountID, left[index].accountName, left[index].service))
          left[index].amount = try left[index].amount.subtracting(part)
        }
      }
    }
    rows = sums.values.sorted { a, b in
      let x = (a.basis.rawValue, a.team ?? unallocated, a.currency)
      let y = (b.basis.rawValue, b.team ?? unallocated, b.currency)
      if x != y { return x < y }
      return (a.accountID ?? "", a.service ?? "", a.accountName ?? "")
        < (b.accountID ?? "", b.service ?? "", b.accountName ?? "")
    }
  }

  /// `allocation.csv`: one row per basis, team, currency, account and service; every amount
  /// exact, so a team's rows add up to its totals.
  var table: ResultTable {
    ResultTable(
      columns: [
        "basis", "team", "currency", "account_id", "account_name", "service", "direct", "shared",
        "total",
      ], numeric: [6, 7, 8],
      rows: rows.map {
        [
          $0.basis.rawValue, $0.team ?? unallocated, $0.currency, $0.accountID ?? "",
          $0.accountName ?? "", $0.service ?? "", $0.direct.description, $0.shared.description,
          $0.total.description,
        ]
      })
  }

  /// One team's (nil: the bucket's) rows on `basis`.
  func rows(of team: String?, basis: CostBasis) -> [Row] {
    rows.filter { $0.basis == basis && $0.team == team }
  }
}
