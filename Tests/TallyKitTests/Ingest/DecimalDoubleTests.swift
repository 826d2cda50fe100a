import Foundation
import Testing

@testable import TallyKit

/// Quantities must parse to exactly what C's `strtod` gives: each test compares bit patterns
/// (so `-0.0` differs from `0.0`) with `strtod` called directly on the text.
@Suite struct DecimalDoubleTests {
  /// `strtod` on the whole text: nil unless it reads every byte and the value is finite.
  private static func reference(_ text: String) -> Double? {
    text.withCString { start in
      var end: UnsafeMutablePointer<CChar>?
      let value = strtod(start, &end)
      guard let end, end == UnsafeMutablePointer(mutating: start) + text.utf8.count,
        value.isFinite
      else { return nil }
      return value
    }
  }

  private static func parse(_ text: String, fastOnly: Bool = false) -> Double? {
    var text = text
    return text.withUTF8 { utf8 in
      let bytes = UnsafeRawBufferPointer(utf8)
      return fastOnly ? DecimalDouble.fastPath(bytes) : DecimalDouble.parse(bytes)
    }
  }

  /// A random decimal in the grammar of CUR quantities and beyond: a sign, leading zeros,
  /// up to 24 integer and fraction digits, an exponent up to ±400 in either case.
  private static func randomDecimal(_ random: inout SeededRandom) -> String {
    var text = ""
    switch Int.random(in: 0..<4, using: &random) {
    case 0: text += "-"
    case 1: text += "+"
    default: break
    }
    func digits(_ count: Int) -> String {
      String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
    }
    let short = Bool.random(using: &random)  // mostly digit counts the fast path takes
    if Int.random(in: 0..<5, using: &random) == 0 { text += "000" }
    text += digits(Int.random(in: 0...(short ? 8 : 24), using: &random))
    if Bool.random(using: &random) {
      text += "." + digits(Int.random(in: 0...(short ? 8 : 24), using: &random))
    }
    if Int.random(in: 0..<3, using: &random) == 0 {
      text += Bool.random(using: &random) ? "e" : "E"
      switch Int.random(in: 0..<3, using: &random) {
      case 0: text += "-"
      case 1: text += "+"
      default: break
      }
      text += String(Int.random(in: 0...(short ? 25 : 400), using: &random))
    }
    return text
  }

  @Test func fastPathAgreesWithStrtodOnRandomDecimals() {
    var random = SeededRandom(state: 11)
    var fast = 0
    for _ in 0..<200_000 {
      let text = Self.randomDecimal(&random)
      let expected = Self.reference(text)
      if let value = Self.parse(text, fastOnly: true) {
        fast += 1
        #expect(value.bitPattern == expected?.bitPattern, "\(text)")
      }
      #expect(Self.parse(text)?.bitPattern == expected?.bitPattern, "\(text)")
    }
    // The comparison must exercise the fast path, not only the fallback.
    #expect(fast > 80_000)
  }

  /// Values from the bench CUR and the edges of the fast path, each against `strtod`.
  @Test(arguments: [
    "10288.8", "0.35813288", "3.88172043", "1.0", "16.0", "-0.1880000000", "0", "-0", "+0.0",
    "0e400", "-0E-400", ".5", "5.", "1e22", "1e-22", "9007199254740992", "000.00012345678901234e-3",
  ])
  func fastPathTakesPlainDecimals(text: String) {
    let value = Self.parse(text, fastOnly: true)
    #expect(value != nil)
    #expect(value?.bitPattern == Self.reference(text)?.bitPattern)
  }

  /// Text the fast path leaves to `strtod`: too many digits or too large an exponent to round
  /// in one operation, or not a plain decimal at all. The result is still `strtod`'s.
  @Test(arguments: [
    "9007199254740993", "123456789012345678", "0.000000000000000000000000001234",
    "1e23", "1.7976931348623157e308", "4.9e-324", "1e-400",
    "0.1000000000000000055511151231257827", " 1.5", "0x1p3", "1,5", "1e", "-", ".", "e5",
    "1.5x", "inf", "nan", "1e400", "-1e400",
  ])
  func othersGoToStrtod(text: String) {
    #expect(Self.parse(text, fastOnly: true) == nil)
    #expect(Self.parse(text)?.bitPattern == Self.reference(text)?.bitPattern)
  }

  @Test func negativeZeroKeepsItsSign() throws {
    let value = try #require(Self.parse("-0.000"))
    #expect(value == 0 && value.sign == .minus)
  }
}
