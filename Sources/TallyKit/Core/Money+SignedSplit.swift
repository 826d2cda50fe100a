extension Money {
  /// Splits `total` in proportion to `weights` that may be negative (e.g. a pool's parts by
  /// account and service, credits among them), by the largest-remainder method.
  ///
  /// The exact share of part i is `total × wᵢ / Σw`. Each part is first that share rounded
  /// down (towards −∞); the nanos left over, fewer than the number of parts, then go one each
  /// to the parts with the largest remainders, ties to the lower index. So the parts add up to
  /// `total` exactly and each lies within one nano of its exact share. Unlike
  /// ``split(_:weights:)``, a part need not have the sign of `total`: with weights 3 and −1,
  /// 10 splits into 15 and −5.
  ///
  /// - Throws: ``MoneyError/invalidWeights`` when the weights add up to zero (or there are
  ///   none), ``MoneyError/overflow`` when a part lies outside the range of nanos.
  public static func split(_ total: Money, signedWeights weights: [Int64]) throws(MoneyError)
    -> [Money]
  {
    var weightSum: Int128 = 0
    for weight in weights { weightSum += Int128(weight) }
    guard weightSum != 0 else { throw MoneyError.invalidWeights }
    // Divide by a positive sum: flip every weight's sign along with the sum's.
    let sign: Int128 = weightSum < 0 ? -1 : 1
    let divisor = sign * weightSum
    var parts: [Int128] = []
    parts.reserveCapacity(weights.count)
    var remainders: [(remainder: Int128, index: Int)] = []
    var assigned: Int128 = 0
    for (index, weight) in weights.enumerated() {
      // |total × weight| ≤ 2^126: no overflow.
      var (part, remainder) = (Int128(total.nanos) * sign * Int128(weight))
        .quotientAndRemainder(dividingBy: divisor)
      if remainder < 0 {
        part -= 1
        remainder += divisor
      }
      parts.append(part)
      assigned += part
      if remainder > 0 { remainders.append((remainder, index)) }
    }
    // The leftover is Σ remainder / Σw: an integer from 0 to the number of remainders − 1.
    let leftover = Int(Int128(total.nanos) - assigned)
    remainders.sort {
      $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index
    }
    for entry in remainders.prefix(leftover) { parts[entry.index] += 1 }
    return try parts.map { part throws(MoneyError) in
      guard let nanos = Int64(exactly: part) else { throw MoneyError.overflow }
      return Money(nanos: nanos)
    }
  }
}
