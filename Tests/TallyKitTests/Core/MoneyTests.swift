import TallyKit
import Testing

extension SeededRandom {
  /// Amounts at and next to the limits.
  static let edges: [Int64] = [.min, .min + 1, .max, .max - 1, 0, 1, -1]

  /// Nanos of every size: the full Int64 range, the extremes, and amounts up to 10^k.
  mutating func nanos() -> Int64 {
    switch Int.random(in: 0..<8, using: &self) {
    case 0: return Int64(bitPattern: next())
    case 1: return Self.edges.randomElement(using: &self) ?? 0
    default:
      let bound = Int64(power(Int.random(in: 0...18, using: &self)))
      return Int64.random(in: -bound...bound, using: &self)
    }
  }
}

/// 10^exponent, by repeated multiplication (exponent 0...38).
private func power(_ exponent: Int) -> Int128 {
  var result: Int128 = 1
  for _ in 0..<exponent { result *= 10 }
  return result
}

/// Rounds `nanos` half away from zero to a multiple of `unit`, the schoolbook way in Int128.
private func roundHalfAway(_ nanos: Int128, unit: Int128) -> Int128 {
  let half = unit / 2  // unit is 1 or an even power of ten; for 1 nothing rounds
  let magnitude = nanos < 0 ? -nanos : nanos
  let rounded = unit == 1 ? magnitude : (magnitude + half) / unit * unit
  return nanos < 0 ? -rounded : rounded
}

@Suite struct MoneyParsingTests {
  /// Text and the nanos it means, each worked out by hand: move the point nine places right,
  /// then round what is left half to even.
  static let valid: [(String, Int64)] = [
    ("0", 0),
    ("-0", 0),
    ("+1", 1_000_000_000),
    ("1.5", 1_500_000_000),
    (".5", 500_000_000),
    ("5.", 5_000_000_000),
    ("-12.25", -12_250_000_000),
    ("123456789.123456789", 123_456_789_123_456_789),
    ("1.2E-7", 120),  // 0.00000012 units = 120 nanos
    ("1E-9", 1),
    ("1e-9", 1),
    ("5E-10", 0),  // 0.5 nano: a tie, to even 0
    ("1.5E-9", 2),  // 1.5 nanos: a tie, to even 2
    ("2.5E-9", 2),  // 2.5 nanos: a tie, to even 2
    ("-2.5E-9", -2),  // the same, mirrored
    ("3.5E-9", 4),  // 3.5 nanos: a tie, to even 4
    ("0.0000000015", 2),  // 1.5 nanos
    ("0.0000000014999", 1),  // below the tie
    ("0.0000000025000000001", 3),  // above the tie by the last digit
    ("-3e2", -300_000_000_000),
    ("1.5E+03", 1_500_000_000_000),
    ("1e9", 1_000_000_000_000_000_000),
    ("12e-1", 1_200_000_000),
    ("0e999999999999999999", 0),  // zero times anything
    ("9223372036.854775807", Int64.max),
    ("-9223372036.854775808", Int64.min),
    ("9223372036.8547758074", Int64.max),  // …807.4 rounds down
    ("-9223372036.8547758085", Int64.min),  // …808.5 ties to even 808
    ("922337203685477580.7e-8", Int64.max),  // the point moved by the exponent
    ("1e-400", 0),  // underflow rounds to zero
    ("-1e-400", 0),
    ("1e-99999999999999999999", 0),  // the exponent saturates
    // Azure exports carry 24 and more decimals; only the tenth fraction digit onwards decide
    // the rounding, and here they are below half.
    ("0.10000000000000000000000001", 100_000_000),
    ("0.1234567890123456789012345678901234567890", 123_456_789),  // 40 decimals, next digit 0
    ("0.1234567895000000000000000000000000000000", 123_456_790),  // tie, 9 is odd: up to 790
    ("0.1234567885000000000000000000000000000000", 123_456_788),  // tie, 8 is even: stays
    // The deciding "1" lies past the 38 kept significant digits: it still breaks the tie.
    ("0.10000000050000000000000000000000000000000000001", 100_000_001),
    ("0.10000000049999999999999999999999999999999999999", 100_000_000),
    ("0000000000000000000000000000000000000000001.5", 1_500_000_000),  // leading zeros
    ("0.0000000000000000000000000000000000000000000000000001e50", 10_000_000),  // 10^(50−52)
    ("1e0000000000000000000000009", 1_000_000_000_000_000_000),  // exponent 9, zero-padded
    ("0.000000000999999999999999999999999999999999999999999", 1),  // 0.99… nano rounds up
  ]

