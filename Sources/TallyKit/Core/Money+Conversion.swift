extension Money {
  /// Converts amounts into another currency at `rate` (units of the other currency per unit,
  /// as exact nanos: `1.0825` is 1,082,500,000) so that the results add up exactly to the
  /// converted sum of the amounts.
  ///
  /// The exact products are computed in 128 bits. The converted sum is rounded half away from
  /// zero to nanos; each result is its exact product rounded down or up, by the largest-
  /// remainder method (ties to the lower index), so every result is within one nano of its
  /// exact value and the parts of a converted table still add up to its converted total. When
  /// the sum is negative the amounts are converted as their negations and negated back.
  ///
  /// - Throws: ``MoneyError/overflow`` when a result leaves the range of ``nanos``, and
  ///   ``MoneyError/invalidWeights`` when `rate` is not positive.
  public static func converted(_ amounts: [Money], rate: Money) throws(MoneyError) -> [Money] {
    guard rate.nanos > 0 else { throw MoneyError.invalidWeights }
    let unit = Int128(nanosPerUnit)
    var products: [Int128] = []
    products.reserveCapacity(amounts.count)
    var sum: Int128 = 0
    for amount in amounts {
      let product = Int128(amount.nanos) * Int128(rate.nanos)  // |product| < 2^126
      products.append(product)
      let (next, overflow) = sum.addingReportingOverflow(product)
      guard !overflow else { throw MoneyError.overflow }
      sum = next
    }
    let sign: Int128 = sum < 0 ? -1 : 1
    let (wholeSum, sumRemainder) = (sign * sum).quotientAndRemainder(dividingBy: unit)
    let roundedSum = sumRemainder * 2 >= unit ? wholeSum + 1 : wholeSum

    var floors: [Int128] = []
    floors.reserveCapacity(products.count)
    var remainders: [(remainder: Int128, index: Int)] = []
    var missing = roundedSum
    for (index, product) in products.enumerated() {
      var (down, remainder) = (sign * product).quotientAndRemainder(dividingBy: unit)
      if remainder < 0 {
        down -= 1
        remainder += unit
      }
      floors.append(down)
      missing -= down
      if remainder > 0 { remainders.append((remainder, index)) }
    }
    // Σ floors ≤ the exact sum < Σ floors + (count of remainders), so 0 ≤ missing ≤ that count.
    remainders.sort {
      $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index
    }
    for entry in remainders.prefix(Int(missing)) { floors[entry.index] += 1 }
    var result: [Money] = []
    result.reserveCapacity(floors.count)
    for value in floors {
      guard let nanos = Int64(exactly: sign * value) else { throw MoneyError.overflow }
      result.append(Money(nanos: nanos))
    }
    return result
  }
}
