extension Money {
  /// An estimate computed in floating point (an amount in currency units), rounded half away
  /// from zero to `fractionDigits` places. Estimates are the only amounts that pass through
  /// `Double`: they come out of the commitment simulations, never out of the bill.
  ///
  /// - Throws: ``MoneyError/overflow`` for an amount that is not finite or out of range.
  static func estimate(_ units: Double, fractionDigits: Int = 2) throws(MoneyError) -> Money {
    precondition((0...9).contains(fractionDigits), "fractionDigits must be in 0...9")
    var scale = 1.0
    var step: Int64 = 1_000_000_000
    for _ in 0..<fractionDigits {
      scale *= 10
      step /= 10
    }
    let scaled = (units * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled.isFinite, let whole = Int64(exactly: scaled) else { throw MoneyError.overflow }
    let (nanos, overflow) = whole.multipliedReportingOverflow(by: step)
    guard !overflow else { throw MoneyError.overflow }
    return Money(nanos: nanos)
  }

  /// The amount in currency units, for the maths of the commitment simulations.
  var units: Double { Double(nanos) / 1e9 }
}
