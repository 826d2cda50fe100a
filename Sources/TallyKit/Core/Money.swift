/// An exact amount of money in nano-units (10⁻⁹) of its currency.
///
/// Money never goes through `Double` or `Decimal`: text is parsed straight into nanos, sums are
/// exact and checked, and every split uses the largest-remainder method so that the parts add up
/// to the whole. There are no trapping operators; use ``adding(_:)``, ``subtracting(_:)`` and
/// ``sum(_:)``, which throw ``MoneyError/overflow``.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The amount in nano-units of the currency.
  public var nanos: Int64

  /// Creates an amount from a count of nano-units.
  public init(nanos: Int64) {
    self.nanos = nanos
  }

  /// No money.
  public static let zero = Money(nanos: 0)

  /// Nano-units in one unit of the currency.
  public static let nanosPerUnit: Int64 = 1_000_000_000

  /// Orders amounts by their value.
  public static func < (lhs: Money, rhs: Money) -> Bool {
    lhs.nanos < rhs.nanos
  }
}

// MARK: - Parsing

extension Money {
  /// Parses decimal ASCII text such as `-12.5`, `.5`, `5.` or `1.2E-7`, without allocating.
  ///
  /// The grammar is: an optional `+` or `-`, digits with an optional `.` (at least one digit in
  /// all), then an optional exponent: `e` or `E`, an optional sign and at least one digit.
  /// Digits beyond nine fraction places round half to even. Inputs of any length work: at most
  /// 38 significant digits are kept and the rest only decide rounding. An exponent that makes
  /// the amount underflow rounds it to zero.
  ///
  /// - Throws: ``MoneyError/invalidNumber(found:offset:)`` for anything else (spaces, thousands
  ///   separators, currency symbols, `NaN`), and ``MoneyError/overflow`` when the amount lies
  ///   outside the range of ``nanos``.
  public init(parsing bytes: UnsafeRawBufferPointer) throws(MoneyError) {
    let number = try DecimalNumber(parsing: bytes)
    let magnitude = try number.digits.nanos(exponent: number.exponent, negative: number.negative)
    self.init(nanos: Money.signed(magnitude, negative: number.negative))
  }

  /// Parses decimal text, with the same grammar and errors as parsing raw bytes.
  public init(parsing text: String) throws(MoneyError) {
    var text = text
    let result = text.withUTF8 { utf8 in
      Result { () throws(MoneyError) in try Money(parsing: UnsafeRawBufferPointer(utf8)) }
    }
    self = try result.get()
  }
}

/// A decimal number as read from text, before it becomes nanos (``Money``) or a `Double`
/// (``DecimalDouble``): its sign, its significant digits and the power of ten of its exponent.
struct DecimalNumber {
  var negative = false
  var digits = DecimalAccumulator()
  var exponent = 0

  /// Reads the grammar of ``Money/init(parsing:)``, without allocating unless it throws.
  ///
  /// - Throws: ``MoneyError/invalidNumber(found:offset:)`` for text outside the grammar.
  init(parsing bytes: UnsafeRawBufferPointer) throws(MoneyError) {
    let count = bytes.count
    var index = 0
    if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }

    var sawDigit = false
    while index < count {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit <= 9 else { break }
      if !digits.push(digit) { digits.scale &+= 1 }
      sawDigit = true
      index += 1
    }
    if index < count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit <= 9 else { break }
        if digits.push(digit) { digits.scale &-= 1 }
        sawDigit = true
        index += 1
      }
    }
    guard sawDigit else { throw MoneyError.invalid(bytes, at: index) }

    if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      var exponentNegative = false
      if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      var sawExponentDigit = false
      while index < count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit <= 9 else { break }
        // Saturate: anything past a billion overflows or underflows whatever the digits are.
        if exponent < 1_000_000_000 { exponent = exponent * 10 + Int(digit) }
        sawExponentDigit = true
        index += 1
      }
      guard sawExponentDigit else { throw MoneyError.invalid(bytes, at: index) }
      if exponentNegative { exponent = -exponent }
    }
    guard index == count else { throw MoneyError.invalid(bytes, at: index) }
  }

  /// The number as `significand × 10^power` when its significant digits fit 64 bits (at most
  /// 19 of them, all kept); nil otherwise. A zero significand means the number is zero.
  var exactly: (significand: UInt64, power: Int)? {
    guard digits.digits <= DecimalAccumulator.narrowDigits else { return nil }
    return (digits.narrow, digits.scale + exponent)
  }
}

