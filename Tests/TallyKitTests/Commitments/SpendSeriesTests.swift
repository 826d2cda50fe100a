import Testing

@testable import TallyKit

/// The spend-based optimum against a brute-force search: every breakpoint of every hour is a
/// candidate level (net savings are piecewise linear between them, so the maximum is one of
/// them), and each candidate is simulated by an independent simulator that applies the
/// commitment line item by line item, highest discount first, as AWS does.
@Suite struct SpendSeriesTests {
  /// One hour's eligible line items: on-demand amount and discount.
  typealias Hour = [(amount: Double, discount: Double)]

  /// Net savings of `commitment` over `hours`, simulated line by line.
  static func simulatedSavings(_ hours: [Hour], commitment: Double) -> Double {
    var savings = 0.0
    for hour in hours {
      var remaining = commitment
      for item in hour.sorted(by: { $0.discount > $1.discount }) {
        let spent = min(remaining, item.amount * (1 - item.discount))
        savings += spent / (1 - item.discount)
        remaining -= spent
      }
      savings -= commitment
    }
    return savings
  }

  /// The smallest level among all breakpoints with the largest simulated savings.
  static func bruteForce(_ hours: [Hour]) -> (level: Double, savings: Double) {
    var candidates: Set<Double> = [0]
    for hour in hours {
      var cumulative = 0.0
      for item in hour.sorted(by: { $0.discount > $1.discount }) {
        cumulative += item.amount * (1 - item.discount)
        candidates.insert(cumulative)
      }
    }
    var best = (level: 0.0, savings: 0.0)
    for level in candidates.sorted() {
      let savings = simulatedSavings(hours, commitment: level)
      if savings > best.savings + 1e-9 { best = (level, savings) }
    }
    return best
  }

  /// The production series for the same hours, which holds spend in nanos (each amount
  /// rounded to the nearest nano, far below the tolerances here).
  static func series(_ hours: [Hour]) throws -> SpendSeries {
    let discounts = Array(Set(hours.flatMap { $0.map(\.discount) })).sorted()
    var amounts = Array(repeating: Int64(0), count: hours.count * discounts.count)
    for (h, hour) in hours.enumerated() {
      for item in hour {
        guard let k = discounts.firstIndex(of: item.discount) else { continue }
        amounts[h * discounts.count + k] += Int64((item.amount * 1e9).rounded())
      }
    }
    return try SpendSeries(hours: hours.count, discounts: discounts, amounts: amounts)
  }

  /// 30 days: a base of 100/h, +60 in business hours (08–20), −30 at weekends, noise ±8.
  static func steadyWithPeaks(discount: Double) -> [Hour] {
    var random = FixtureRandom(seed: 7)
    return (0..<720).map { h in
      let business = (8..<20).contains(h % 24) ? 60.0 : 0
      let weekend = (h / 24) % 7 >= 5 ? -30.0 : 0
      return [(max(0, 100 + business + weekend + (random.next() - 0.5) * 16), discount)]
    }
  }

  /// 30 days of 50/h that stop after day 15, with 5/h of other usage throughout.
  static func stopsMidWindow(discount: Double) -> [Hour] {
    (0..<720).map { h in [(h < 360 ? 50.0 : 0, discount), (5.0, discount)] }
  }

  /// Four kinds of usage at four discounts: Linux instances (28 %) steady, Windows (14 %) in
  /// business hours, Fargate (20 %) noisy, Lambda (17 %) at night.
  static func severalRates() -> [Hour] {
    var random = FixtureRandom(seed: 11)
    return (0..<720).map { h in
      let hourOfDay = h % 24
      return [
        (60.0, 0.28), ((8..<20).contains(hourOfDay) ? 40.0 : 0, 0.14),
        (20 * random.next(), 0.20), (hourOfDay < 6 ? 10.0 : 0, 0.17),
      ]
    }
  }