  @Test(arguments: valid)
  func parsesDecimalText(text: String, nanos: Int64) throws {
    #expect(try Money(parsing: text) == Money(nanos: nanos))
  }

  /// Amounts past ±9223372036.854775807 units, worked out by hand.
  static let tooLarge: [String] = [
    "9223372036.854775808",  // max + 1 nano
    "-9223372036.854775809",  // min − 1 nano
    "9223372036.8547758075",  // …807.5 ties to even 808: max + 1
    "1e400",
    "1e99999999999999999999",
    "9223372037",
    "99999999999999999999999999999999999999999999999",  // 47 digits
    "0.00000000000000000000000000000000000000001e60",  // 1e19 units
  ]

  @Test(arguments: tooLarge)
  func rejectsAmountsOutOfRange(text: String) {
    #expect(throws: MoneyError.overflow) { try Money(parsing: text) }
  }

  /// Malformed text and the 0-based offset of the first bad byte (the length when the text ends
  /// too early), found by reading the grammar left to right.
  static let malformed: [(String, Int)] = [
    ("", 0),  // ended before any digit
    ("-", 1),
    ("+", 1),
    (".", 1),
    ("-.", 2),
    ("1.2.3", 3),  // the second point
    ("12a", 2),
    ("1,000", 1),
    (" 1", 0),
    ("1 ", 1),
    ("1e", 2),
    ("1e+", 3),
    ("1e-x", 3),
    ("1e5.0", 3),
    ("e5", 0),
    (".e5", 1),
    ("$5", 0),
    ("5$", 1),
    ("--1", 1),
    ("+-1", 1),
    ("NaN", 0),
    ("inf", 0),
    ("-inf", 1),
    ("١", 0),  // ARABIC-INDIC DIGIT ONE is not ASCII
  ]

  @Test(arguments: malformed)
  func rejectsMalformedTextAtTheFirstBadByte(text: String, offset: Int) {
    #expect(throws: MoneyError.invalidNumber(found: text, offset: offset)) {
      try Money(parsing: text)
    }
  }

  @Test func cutsTheFoundTextToFortyCharacters() {
    let text = String(repeating: "x", count: 50)
    let expected = String(repeating: "x", count: 40)
    #expect(throws: MoneyError.invalidNumber(found: expected, offset: 0)) {
      try Money(parsing: text)
    }
  }

  @Test func parsesOnlyTheBytesItIsGiven() throws {
    // "12.5" is the first four bytes; the "x" after it must not be read.
    let bytes: [UInt8] = Array("12.5x".utf8)
    let money = try bytes.withUnsafeBytes { buffer in
      try Money(parsing: UnsafeRawBufferPointer(rebasing: buffer[0..<4]))
    }
    #expect(money == Money(nanos: 12_500_000_000))
  }

  @Test func rejectsAnEmptyBufferWithoutAnAddress() {
    #expect(throws: MoneyError.invalidNumber(found: "", offset: 0)) {
      try Money(parsing: UnsafeRawBufferPointer(start: nil, count: 0))
    }
  }

  @Test func describesErrors() {
    let invalid = MoneyError.invalidNumber(found: "12a", offset: 2)
    #expect(invalid.description == "expected a decimal number, found \"12a\" (at character 3)")
    #expect(
      MoneyError.overflow.description
        == "amount out of range (more than ±9,223,372,036.854775807)")
  }
}

