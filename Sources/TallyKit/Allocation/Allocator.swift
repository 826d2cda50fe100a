/// Allocates a month's cost groups to teams, by the waterfall of `allocation` in `tally.yaml`:
///
/// 1. a valid team tag (`allocation.by`) gives the team directly;
/// 2. a credit without one follows the resource it belongs to (`credits: follow`);
/// 3. otherwise the first matching rule names the team;
/// 4. otherwise the first matching shared pool takes the cost;
/// 5. otherwise it stays in the unallocated bucket.
///
/// Pools are then split per currency and cost basis, by the largest-remainder method, over
/// their targets' direct cost (steps 1–3), evenly or by fixed percentages. Every split keeps the
/// sign of the pool and the parts add up to it exactly, so for each currency and basis the
/// entries add up to the lines' costs to the nano. Currencies are never mixed: a pool in EUR is
/// split by the teams' direct cost in EUR.
public struct Allocator {
  /// The whole configuration: the policy resolves tags, the allocation section allocates.
  public let configuration: Configuration
  /// The allocation section.
  var section: AllocationConfiguration { configuration.allocation }
  /// The configured pools, then the implicit credits pool when credits are proportional.
  let pools: [SharedPool]

  /// The name of the implicit pool of `credits: proportional`.
  public static let creditsPool = "(credits)"

  /// Prepares an allocation by `configuration`.
  public init(configuration: Configuration) {
    self.configuration = configuration
    var pools = configuration.allocation.shared
    if configuration.allocation.credits == .proportional {
      pools.append(
        SharedPool(name: Allocator.creditsPool, when: .all([]), split: .proportional))
    }
    self.pools = pools
  }

  /// Allocates `groups` (one month's).
  ///
  /// - Throws: ``MoneyError/overflow`` when a sum leaves the range of ``Money``.
  public func allocate(_ groups: [CostGroup]) throws(MoneyError) -> Allocation {
    var ledger = Ledger()
    let resourceTeams = section.credits == .follow ? teamsByResource(groups) : [:]
    for group in groups {
      try ledger.lineTotals[group.currency, default: CostTotals()].add(group.costs)
      switch destination(of: group, resourceTeams: resourceTeams) {
      case .team(let team, let step, let source):
        try ledger.add(group, team: team, step: step, source: source)
      case .pool(let index):
        try ledger.addToPool(group, index: index)
      case .unallocated(let source):
        try ledger.add(group, team: nil, step: .unallocated, source: source)
      }
    }
    return try ledger.allocation(splitting: pools)
  }

  /// Where a group's cost goes.
  private enum Destination {
    case team(String, AllocationStep, source: String)
    case pool(Int)
    case unallocated(source: String)
  }

  private func destination(of group: CostGroup, resourceTeams: [Int64: String]) -> Destination {
    let isCredit = group.attributes.chargeCategory == ChargeCategory.credit.rawValue
    if isCredit {
      switch section.credits {
      case .proportional: return .pool(pools.count - 1)
      case .unallocated: return .unallocated(source: "credits")
      case .follow: break
      }
    }
    if case .valid(let team, let source) = group.teamTag, isTeam(team) {
      return .team(team, .tag, source: source)
    }
    if isCredit, let resource = group.resource, let team = resourceTeams[resource] {
      return .team(team, .resource, source: "")
    }
    for rule in section.rules {
      if let team = team(of: rule, for: group.attributes), isTeam(team) {
        return .team(team, .rule, source: rule.name)
      }
    }
    for (index, pool) in section.shared.enumerated() where pool.when.matches(group.attributes) {
      return .pool(index)
    }
    return .unallocated(source: "")
  }

  /// The team a rule gives a line, or nil when the rule does not match it.
  private func team(of rule: AllocationRule, for line: LineAttributes) -> String? {
    if let condition = rule.when, !condition.matches(line) { return nil }
    switch rule.team {
    case .named(let team): return team
    case .fromTag(let key): return line.tags[key]
    case .fromAccount(let teams): return teams[line.account]
    }
  }

  /// A name can be a team unless it is empty or the unallocated bucket's.
  private func isTeam(_ name: String) -> Bool {
    !name.isEmpty && name != section.unallocated
  }

  /// The team of each resource's tagged usage (the team with the most effective cost when
  /// several share it), for credits that name the resource but carry no tags.
  private func teamsByResource(_ groups: [CostGroup]) -> [Int64: String] {
    var best: [Int64: (team: String, cost: Money)] = [:]
    for group in groups where group.attributes.chargeCategory != ChargeCategory.credit.rawValue {
      guard let resource = group.resource, case .valid(let team, _) = group.teamTag, isTeam(team)
      else { continue }
      let cost = group.costs.effective
      if let current = best[resource],
        current.cost > cost || (current.cost == cost && current.team <= team)
      {
        continue
      }
      best[resource] = (team, cost)
    }
    return best.mapValues(\.team)
  }
}

