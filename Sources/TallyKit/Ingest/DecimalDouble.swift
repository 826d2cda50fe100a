#if canImport(Glibc)
  internal import Glibc
#else
  internal import Darwin
#endif

/// Decimal text to `Double` for quantities (not money), with exactly the result of C's
/// `strtod` on the whole text, and nil where `strtod` would not read all of it or gives
/// ±infinity or NaN.
///
/// Plain decimals such as `10288.8`, `-0.35813288` or `4.0E3` with at most 19 significant
/// digits whose value is `w × 10^e` with `w ≤ 2⁵³` and `|e| ≤ 22` take Clinger's fast path:
/// `w` and `10^|e|` are exact doubles, so one IEEE multiplication or division rounds the exact
/// value once, correctly, as `strtod` does. Everything else (more digits, larger exponents,
/// spaces, hexadecimal, `inf`) goes to `strtod`.
enum DecimalDouble {
  /// The value of `bytes`, or nil when they are not a finite number in `strtod`'s grammar.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
    if let value = fastPath(bytes) { return value }
    return viaStrtod(bytes)
  }

  /// The value of a plain decimal that Clinger's fast path rounds correctly; nil for any other
  /// text, including text that is a number but needs `strtod`.
  static func fastPath(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let count = bytes.count
    var index = 0
    var negative = false
    if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    var significand: UInt64 = 0
    var significantDigits = 0
    var sawDigit = false
    var scale = 0
    while index < count {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit <= 9 else { break }
      significand = significand &* 10 &+ UInt64(digit)
      if significand != 0 { significantDigits += 1 }
      sawDigit = true
      index += 1
    }
    if index < count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit <= 9 else { break }
        significand = significand &* 10 &+ UInt64(digit)
        if significand != 0 { significantDigits += 1 }
        scale -= 1
        sawDigit = true
        index += 1
      }
    }
    // 19 digits stay below 10¹⁹ < 2⁶⁴, so `significand` did not wrap.
    guard sawDigit, significantDigits <= 19 else { return nil }
    if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      var exponentNegative = false
      if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      var exponent = 0
      let digitsStart = index
      while index < count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit <= 9, exponent < 100_000 else { return nil }
        exponent = exponent * 10 + Int(digit)
        index += 1
      }
      guard index > digitsStart else { return nil }
      scale += exponentNegative ? -exponent : exponent
    }
    guard index == count else { return nil }
    if significand == 0 { return negative ? -0.0 : 0.0 }
    guard significand <= 1 << 53, (-22...22).contains(scale) else { return nil }
    let magnitude =
      scale >= 0
      ? Double(significand) * exactPowersOfTen[scale]
      : Double(significand) / exactPowersOfTen[-scale]
    return negative ? -magnitude : magnitude
  }

  /// `strtod` on a NUL-terminated copy of `bytes`: nil unless it reads every byte and the
  /// value is finite.
  static func viaStrtod(_ bytes: UnsafeRawBufferPointer) -> Double? {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
      guard let base = buffer.baseAddress else { return nil }
      UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
      buffer[bytes.count] = 0
      var end: UnsafeMutablePointer<CChar>?
      let parsed = strtod(base, &end)
      guard let end, end == base + bytes.count, parsed.isFinite else { return nil }
      return parsed
    }
  }

  /// 10⁰ through 10²², the powers of ten that a `Double` holds exactly.
  private static let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]
}