@Suite struct MoneyFormattingTests {
  /// Nanos and their description, written out by hand: nine decimals, trailing zeros trimmed
  /// down to two.
  static let descriptions: [(Int64, String)] = [
    (1_234_560_000_000, "1234.56"),
    (1, "0.000000001"),
    (-3_500_000_000, "-3.50"),
    (0, "0.00"),
    (28_064_506_138_360, "28064.50613836"),
    (5_000_000_000, "5.00"),
    (-10_000_000, "-0.01"),
    (Int64.max, "9223372036.854775807"),
    (Int64.min, "-9223372036.854775808"),
  ]

  @Test(arguments: descriptions)
  func describesAtFullPrecision(nanos: Int64, text: String) {
    #expect(Money(nanos: nanos).description == text)
  }

  /// Nanos, places, and the text rounded half away from zero by hand.
  static let rounded: [(Int64, Int, String)] = [
    (1_234_565_000_000, 2, "1234.57"),  // …565 → …57, the tie goes up
    (-1_234_565_000_000, 2, "-1234.57"),  // and down when negative
    (1_234_564_999_999, 2, "1234.56"),
    (4_000_000, 2, "0.00"),  // 0.004
    (-4_000_000, 2, "0.00"),  // -0.004: no "-0.00"
    (-5_000_000, 2, "-0.01"),  // -0.005
    (2_500_000_000, 0, "3"),
    (-2_500_000_000, 0, "-3"),
    (1, 9, "0.000000001"),
    (1_000_000_000, 3, "1.000"),
    (Int64.max, 0, "9223372037"),  // …036.85 rounds up
    (Int64.min, 2, "-9223372036.85"),  // …036.854 rounds to …85
    (999_999_999, 2, "1.00"),
  ]

  @Test(arguments: rounded)
  func formatsRoundedHalfAwayFromZero(nanos: Int64, places: Int, text: String) {
    #expect(Money(nanos: nanos).formatted(fractionDigits: places) == text)
  }

  @Test func descriptionParsesBackForRandomAmounts() throws {
    var random = SeededRandom(state: 1)
    for _ in 0..<5_000 {
      let money = Money(nanos: random.nanos())
      #expect(try Money(parsing: money.description) == money)
      #expect(try Money(parsing: money.formatted(fractionDigits: 9)) == money)
    }
  }

  @Test func descriptionMatchesAStringBuiltReference() {
    // An independent route: integer part, then the nine fraction digits padded with String
    // operations, then trailing zeros dropped while more than two remain.
    var random = SeededRandom(state: 2)
    for _ in 0..<5_000 {
      let nanos = random.nanos()
      let magnitude = nanos.magnitude
      var fraction = String(magnitude % 1_000_000_000)
      fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
      while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
      let expected = (nanos < 0 ? "-" : "") + "\(magnitude / 1_000_000_000).\(fraction)"
      #expect(Money(nanos: nanos).description == expected)
    }
  }

  @Test func formattedMatchesIntegerRounding() throws {
    // Independent route: round in Int128 and compare with the parsed text.
    var random = SeededRandom(state: 3)
    for _ in 0..<5_000 {
      let nanos = random.nanos()
      let places = Int.random(in: 0...9, using: &random)
      let text = Money(nanos: nanos).formatted(fractionDigits: places)
      let expected = roundHalfAway(Int128(nanos), unit: power(9 - places))
      #expect(text.split(separator: ".").last?.count == (places == 0 ? text.count : places))
      if let fits = Int64(exactly: expected) {
        #expect(try Money(parsing: text) == Money(nanos: fits))
      } else {
        #expect(throws: MoneyError.overflow) { try Money(parsing: text) }
      }
    }
  }
}