/// The significant digits of a decimal number as they are read.
///
/// The value read so far is the kept digits × 10^scale, plus a little more when `sticky` is set.
struct DecimalAccumulator {
  /// Significant digits kept: enough for any amount in range, with room for rounding.
  static let maximumDigits = 38

  /// Digits kept in 64 bits before the accumulator widens: 19, as 10¹⁹ − 1 < 2⁶⁴.
  static let narrowDigits = 19

  /// The first kept digits, without leading zeros, while there are at most 19 of them.
  var narrow: UInt64 = 0
  /// All kept digits once there are more than 19; below 10³⁸, so it fits in `UInt128`.
  var wide: UInt128 = 0
  /// How many digits are kept.
  var digits = 0
  /// The power of ten that the kept digits are to be multiplied by.
  var scale = 0
  /// Whether a non-zero digit was dropped after the kept ones.
  var sticky = false

  /// Appends a digit; returns false when it was dropped because enough digits are kept.
  mutating func push(_ digit: UInt8) -> Bool {
    if digits < Self.narrowDigits {
      narrow = narrow &* 10 &+ UInt64(digit)  // below 10¹⁹: cannot overflow
      if narrow != 0 { digits += 1 }
      return true
    }
    guard digits < Self.maximumDigits else {
      if digit != 0 { sticky = true }
      return false
    }
    if digits == Self.narrowDigits { wide = UInt128(narrow) }
    wide = wide * 10 + UInt128(digit)
    digits += 1
    return true
  }

  /// The magnitude in nanos of the number times `10^exponent`, rounded half to even.
  func nanos(exponent: Int, negative: Bool) throws(MoneyError) -> UInt128 {
    guard digits > 0 else { return 0 }
    let limit = Money.magnitudeLimit(negative: negative)
    let power = scale + exponent + 9
    // The common case fits 64 bits, where arithmetic is much cheaper than in 128.
    if digits <= Self.narrowDigits, (-19...19).contains(power) {
      return try nanos(fitting: narrow, power: power, limit: UInt64(limit))
    }
    let significand = digits <= Self.narrowDigits ? UInt128(narrow) : wide
    if power >= 0 {
      // `significand` is at least 1, so 10^39 nanos or more are out of range.
      guard power <= Self.maximumDigits else { throw MoneyError.overflow }
      let factor = Money.powerOfTen(power)
      guard significand <= limit / factor else { throw MoneyError.overflow }
      return significand * factor
    }
    // `significand` < 10^38, so dividing by 10^39 or more leaves less than a tenth: zero.
    guard -power <= Self.maximumDigits else { return 0 }
    let divisor = Money.powerOfTen(-power)
    var (quotient, remainder) = significand.quotientAndRemainder(dividingBy: divisor)
    let half = divisor / 2
    if remainder > half || (remainder == half && (sticky || quotient & 1 == 1)) {
      quotient += 1
    }
    guard quotient <= limit else { throw MoneyError.overflow }
    return quotient
  }

