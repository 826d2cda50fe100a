/// Splits one shared pool's amount, in one currency and cost basis, over its targets.
///
/// - `proportional`: weights are the targets' direct cost in the same currency and basis,
///   negative direct cost counting as none; when no target has any, the pool's `fallback`
///   decides: split evenly among the targets, or leave the pool unallocated.
/// - `even`: equal weights.
/// - `fixed`: the configured percentages.
///
/// Targets are the pool's `targets`, or every team with direct cost in the month (sorted by
/// name, so that largest-remainder ties fall the same way every run). With no targets at all
/// the pool stays unallocated. `Money.split` keeps the sign of the pool in every part, so no
/// team gets a negative share of a positive pool, and the parts add up to the pool exactly.
struct PoolSplitter {
  /// Direct cost per currency, basis and team.
  let direct: [DirectKey: Money]
  /// Every team with direct cost in the month, sorted.
  let teams: [String]

  func split(_ pool: SharedPool, total: Money, currency: String, basis: CostBasis)
    throws(MoneyError) -> [AllocationEntry]
  {
    let targets: [String]
    let weights: [Int64]
    let method: ShareMethod
    switch pool.split {
    case .fixed(let shares):
      targets = shares.map(\.team)
      weights = shares.map(\.percent.nanos)
      method = .fixed
    case .even:
      targets = pool.targets ?? teams
      weights = Array(repeating: 1, count: targets.count)
      method = .even
    case .proportional:
      targets = pool.targets ?? teams
      let cost = targets.map {
        max(0, direct[DirectKey(currency: currency, basis: basis, team: $0)]?.nanos ?? 0)
      }
      if cost.contains(where: { $0 > 0 }) {
        weights = cost
        method = .proportional
      } else if pool.fallback == .even {
        weights = Array(repeating: 1, count: targets.count)
        method = .evenFallback
      } else {
        weights = []
        method = .proportional
      }
    }
    guard !weights.isEmpty else {
      return [
        AllocationEntry(
          currency: currency, basis: basis, team: nil, step: .unallocated, source: pool.name,
          amount: total)
      ]
    }
    let parts = try Money.split(total, weights: weights)
    let weightTotal = Int64(clamping: weights.reduce(Int128(0)) { $0 + Int128($1) })
    var entries: [AllocationEntry] = []
    for (index, part) in parts.enumerated() where part != .zero {
      entries.append(
        AllocationEntry(
          currency: currency, basis: basis, team: targets[index], step: .shared,
          source: pool.name, amount: part,
          share: PoolShare(
            method: method, weight: weights[index], weightTotal: weightTotal, poolTotal: total)))
    }
    return entries
  }
}