@Suite struct MoneyArithmeticTests {
  @Test func addsAndSubtracts() throws {
    let a = Money(nanos: 1_500_000_000)
    let b = Money(nanos: -250_000_000)
    #expect(try a.adding(b) == Money(nanos: 1_250_000_000))  // 1.5 − 0.25
    #expect(try a.subtracting(b) == Money(nanos: 1_750_000_000))  // 1.5 + 0.25
    #expect(Money(nanos: -1) < Money.zero)
    #expect(Money.nanosPerUnit == 1_000_000_000)
  }

  @Test func reportsOverflowInsteadOfTrapping() {
    #expect(throws: MoneyError.overflow) { try Money(nanos: Int64.max).adding(Money(nanos: 1)) }
    #expect(throws: MoneyError.overflow) {
      try Money(nanos: Int64.min).subtracting(Money(nanos: 1))
    }
    #expect(throws: MoneyError.overflow) {
      try Money.sum([Money(nanos: Int64.max), Money(nanos: 1)])
    }
    #expect(throws: MoneyError.overflow) {
      try Money.sum([Money(nanos: Int64.min), Money(nanos: Int64.min)])
    }
  }

  @Test func sumsExactlyWhateverTheOrder() throws {
    // max + 1 − 2 = max − 1: the partial sum leaves the range, the total does not.
    let values = [Money(nanos: Int64.max), Money(nanos: 1), Money(nanos: -2)]
    #expect(try Money.sum(values) == Money(nanos: Int64.max - 1))
    #expect(try Money.sum([Money]()) == Money.zero)
  }

  @Test func sumMatchesInt128ForRandomAmounts() throws {
    var random = SeededRandom(state: 4)
    for _ in 0..<3_000 {
      let values = (0..<Int.random(in: 0...6, using: &random)).map { _ in
        Money(nanos: random.nanos())
      }
      let reference = values.reduce(Int128(0)) { $0 + Int128($1.nanos) }
      if let nanos = Int64(exactly: reference) {
        #expect(try Money.sum(values) == Money(nanos: nanos))
      } else {
        #expect(throws: MoneyError.overflow) { try Money.sum(values) }
      }
    }
  }
}

