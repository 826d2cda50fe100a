#if canImport(Glibc)
  internal import Glibc
#else
  internal import Darwin
#endif

/// Decimal text to `Double` for quantities (not money), with exactly the result of C's
/// `strtod` on the whole text, and nil where `strtod` would not read all of it or gives
/// ±infinity or NaN.
///
/// Plain decimals in the grammar of ``Money/init(parsing:)``, such as `10288.8`, `-0.35813288`
/// or `4.0E3`, whose value is `w × 10^e` with `w ≤ 2⁵³` and `|e| ≤ 22` take Clinger's fast path:
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
    // Text outside the grammar allocates its error here, and goes to strtod.
    guard let number = try? DecimalNumber(parsing: bytes), let (significand, power) = number.exactly
    else { return nil }
    if significand == 0 { return number.negative ? -0.0 : 0.0 }
    guard significand <= 1 << 53, (-22...22).contains(power) else { return nil }
    let magnitude =
      power >= 0
      ? Double(significand) * exactPowersOfTen[power]
      : Double(significand) / exactPowersOfTen[-power]
    return number.negative ? -magnitude : magnitude
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
