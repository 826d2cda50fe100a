/// What a commitment of one level would have done over a stretch of hours, in currency units.
///
/// The maths runs in `Double` (rates and ratios); the recommender turns the amounts into
/// ``Money`` with explicit rounding before anything is shown.
struct LevelEvaluation: Equatable {
  /// The level: hourly commitment (spend-based) or normalised units (reservations).
  var level: Double
  /// The hours evaluated.
  var hours: Int
  /// Σ eligible on-demand-equivalent spend.
  var onDemandSpend: Double
  /// Σ on-demand-equivalent spend the commitment covers.
  var coveredSpend: Double
  /// What the commitment costs over the hours, used or not.
  var commitmentCost: Double
  /// The part of that cost applied to usage.
  var usedCommitment: Double

  /// Net savings against paying on demand: covered spend minus the commitment's cost.
  var netSavings: Double { coveredSpend - commitmentCost }
  /// The share of the commitment used (0 for no commitment).
  var utilization: Double { commitmentCost > 0 ? min(1, usedCommitment / commitmentCost) : 0 }
  /// The share of eligible spend covered.
  var coverage: Double { onDemandSpend > 0 ? min(1, coveredSpend / onDemandSpend) : 0 }
}

/// Hourly on-demand-equivalent spend eligible for one spend-based commitment (a savings plan,
/// a flexible CUD), split by discount. In each hour the commitment is spent on the usage with
/// the highest discount first, at the discounted rate, as AWS and Azure apply it
/// (`shared/reference/reservations.md` §1.3, §2.2).
///
/// The spend is held exactly, in nanos, as the bill gives it; only the simulation of a level
/// runs in `Double`, in currency units.
struct SpendSeries {
  /// The distinct discounts, highest first, each below 1.
  let discounts: [Double]
  /// `amounts[hour * discounts.count + k]`: spend in nanos in `hour` at `discounts[k]`.
  let amounts: [Int64]
  /// The number of hours.
  let hours: Int

  /// A series from spend per hour and discount: `amounts[hour * discounts.count + k]` is the
  /// spend in nanos in `hour` at `discounts[k]`. The discounts may come in any order and repeat.
  init(hours: Int, discounts: [Double], amounts: [Int64]) throws(MoneyError) {
    var distinct = Array(Set(discounts)).sorted(by: >)
    if distinct.isEmpty { distinct = [0] }
    let position = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
    let targets = discounts.map { position[$0] ?? 0 }
    var flat = Array(repeating: Int64(0), count: hours * distinct.count)
    for hour in 0..<hours {
      for (k, target) in targets.enumerated() {
        let (sum, overflow) = flat[hour * distinct.count + target].addingReportingOverflow(
          amounts[hour * discounts.count + k])
        guard !overflow else { throw MoneyError.overflow }
        flat[hour * distinct.count + target] = sum
      }
    }
    self.init(discounts: distinct, flat: flat, hours: hours)
  }

  private init(discounts: [Double], flat: [Int64], hours: Int) {
    self.discounts = discounts
    amounts = flat
    self.hours = hours
  }

  /// The last `count` hours.
  func suffix(hours count: Int) -> SpendSeries {
    let kept = min(count, hours)
    let width = discounts.count
    return SpendSeries(
      discounts: discounts, flat: Array(amounts[((hours - kept) * width)...]), hours: kept)
  }

  /// Σ spend, in currency units for the simulation.
  var totalSpend: Double { amounts.reduce(0.0) { $0 + Double($1) } / 1e9 }

  /// The spend in `hour` at `discounts[k]`, in currency units for the simulation.
  func amount(hour: Int, _ k: Int) -> Double { Double(amounts[hour * discounts.count + k]) / 1e9 }

  /// The spend-weighted mean discount.
  var meanDiscount: Double {
    var weighted = 0.0
    var total = 0.0
    for hour in 0..<hours {
      for (k, discount) in discounts.enumerated() {
        let amount = amount(hour: hour, k)
        weighted += amount * discount
        total += amount
      }
    }
    return total > 0 ? weighted / total : 0
  }

  /// Simulates an hourly commitment `commitment`.
  func evaluate(commitment: Double) -> LevelEvaluation {
    var covered = 0.0
    var used = 0.0
    let width = discounts.count
    for hour in 0..<hours {
      var remaining = commitment
      for k in 0..<width where remaining > 0 {
        let amount = amount(hour: hour, k)
        guard amount > 0 else { continue }
        let cost = amount * (1 - discounts[k])
        if cost <= remaining {
          covered += amount
          remaining -= cost
        } else {
          covered += remaining / (1 - discounts[k])
          remaining = 0
        }
      }
      used += commitment - remaining
    }
    return LevelEvaluation(
      level: commitment, hours: hours, onDemandSpend: totalSpend, coveredSpend: covered,
      commitmentCost: commitment * Double(hours), usedCommitment: used)
  }