@Suite struct MoneySplitTests {
  @Test func splitsByHand() throws {
    // 100/3 = 33 r 1 for each part; the one leftover nano goes to the lowest index.
    #expect(try Money.split(Money(nanos: 100), weights: [1, 1, 1]).map(\.nanos) == [34, 33, 33])
    // 10 × 1/3 = 3 r 1 and 10 × 2/3 = 6 r 2 (exact shares 3.33 and 6.67): the leftover nano
    // goes to the larger remainder, so [3, 7].
    #expect(try Money.split(Money(nanos: 10), weights: [1, 2]).map(\.nanos) == [3, 7])
    // A negative total is split as its magnitude and negated: −[3, 7].
    #expect(try Money.split(Money(nanos: -10), weights: [1, 2]).map(\.nanos) == [-3, -7])
    // A tie of remainders goes to the lower index.
    #expect(try Money.split(Money(nanos: 1), weights: [1, 1]).map(\.nanos) == [1, 0])
    // Zero weights get nothing.
    #expect(try Money.split(Money(nanos: 5), weights: [0, 1, 0]).map(\.nanos) == [0, 5, 0])
    // −2^63 / 2 = −2^62 each.
    #expect(
      try Money.split(Money(nanos: Int64.min), weights: [1, 1]).map(\.nanos)
        == [-4_611_686_018_427_387_904, -4_611_686_018_427_387_904])
  }

  @Test func splitsWithHugeWeights() throws {
    // M = 2^63 − 1 = 2k + 1 with k = 2^62 − 1, weights [M, M, 1] sum to 2M + 1 = 4k + 3.
    // M × M = 4k² + 4k + 1 = (4k + 3)·k + (k + 1): parts k, k with remainders k + 1;
    // M × 1 = 0·(4k + 3) + M: part 0, remainder 2k + 1, the largest, so it gets the one
    // leftover nano (M − 2k = 1).
    let k: Int64 = 4_611_686_018_427_387_903
    let parts = try Money.split(Money(nanos: Int64.max), weights: [.max, .max, 1])
    #expect(parts.map(\.nanos) == [k, k, 1])
  }

  @Test(arguments: [[], [0], [0, 0], [1, -1], [-1]] as [[Int64]])
  func rejectsInvalidWeights(weights: [Int64]) {
    #expect(throws: MoneyError.invalidWeights) {
      try Money.split(Money(nanos: 1), weights: weights)
    }
  }

  @Test func splitPropertiesHoldForRandomCases() throws {
    var random = SeededRandom(state: 5)
    for _ in 0..<4_000 {
      let total = random.nanos()
      var weights = (0..<Int.random(in: 1...8, using: &random)).map { _ -> Int64 in
        switch Int.random(in: 0..<4, using: &random) {
        case 0: 0
        case 1: Int64.random(in: 1...10, using: &random)
        case 2: Int64.random(in: 1...1_000_000_000_000, using: &random)
        default: Int64.max - Int64.random(in: 0...1_000, using: &random)
        }
      }
      if weights.allSatisfy({ $0 == 0 }) {
        weights[Int.random(in: 0..<weights.count, using: &random)] = 1
      }
      let parts = try Money.split(Money(nanos: total), weights: weights)
      #expect(parts.count == weights.count)
      #expect(parts.reduce(Int128(0)) { $0 + Int128($1.nanos) } == Int128(total))
      #expect(parts.allSatisfy { total >= 0 ? $0.nanos >= 0 : $0.nanos <= 0 })
      // |part − total × w / Σw| < 1  ⇔  |part × Σw − total × w| < Σw, all in Int128.
      let weightSum = weights.reduce(Int128(0)) { $0 + Int128($1) }
      for (part, weight) in zip(parts, weights) {
        let (scaled, overflow) = Int128(part.nanos).multipliedReportingOverflow(by: weightSum)
        #expect(!overflow)
        let error = scaled - Int128(total) * Int128(weight)
        #expect((error < 0 ? -error : error) < weightSum)
      }
    }
  }

  @Test func splitsEvenlyByHand() {
    // 10 = 3 × 3 + 1: the first part gets the extra nano.
    #expect(Money.splitEvenly(Money(nanos: 10), into: 3).map(\.nanos) == [4, 3, 3])
    #expect(Money.splitEvenly(Money(nanos: -10), into: 3).map(\.nanos) == [-4, -3, -3])
    #expect(Money.splitEvenly(Money(nanos: 2), into: 5).map(\.nanos) == [1, 1, 0, 0, 0])
    #expect(Money.splitEvenly(Money(nanos: Int64.min), into: 1).map(\.nanos) == [Int64.min])
    // 2^63 − 1 = 2 × (2^62 − 1) + 1.
    #expect(
      Money.splitEvenly(Money(nanos: Int64.max), into: 2).map(\.nanos)
        == [4_611_686_018_427_387_904, 4_611_686_018_427_387_903])
  }

  @Test func splitEvenlyPropertiesHoldForRandomCases() {
    var random = SeededRandom(state: 6)
    for _ in 0..<4_000 {
      let total = random.nanos()
      let count = Int.random(in: 1...50, using: &random)
      let parts = Money.splitEvenly(Money(nanos: total), into: count).map(\.nanos)
      #expect(parts.count == count)
      #expect(parts.reduce(Int128(0)) { $0 + Int128($1) } == Int128(total))
      let magnitudes = parts.map(\.magnitude)
      let smallest = magnitudes.min() ?? 0
      #expect((magnitudes.max() ?? 0) - smallest <= 1)
      // The larger parts come first, |total| mod count of them.
      let larger = magnitudes.prefix { $0 > smallest }.count
      #expect(larger == Int(total.magnitude % UInt64(count)))
      #expect(parts.allSatisfy { total >= 0 ? $0 >= 0 : $0 <= 0 })
    }
  }
}

