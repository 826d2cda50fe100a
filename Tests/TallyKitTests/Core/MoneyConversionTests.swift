import Testing

@testable import TallyKit

/// `Money.converted` keeps converted parts adding up to the converted total.
@Suite struct MoneyConversionTests {
  /// Three parts of 1 nano at 1.5: exact products 1.5 each, total 4.5 → 5 (half away from
  /// zero); floors 1, 1, 1 and the 2 missing nanos go to the first two (equal remainders).
  @Test func partsAddUpToTheRoundedTotal() throws {
    let parts = try Money.converted(
      [Money(nanos: 1), Money(nanos: 1), Money(nanos: 1)], rate: Money(nanos: 1_500_000_000))
    #expect(parts.map(\.nanos) == [2, 2, 1])
  }

  /// 10.00 at 1.1 is exactly 11.00; −3 nanos at 0.5 is −1.5 → −2 (negated, rounded, negated).
  @Test func exactAndNegativeAmounts() throws {
    #expect(
      try Money.converted([Money(nanos: 10_000_000_000)], rate: Money(nanos: 1_100_000_000))
        == [Money(nanos: 11_000_000_000)])
    #expect(
      try Money.converted([Money(nanos: -3)], rate: Money(nanos: 500_000_000))
        == [Money(nanos: -2)])
    #expect(throws: MoneyError.invalidWeights) {
      try Money.converted([Money(nanos: 1)], rate: .zero)
    }
  }

  /// Mixed signs: 7 and −2 nanos at 0.3: exact 2.1 and −0.6, total 1.5 → 2; floors 2 and −1
  /// (remainders 0.1 and 0.4), one nano missing goes to the larger remainder: 2 and 0.
  @Test func mixedSigns() throws {
    let parts = try Money.converted(
      [Money(nanos: 7), Money(nanos: -2)], rate: Money(nanos: 300_000_000))
    #expect(parts.map(\.nanos) == [2, 0])
  }

  @Test func monthArithmetic() {
    let october = BillingMonth(year: 2026, month: 10)
    #expect(october.adding(months: -5) == BillingMonth(year: 2026, month: 5))
    #expect(october.adding(months: -10) == BillingMonth(year: 2025, month: 12))
    #expect(october.adding(months: 3) == BillingMonth(year: 2027, month: 1))
    #expect(
      BillingMonth(year: 2026, month: 1).adding(months: -13) == BillingMonth(year: 2024, month: 12))
  }
}