/// The sums the waterfall builds before the pools are split.
private struct Ledger {
  struct EntryKey: Hashable {
    var currency: String
    var team: String?
    var step: AllocationStep
    var source: String
    var account: Int64
    var service: Int64?
    var tagStatus: String?
  }

  struct ResourceKey: Hashable {
    var currency: String
    var team: String
    var resource: Int64
    var tagStatus: String
    var step: AllocationStep
    var source: String
  }

  struct UnallocatedKey: Hashable {
    var currency: String
    var resource: Int64?
    var account: Int64
    var service: Int64?
    var source: String
  }

  struct PoolKey: Hashable {
    var pool: Int
    var currency: String
  }

  struct PoolPartKey: Hashable {
    var pool: Int
    var currency: String
    var account: Int64
    var service: Int64?
  }

  var lineTotals: [String: CostTotals] = [:]
  var entries: [EntryKey: CostTotals] = [:]
  var resources: [ResourceKey: CostTotals] = [:]
  var unallocated: [UnallocatedKey: CostTotals] = [:]
  var pools: [PoolKey: CostTotals] = [:]
  var poolParts: [PoolPartKey: CostTotals] = [:]

  mutating func add(_ group: CostGroup, team: String?, step: AllocationStep, source: String)
    throws(MoneyError)
  {
    let status = group.teamTag.status
    let key = EntryKey(
      currency: group.currency, team: team, step: step, source: source, account: group.account,
      service: group.service, tagStatus: status)
    try entries[key, default: CostTotals()].add(group.costs)
    if team == nil {
      let key = UnallocatedKey(
        currency: group.currency, resource: group.resource, account: group.account,
        service: group.service, source: source)
      try unallocated[key, default: CostTotals()].add(group.costs)
    }
    if let team, let status, let resource = group.resource {
      let key = ResourceKey(
        currency: group.currency, team: team, resource: resource, tagStatus: status, step: step,
        source: source)
      try resources[key, default: CostTotals()].add(group.costs)
    }
  }

  mutating func addToPool(_ group: CostGroup, index: Int) throws(MoneyError) {
    try pools[PoolKey(pool: index, currency: group.currency), default: CostTotals()].add(
      group.costs)
    let part = PoolPartKey(
      pool: index, currency: group.currency, account: group.account, service: group.service)
    try poolParts[part, default: CostTotals()].add(group.costs)
  }

  /// Splits the pools and lists every amount, in a stable order.
  func allocation(splitting configured: [SharedPool]) throws(MoneyError) -> Allocation {
    var allocation = Allocation()
    allocation.lineTotals = lineTotals
    var direct: [DirectKey: Money] = [:]
    var teams: Set<String> = []
    for (key, costs) in entries {
      for basis in CostBasis.allCases where costs[basis] != .zero {
        allocation.entries.append(
          AllocationEntry(
            currency: key.currency, basis: basis, team: key.team, step: key.step,
            source: key.source, account: key.account, service: key.service,
            tagStatus: key.tagStatus, amount: costs[basis]))
      }
      guard let team = key.team else { continue }
      teams.insert(team)
      for basis in CostBasis.allCases {
        let directKey = DirectKey(currency: key.currency, basis: basis, team: team)
        direct[directKey] = try direct[directKey, default: .zero].adding(costs[basis])
      }
    }
    let splitter = PoolSplitter(direct: direct, teams: teams.sorted())
    let poolOrder = pools.sorted { ($0.key.pool, $0.key.currency) < ($1.key.pool, $1.key.currency) }
    for (key, costs) in poolOrder {
      for basis in CostBasis.allCases where costs[basis] != .zero {
        let shares = try splitter.split(
          configured[key.pool], total: costs[basis], currency: key.currency, basis: basis)
        allocation.entries += shares
        for left in shares where left.team == nil {
          allocation.unallocated.append(
            UnallocatedCharge(
              currency: left.currency, basis: basis, resource: nil, account: nil, service: nil,
              source: left.source, amount: left.amount))
        }
      }
    }
    for (key, costs) in resources {
      for basis in CostBasis.allCases where costs[basis] != .zero {
        allocation.resources.append(
          ResourceCharge(
            currency: key.currency, basis: basis, team: key.team, resource: key.resource,
            tagStatus: key.tagStatus, step: key.step, source: key.source, amount: costs[basis]))
      }
    }
    for (key, costs) in unallocated {
      for basis in CostBasis.allCases where costs[basis] != .zero {
        allocation.unallocated.append(
          UnallocatedCharge(
            currency: key.currency, basis: basis, resource: key.resource, account: key.account,
            service: key.service, source: key.source, amount: costs[basis]))
      }
    }
    for (key, costs) in poolParts {
      for basis in CostBasis.allCases where costs[basis] != .zero {
        allocation.poolParts.append(
          PoolPart(
            currency: key.currency, basis: basis, pool: configured[key.pool].name,
            account: key.account, service: key.service, amount: costs[basis]))
      }
    }
    return allocation
  }
}

/// A team's direct cost is looked up per currency and basis.
struct DirectKey: Hashable {
  var currency: String
  var basis: CostBasis
  var team: String
}