  static let fixtures: [(String, [Hour])] = [
    ("steady base with business-hours peaks, 28 %", steadyWithPeaks(discount: 0.28)),
    ("steady base with business-hours peaks, 40 %", steadyWithPeaks(discount: 0.40)),
    ("steady base with business-hours peaks, 72 %", steadyWithPeaks(discount: 0.72)),
    ("workload that stops mid-window", stopsMidWindow(discount: 0.27)),
    ("several discount rates", severalRates()),
  ]

  @Test(arguments: 0..<fixtures.count)
  func optimumMatchesBruteForce(_ index: Int) throws {
    let (name, hours) = Self.fixtures[index]
    let expected = Self.bruteForce(hours)
    let model = try Self.series(hours)
    let level = model.optimalCommitment()
    #expect(abs(level - expected.level) < 1e-6, "\(name): \(level) vs \(expected.level)")
    let savings = model.evaluate(commitment: level).netSavings
    #expect(abs(savings - expected.savings) < 1e-6 * max(1, expected.savings), "\(name)")
    // The production simulation agrees with the independent one at other levels too.
    for fraction in [0.5, 0.9, 1.1, 1.5] {
      let other = level * fraction
      #expect(
        abs(
          model.evaluate(commitment: other).netSavings
            - Self.simulatedSavings(hours, commitment: other)) < 1e-6 * max(1, expected.savings))
    }
  }

  /// With one discount d the optimum covers the d-quantile of hourly spend (the newsvendor
  /// critical fractile): x* = c*/(1 − d) is an observed hourly amount, and at most (1 − d)·H
  /// hours spend more than it while more than that spend more than anything below it.
  @Test(arguments: [0.28, 0.40, 0.55, 0.72])
  func singleDiscountOptimumIsTheQuantile(_ discount: Double) throws {
    let hours = Self.steadyWithPeaks(discount: discount)
    let spend = hours.map { $0[0].amount }
    let covered = try Self.series(hours).optimalCommitment() / (1 - discount)
    let match = spend.min { abs($0 - covered) < abs($1 - covered) } ?? 0
    #expect(abs(match - covered) < 1e-6)
    let limit = (1 - discount) * Double(spend.count)
    #expect(Double(spend.filter { $0 > covered + 1e-9 }.count) <= limit + 1e-6)
    let below = spend.filter { $0 < covered - 1e-9 }.max() ?? 0
    #expect(Double(spend.filter { $0 > below }.count) > limit - 1e-6)
  }

  /// By hand: spend 10, 10, 10, 0 at 30 % off. Each 0.7 of hourly commitment covers 1 of spend
  /// in three hours and costs 1 in four: S(c) = 3c/0.7 − 4c grows until c = 7 (everything
  /// covered), then falls. S(7) = 30 − 28 = 2.
  @Test func smallCaseByHand() throws {
    let model = try Self.series([[(10, 0.3)], [(10, 0.3)], [(10, 0.3)], [(0, 0.3)]])
    #expect(abs(model.optimalCommitment() - 7) < 1e-9)
    let evaluation = model.evaluate(commitment: 7)
    #expect(abs(evaluation.netSavings - 2) < 1e-9)
    #expect(abs(evaluation.utilization - 0.75) < 1e-9)  // 21 of 28 used
    #expect(abs(evaluation.coverage - 1) < 1e-9)
  }

  /// By hand: 30 % off but only two hours of four have usage: 0.7 of commitment saves 0.3 in
  /// half the hours and wastes 0.7 in the other half, so nothing is worth buying.
  @Test func sparseUsageBuysNothing() throws {
    let model = try Self.series([[(10, 0.3)], [(0, 0.3)], [(10, 0.3)], [(0, 0.3)]])
    #expect(model.optimalCommitment() == 0)
  }

  /// Highest discount first, by hand: one hour with 10 at 50 % and 10 at 10 %; a commitment of
  /// 6 buys the 50 % usage for 5, then 1/0.9 of the rest.
  @Test func highestDiscountIsCoveredFirst() throws {
    let model = try Self.series([[(10, 0.1), (10, 0.5)]])
    let evaluation = model.evaluate(commitment: 6)
    #expect(abs(evaluation.coveredSpend - (10 + 1 / 0.9)) < 1e-9)
    #expect(model.discounts == [0.5, 0.1])
  }
}