  /// `nanos(exponent:negative:)` for a significand and a power of ten that fit in 64 bits.
  private func nanos(fitting significand: UInt64, power: Int, limit: UInt64) throws(MoneyError)
    -> UInt128
  {
    if power >= 0 {
      let (product, overflow) = significand.multipliedReportingOverflow(
        by: Self.powersOfTen[power])
      guard !overflow, product <= limit else { throw MoneyError.overflow }
      return UInt128(product)
    }
    let divisor = Self.powersOfTen[-power]
    var (quotient, remainder) = significand.quotientAndRemainder(dividingBy: divisor)
    let half = divisor / 2
    if remainder > half || (remainder == half && (sticky || quotient & 1 == 1)) {
      quotient += 1
    }
    guard quotient <= limit else { throw MoneyError.overflow }
    return UInt128(quotient)
  }

  /// 10⁰ through 10¹⁹, every power of ten that fits in `UInt64`.
  private static let powersOfTen: [UInt64] = [
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
    100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
    100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
  ]
}

// MARK: - Formatting

extension Money {
  /// Full stored precision with trailing zeros trimmed, but at least two fraction digits.
  ///
  /// Examples: `1234.56`, `0.000000001`, `-3.50`, `0.00`. JSON and CSV output use this form;
  /// `init(parsing:)` reads it back to the same amount.
  public var description: String {
    Money.render(
      nanos.magnitude, fractionDigits: 9, minimumFractionDigits: 2, negative: nanos < 0)
  }

  /// The amount rounded half away from zero to `fractionDigits` (0...9) places, e.g. `1234.57`.
  ///
  /// An amount that rounds to zero is shown without a minus sign.
  public func formatted(fractionDigits: Int) -> String {
    precondition((0...9).contains(fractionDigits), "fractionDigits must be in 0...9")
    let unit = UInt64(Money.powerOfTen(9 - fractionDigits))
    var (units, remainder) = nanos.magnitude.quotientAndRemainder(dividingBy: unit)
    if remainder >= unit - remainder { units += 1 }
    return Money.render(
      units, fractionDigits: fractionDigits, minimumFractionDigits: fractionDigits,
      negative: nanos < 0 && units != 0)
  }

  /// Writes `value × 10^-fractionDigits` in decimal, trimming trailing fraction zeros down to
  /// `minimumFractionDigits`.
  private static func render(
    _ value: UInt64, fractionDigits: Int, minimumFractionDigits: Int, negative: Bool
  ) -> String {
    var value = value
    var fractionDigits = fractionDigits
    while fractionDigits > minimumFractionDigits, value % 10 == 0 {
      value /= 10
      fractionDigits -= 1
    }
    var valueDigits = 1
    var rest = value / 10
    while rest != 0 {
      valueDigits += 1
      rest /= 10
    }
    let digitCount = max(valueDigits, fractionDigits + 1)
    let length = (negative ? 1 : 0) + digitCount + (fractionDigits > 0 ? 1 : 0)
    return String(unsafeUninitializedCapacity: length) { buffer in
      var position = length
      var remaining = value
      for written in 0..<digitCount {
        if written == fractionDigits, fractionDigits > 0 {
          position -= 1
          buffer[position] = UInt8(ascii: ".")
        }
        position -= 1
        buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
        remaining /= 10
      }
      if negative { buffer[0] = UInt8(ascii: "-") }
      return length
    }
  }
}

// MARK: - Arithmetic

extension Money {
  /// The sum of two amounts.
  ///
  /// - Throws: ``MoneyError/overflow`` when the result is out of range.
  public func adding(_ other: Money) throws(MoneyError) -> Money {
    let (result, overflow) = nanos.addingReportingOverflow(other.nanos)
    guard !overflow else { throw MoneyError.overflow }
    return Money(nanos: result)
  }

  /// This amount minus `other`.
  ///
  /// - Throws: ``MoneyError/overflow`` when the result is out of range.
  public func subtracting(_ other: Money) throws(MoneyError) -> Money {
    let (result, overflow) = nanos.subtractingReportingOverflow(other.nanos)
    guard !overflow else { throw MoneyError.overflow }
    return Money(nanos: result)
  }

