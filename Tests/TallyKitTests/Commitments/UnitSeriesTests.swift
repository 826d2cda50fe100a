import Testing

@testable import TallyKit

/// The reserved-instance optimum against a brute-force search over every purchasable level
/// (every multiple of the step up to the peak), with net savings computed directly:
/// S(n) = Σₕ p·min(uₕ, n) − r·n·H.
@Suite struct UnitSeriesTests {
  static func savings(_ usage: [Double], units: Double, rate: Double, discount: Double) -> Double {
    let covered = usage.reduce(0) { $0 + min($1, units) }
    return rate * covered - (1 - discount) * rate * units * Double(usage.count)
  }

  /// The smallest multiple of `step` with the largest savings.
  static func bruteForce(_ usage: [Double], rate: Double, discount: Double, step: Double)
    -> Double
  {
    var best = (units: 0.0, savings: 0.0)
    var k = 1
    while Double(k - 1) * step <= (usage.max() ?? 0) {
      let units = Double(k) * step
      let value = savings(usage, units: units, rate: rate, discount: discount)
      if value > best.savings + 1e-9 { best = (units, value) }
      k += 1
    }
    return best.units
  }

  /// 30 days of normalised units: 40 steady, +24 in business hours, −8 at weekends, noise.
  static func steadyWithPeaks() -> [Double] {
    var random = FixtureRandom(seed: 3)
    return (0..<720).map { h in
      let business = (8..<20).contains(h % 24) ? 24.0 : 0
      let weekend = (h / 24) % 7 >= 5 ? -8.0 : 0
      return 40 + business + weekend + (random.next() * 8).rounded(.down)
    }
  }

  /// 48 units for 18 days, then 8 (the workload moved away).
  static func stopsMidWindow() -> [Double] {
    (0..<720).map { $0 < 432 ? 48 : 8 }
  }

  /// Per-second billing: fractional instance-hours.
  static func fractional() -> [Double] {
    var random = FixtureRandom(seed: 5)
    return (0..<720).map { _ in 6 + random.next() * 10 }
  }

  static let cases: [(name: String, usage: [Double], discount: Double, step: Double)] = [
    ("steady with peaks, 35 %, large steps", steadyWithPeaks(), 0.35, 4),
    ("steady with peaks, 60 %, large steps", steadyWithPeaks(), 0.60, 4),
    ("steady with peaks, 72 %, unit steps", steadyWithPeaks(), 0.72, 1),
    ("stops mid-window, 35 %", stopsMidWindow(), 0.35, 8),
    ("stops mid-window, 72 %", stopsMidWindow(), 0.72, 8),
    ("fractional usage, 40 %, nano steps", fractional(), 0.40, 0.25),
  ]

  @Test(arguments: 0..<cases.count)
  func optimumMatchesBruteForce(_ index: Int) {
    let item = Self.cases[index]
    let model = UnitSeries(
      usage: item.usage, onDemandRate: 0.024, discount: item.discount, step: item.step)
    let expected = Self.bruteForce(
      item.usage, rate: 0.024, discount: item.discount, step: item.step)
    #expect(model.optimalUnits() == expected, "\(item.name)")
    let evaluation = model.evaluate(units: expected)
    #expect(
      abs(
        evaluation.netSavings
          - Self.savings(item.usage, units: expected, rate: 0.024, discount: item.discount))
        < 1e-9)
  }

  /// The break-even rule by hand: at 30 % off, buy unit n when at least 70 % of hours use n or
  /// more. Usage 4, 4, 4, 0 (75 % of hours use up to 4 units): buy 4.
  @Test func breakEvenRuleByHand() {
    let model = UnitSeries(usage: [4, 4, 4, 0], onDemandRate: 1, discount: 0.3, step: 1)
    #expect(model.optimalUnits() == 4)
    // 3 of 5 hours (60 %) is below the 70 % break-even: buy nothing.
    let sparse = UnitSeries(usage: [4, 4, 4, 0, 0], onDemandRate: 1, discount: 0.3, step: 1)
    #expect(sparse.optimalUnits() == 0)
    // Utilisation of 4 units over 4, 4, 4, 0: 12 of 16 unit-hours.
    #expect(abs(model.evaluate(units: 4).utilization - 0.75) < 1e-12)
  }
}