@Suite struct MoneyRoundingTests {
  /// Amounts in nanos, places, and the rounded amounts worked out by hand.
  static let examples: [([Int64], Int, [Int64])] = [
    // 0.333 + 0.333 + 0.334 = 1.00; floors 33, 33, 33 cents with remainders .3, .3, .4:
    // the missing cent goes to the last row.
    ([333_000_000, 333_000_000, 334_000_000], 2, [330_000_000, 330_000_000, 340_000_000]),
    // 0.005 + 0.005 = 0.01; equal remainders, so the lower index gets the cent.
    ([5_000_000, 5_000_000], 2, [10_000_000, 0]),
    // Mirrored: the negative total is rounded as its negation.
    ([-5_000_000, -5_000_000], 2, [-10_000_000, 0]),
    // 3 × 0.004 = 0.012 → 0.01, where rounding each row would give 0.00.
    ([4_000_000, 4_000_000, 4_000_000], 2, [10_000_000, 0, 0]),
    // 1.006 − 0.003 = 1.003 → 1.00; floors 100 and −1 cents, remainders .6 and .7: the cent
    // goes to the second row, which becomes 0.00.
    ([1_006_000_000, -3_000_000], 2, [1_000_000_000, 0]),
    // 2.5 + 2.5 = 5; floors 2 and 2, the tie goes to the first row.
    ([2_500_000_000, 2_500_000_000], 0, [3_000_000_000, 2_000_000_000]),
    ([], 2, []),
    ([123_456_789], 9, [123_456_789]),
    // max − 0.9 = 9223372035.95… → 9223372036. The first row cannot round up to …037 (out
    // of range), so the missing unit goes to −0.9, which becomes 0.
    ([Int64.max, -900_000_000], 0, [9_223_372_036_000_000_000, 0]),
    // min + max + 1 = 0.999999999 → 1. Rounding min down to −9223372037 would leave the range,
    // so it rounds up to −9223372036; max rounds down; together with 1 that makes 1.
    (
      [Int64.min, Int64.max, 1_000_000_000], 0,
      [-9_223_372_036_000_000_000, 9_223_372_036_000_000_000, 1_000_000_000]
    ),
  ]

  @Test(arguments: examples)
  func roundsByHand(amounts: [Int64], places: Int, expected: [Int64]) {
    let rounded = Money.roundedPreservingTotal(
      amounts.map(Money.init(nanos:)), fractionDigits: places)
    #expect(rounded.map(\.nanos) == expected)
  }

  @Test func neverLeavesTheRange() {
    // −2^63 → −9223372037 would not fit: the row stays −9223372036, within one unit.
    let rounded = Money.roundedPreservingTotal([Money(nanos: Int64.min)], fractionDigits: 0)
    #expect(rounded.map(\.nanos) == [-9_223_372_036_000_000_000])
  }

  @Test func roundingPropertiesHoldForRandomCases() {
    var random = SeededRandom(state: 7)
    for _ in 0..<4_000 {
      let places = Int.random(in: 0...9, using: &random)
      let unit = power(9 - places)
      let amounts = (0..<Int.random(in: 1...10, using: &random)).map { _ in
        Money(nanos: random.nanos() / 16)  // ten of them and their rounded total stay in range
      }
      let rounded = Money.roundedPreservingTotal(amounts, fractionDigits: places)
      #expect(rounded.count == amounts.count)
      // Independent route: the Int128 total rounded half away from zero.
      let total = amounts.reduce(Int128(0)) { $0 + Int128($1.nanos) }
      #expect(
        rounded.reduce(Int128(0)) { $0 + Int128($1.nanos) } == roundHalfAway(total, unit: unit))
      for (row, amount) in zip(rounded, amounts) {
        #expect(Int128(row.nanos) % unit == 0)
        // Within one minor unit of the amount, hence of its own rounding.
        let difference = Int128(row.nanos) - Int128(amount.nanos)
        #expect((difference < 0 ? -difference : difference) < unit)
      }
    }
  }
}