  /// The exact sum of `values`; only the final result has to be in range, not partial sums.
  ///
  /// - Throws: ``MoneyError/overflow`` when the sum is out of range.
  public static func sum(_ values: some Sequence<Money>) throws(MoneyError) -> Money {
    var total: Int128 = 0  // Cannot overflow before 2^64 values.
    for value in values { total += Int128(value.nanos) }
    guard let nanos = Int64(exactly: total) else { throw MoneyError.overflow }
    return Money(nanos: nanos)
  }
}

// MARK: - Splitting and rounding

extension Money {
  /// Splits `total` into parts proportional to `weights` (largest-remainder method).
  ///
  /// Each part is first `floor(|total| × w / Σw)`; the nanos left over then go one each to the
  /// parts with the largest remainders, ties to the lower index. So the parts add up to `total`
  /// exactly, each differs from its exact share by less than one nano, a zero weight gets zero,
  /// and every part has the sign of `total` (a negative total is split as its magnitude).
  ///
  /// - Throws: ``MoneyError/invalidWeights`` when a weight is negative or the weights add up
  ///   to zero (including when there are none).
  public static func split(_ total: Money, weights: [Int64]) throws(MoneyError) -> [Money] {
    var weightSum: UInt128 = 0
    for weight in weights {
      guard weight >= 0 else { throw MoneyError.invalidWeights }
      weightSum += UInt128(weight)
    }
    guard weightSum > 0 else { throw MoneyError.invalidWeights }

    let magnitude = UInt128(total.nanos.magnitude)
    var parts: [UInt128] = []
    parts.reserveCapacity(weights.count)
    var remainders: [(remainder: UInt128, index: Int)] = []
    var assigned: UInt128 = 0
    for (index, weight) in weights.enumerated() {
      // At most 2^63 × (2^63 − 1) < 2^126: no overflow.
      let (part, remainder) = (magnitude * UInt128(weight)).quotientAndRemainder(
        dividingBy: weightSum)
      parts.append(part)
      assigned += part
      if remainder > 0 { remainders.append((remainder, index)) }
    }
    // The leftover is Σ remainder / Σw, an integer below the number of non-zero remainders.
    let leftover = Int(magnitude - assigned)
    remainders.sort(by: Money.largerRemainderFirst)
    for entry in remainders.prefix(leftover) { parts[entry.index] += 1 }

    let negative = total.nanos < 0
    return parts.map { Money(nanos: signed($0, negative: negative)) }
  }

  /// Splits `total` into `count` (at least 1) parts that differ by at most one nano.
  ///
  /// The first `|total| mod count` parts get the extra nano; every part has the sign of `total`.
  public static func splitEvenly(_ total: Money, into count: Int) -> [Money] {
    precondition(count >= 1, "splitEvenly needs at least one part")
    let (part, extra) = UInt128(total.nanos.magnitude).quotientAndRemainder(
      dividingBy: UInt128(count))
    let negative = total.nanos < 0
    return (0..<count).map { index in
      Money(nanos: signed(index < extra ? part + 1 : part, negative: negative))
    }
  }