  /// The smallest hourly commitment that maximises net savings, exactly.
  ///
  /// Net savings S(c) = Σₕ gₕ(c) − c·H, where gₕ(c), the spend covered in hour h, is concave and
  /// piecewise linear with slope 1/(1 − d) while the commitment is spent on usage at discount
  /// d, and 0 once everything is covered. So S is concave, its maximum lies at a breakpoint,
  /// and the derivative Σₕ gₕ′(c) − H only falls as c grows: sweep the breakpoints of every
  /// hour in order and stop where the derivative is no longer positive.
  func optimalCommitment() -> Double {
    let width = discounts.count
    var events: [(at: Double, change: Double)] = []
    var slope = 0.0
    for hour in 0..<hours {
      var cumulative = 0.0
      var current: Double?
      for k in 0..<width {
        let amount = amount(hour: hour, k)
        guard amount > 0 else { continue }
        let rate = 1 / (1 - discounts[k])
        if let current {
          events.append((cumulative, rate - current))
        } else {
          slope += rate
        }
        current = rate
        cumulative += amount * (1 - discounts[k])
      }
      if let current { events.append((cumulative, -current)) }
    }
    let hourCount = Double(hours)
    guard slope > hourCount else { return 0 }
    events.sort { $0.at < $1.at }
    for event in events {
      slope += event.change
      if slope <= hourCount { return event.at }
    }
    return events.last?.at ?? 0
  }
}

/// Hourly usage in normalised units of one reservation pool, with the on-demand price of a
/// unit-hour and the reservation's discount. A reservation of n units costs (1 − d)·p·n every
/// hour and covers up to n units of each hour's usage (`shared/reference/reservations.md`
/// §2.3).
struct UnitSeries {
  /// Normalised units used in each hour.
  let usage: [Double]
  /// The on-demand price of one unit-hour, in currency units.
  let onDemandRate: Double
  /// The reservation's discount off that price.
  let discount: Double
  /// The purchase step in units: the factor of the smallest size one can buy.
  let step: Double

  /// What a unit-hour of reservation costs.
  var effectiveRate: Double { (1 - discount) * onDemandRate }

  /// The last `count` hours.
  func suffix(hours count: Int) -> UnitSeries {
    UnitSeries(
      usage: Array(usage.suffix(count)), onDemandRate: onDemandRate, discount: discount,
      step: step)
  }

  /// Simulates a reservation of `units` normalised units.
  func evaluate(units: Double) -> LevelEvaluation {
    var covered = 0.0
    var total = 0.0
    for value in usage {
      covered += min(value, units)
      total += value
    }
    return LevelEvaluation(
      level: units, hours: usage.count, onDemandSpend: total * onDemandRate,
      coveredSpend: covered * onDemandRate,
      commitmentCost: units * Double(usage.count) * effectiveRate,
      usedCommitment: covered * effectiveRate)
  }

  /// The number of units to reserve, a multiple of ``step``, by the break-even rule: the k-th
  /// step is bought when the on-demand spend it would cover, p·Σₕ clamp(uₕ − (k−1)q, 0, q),
  /// exceeds what it costs, r·q·H. For whole units this is "buy unit n if the share of hours
  /// using at least n is above 1 − d". The marginal saving only falls with k, so the largest
  /// k is found by bisection.
  func optimalUnits() -> Double {
    guard step > 0, !usage.isEmpty, let peak = usage.max(), peak > 0 else { return 0 }
    let ascending = usage.sorted()
    var above = Array(repeating: 0.0, count: ascending.count + 1)  // Σ of values from index i on
    for index in stride(from: ascending.count - 1, through: 0, by: -1) {
      above[index] = above[index + 1] + ascending[index]
    }
    /// Σₕ max(uₕ − level, 0).
    func excess(over level: Double) -> Double {
      var low = 0
      var high = ascending.count
      while low < high {
        let middle = (low + high) / 2
        if ascending[middle] > level { high = middle } else { low = middle + 1 }
      }
      return above[low] - level * Double(ascending.count - low)
    }
    let cost = effectiveRate * step * Double(usage.count)
    func saves(_ k: Int) -> Bool {
      let lower = Double(k - 1) * step
      return onDemandRate * (excess(over: lower) - excess(over: lower + step)) > cost
    }
    var low = 0  // the largest k known to save (0: none)
    var high = Int((peak / step).rounded(.up))  // the largest k that could
    while low < high {
      let middle = (low + high + 1) / 2
      if saves(middle) { low = middle } else { high = middle - 1 }
    }
    return Double(low) * step
  }
}