  /// Rounds amounts to `fractionDigits` (0...9) places so that they add up to their rounded
  /// total.
  ///
  /// The total is rounded half away from zero. Each amount is rounded down or up to a multiple
  /// of 10^(9 − fractionDigits) nanos by the largest-remainder method (ties to the lower index),
  /// so every result is within one minor unit of its amount. When the total is negative the
  /// amounts are rounded as their negations and negated back, so rounding is symmetric.
  ///
  /// A result is never rounded past the range of ``nanos``; only when amounts lie within one
  /// minor unit of that limit can the results then miss the rounded total.
  public static func roundedPreservingTotal(_ amounts: [Money], fractionDigits: Int) -> [Money] {
    precondition((0...9).contains(fractionDigits), "fractionDigits must be in 0...9")
    let unit = Int128(powerOfTen(9 - fractionDigits))
    var total: Int128 = 0
    for amount in amounts { total += Int128(amount.nanos) }
    let sign: Int128 = total < 0 ? -1 : 1
    let (totalUnits, totalRemainder) = (sign * total).quotientAndRemainder(dividingBy: unit)
    let roundedTotal = totalRemainder >= unit - totalRemainder ? totalUnits + 1 : totalUnits

    // The range of nanos, seen from the flipped side.
    let upper = sign > 0 ? Int128(Int64.max) : -Int128(Int64.min)
    let lower = sign > 0 ? Int128(Int64.min) : -Int128(Int64.max)
    var units: [Int128] = []
    units.reserveCapacity(amounts.count)
    var remainders: [(remainder: Int128, index: Int)] = []
    var missing = roundedTotal
    for (index, amount) in amounts.enumerated() {
      let value = sign * Int128(amount.nanos)
      var (down, remainder) = value.quotientAndRemainder(dividingBy: unit)
      if remainder < 0 {
        down -= 1
        remainder += unit
      }
      if down * unit < lower {
        down += 1  // Rounding down leaves the range, so round up (remainder is positive here).
      } else if remainder > 0, (down + 1) * unit <= upper {
        remainders.append((remainder, index))
      }
      units.append(down)
      missing -= down
    }
    remainders.sort(by: Money.largerRemainderFirst)
    let bumps = Int(clamping: max(0, min(missing, Int128(remainders.count))))
    for entry in remainders.prefix(bumps) { units[entry.index] += 1 }
    return units.map { Money(nanos: Int64(sign * $0 * unit)) }
  }
}

// MARK: - Helpers

extension Money {
  /// The largest magnitude in nanos: 2⁶³ for a negative amount, 2⁶³ − 1 otherwise.
  fileprivate static func magnitudeLimit(negative: Bool) -> UInt128 {
    negative ? UInt128(Int64.min.magnitude) : UInt128(Int64.max)
  }

  /// Orders by remainder, largest first, and then by index.
  fileprivate static func largerRemainderFirst<Remainder: Comparable>(
    _ lhs: (remainder: Remainder, index: Int), _ rhs: (remainder: Remainder, index: Int)
  ) -> Bool {
    lhs.remainder != rhs.remainder ? lhs.remainder > rhs.remainder : lhs.index < rhs.index
  }

  /// 10^exponent for `exponent` in 0...38.
  fileprivate static func powerOfTen(_ exponent: Int) -> UInt128 {
    var result: UInt128 = 1
    for _ in 0..<exponent { result *= 10 }
    return result
  }

  /// Nanos with the given magnitude (at most 2⁶³, and below it when positive) and sign.
  fileprivate static func signed(_ magnitude: UInt128, negative: Bool) -> Int64 {
    let value = Int128(magnitude)
    return Int64(negative ? -value : value)
  }
}

/// Why an amount could not be parsed or computed.
public enum MoneyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text is not a decimal number.
  ///
  /// `offset` is the 0-based byte offset of the first bad byte, or the length of the text when
  /// it ended too early; `found` is the text as read, cut to 40 characters.
  case invalidNumber(found: String, offset: Int)
  /// The amount lies outside ±9,223,372,036.854775807 units.
  case overflow
  /// Split weights were negative or did not add up to more than zero.
  case invalidWeights

  /// A message a user can act on, e.g. `expected a decimal number, found "12a" (at character 3)`.
  public var description: String {
    switch self {
    case .invalidNumber(let found, let offset):
      "expected a decimal number, found \"\(found)\" (at character \(offset + 1))"
    case .overflow:
      "amount out of range (more than ±9,223,372,036.854775807)"
    case .invalidWeights:
      "split weights must be zero or more and add up to more than zero"
    }
  }

  /// The error for `bytes`, bad from `offset` on; only the error path allocates.
  fileprivate static func invalid(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> MoneyError {
    let text = String(decoding: bytes, as: UTF8.self)
    return .invalidNumber(found: String(text.prefix(40)), offset: offset)
  }
}
