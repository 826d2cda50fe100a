/// Decimal text for integer nano-units (10⁻⁹), written exactly: no `Double` anywhere.
///
/// Generated amounts are `Int64` nanos; these functions write them in the shapes real
/// billing exports use (`0.0104000000`, `24.0`, `1.2E-7`, `64.032000`). Every shape reads
/// back to the same nanos: digits past the ninth decimal are always zeros.
public enum DecimalText {
  /// Nano-units per whole unit of currency (or of quantity).
  public static let nanosPerUnit: Int64 = 1_000_000_000

  /// Writes `nanos` as a plain decimal with at least `minimumFractionDigits` decimals.
  ///
  /// Significant decimals (up to nine) are always written, then zeros pad up to the minimum,
  /// so `plain(10_400_000, minimumFractionDigits: 10)` is `0.0104000000` and
  /// `plain(24_000_000_000, minimumFractionDigits: 1)` is `24.0`.
  public static func plain(_ nanos: Int64, minimumFractionDigits: Int = 0) -> String {
    var bytes: [UInt8] = []
    appendPlain(nanos, minimumFractionDigits: minimumFractionDigits, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Writes `nanos` in the scientific notation of Java's `Double.toString`, as legacy CUR
  /// files do for tiny amounts: `1.2E-7`, `5.0E-6`, `-3.72E-8`.
  public static func scientific(_ nanos: Int64) -> String {
    var bytes: [UInt8] = []
    appendScientific(nanos, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the ``plain(_:minimumFractionDigits:)`` form of `nanos` to `bytes`.
  public static func appendPlain(
    _ nanos: Int64, minimumFractionDigits: Int, to bytes: inout [UInt8]
  ) {
    if nanos < 0 { bytes.append(UInt8(ascii: "-")) }
    let magnitude = nanos.magnitude
    let whole = magnitude / 1_000_000_000
    var fraction = magnitude % 1_000_000_000
    appendUnsigned(whole, to: &bytes)
    var significant = 9
    if fraction == 0 {
      significant = 0
    } else {
      while fraction % 10 == 0 {
        fraction /= 10
        significant -= 1
      }
    }
    let digits = max(significant, minimumFractionDigits)
    guard digits > 0 else { return }
    bytes.append(UInt8(ascii: "."))
    // The significant decimals, left-padded with zeros to their position.
    var scratch: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
      (48, 48, 48, 48, 48, 48, 48, 48, 48)
    withUnsafeMutableBytes(of: &scratch) { buffer in
      var value = fraction
      var index = significant - 1
      while index >= 0 {
        buffer[index] = UInt8(48 + value % 10)
        value /= 10
        index -= 1
      }
      bytes.append(contentsOf: buffer[0..<significant])
    }
    if digits > significant {
      bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits - significant))
    }
  }

  /// Appends the ``scientific(_:)`` form of `nanos` to `bytes`.
  public static func appendScientific(_ nanos: Int64, to bytes: inout [UInt8]) {
    if nanos == 0 {
      bytes.append(contentsOf: "0.0".utf8)
      return
    }
    if nanos < 0 { bytes.append(UInt8(ascii: "-")) }
    var digits: [UInt8] = []
    var value = nanos.magnitude
    while value > 0 {
      digits.append(UInt8(48 + value % 10))
      value /= 10
    }
    digits.reverse()
    // value = 0.d1d2…dn × 10^(n − 9) = d1.d2…dn × 10^(n − 10)
    let exponent = digits.count - 10
    while digits.count > 1, digits[digits.count - 1] == UInt8(ascii: "0") {
      digits.removeLast()
    }
    bytes.append(digits[0])
    bytes.append(UInt8(ascii: "."))
    if digits.count > 1 {
      bytes.append(contentsOf: digits[1...])
    } else {
      bytes.append(UInt8(ascii: "0"))
    }
    bytes.append(UInt8(ascii: "E"))
    if exponent < 0 { bytes.append(UInt8(ascii: "-")) }
    appendUnsigned(UInt64(exponent.magnitude), to: &bytes)
  }

  /// Appends the decimal digits of `value` to `bytes`.
  public static func appendUnsigned(_ value: UInt64, to bytes: inout [UInt8]) {
    if value < 10 {
      bytes.append(UInt8(48 + value))
      return
    }
    var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &scratch) { buffer in
      var remaining = value
      var index = buffer.count
      while remaining > 0 {
        index -= 1
        buffer[index] = UInt8(48 + remaining % 10)
        remaining /= 10
      }
      bytes.append(contentsOf: buffer[index...])
    }
  }

  /// Returns `quantity × rate` in nanos, rounded half-even, where both factors are nanos
  /// (for example a usage amount and a unit price).
  public static func multiply(_ quantity: Int64, by rate: Int64) -> Int64 {
    let product = Int128(quantity) * Int128(rate)
    return Int64(divideRoundingHalfEven(product, by: Int128(nanosPerUnit)))
  }

  /// Returns `value × numerator / denominator`, rounded half-even (a percentage or a share).
  public static func scale(_ value: Int64, by numerator: Int64, over denominator: Int64) -> Int64 {
    Int64(divideRoundingHalfEven(Int128(value) * Int128(numerator), by: Int128(denominator)))
  }

  /// Rounds `nanos` half-even to a multiple of `step` nanos (10⁷ rounds to cents).
  public static func round(_ nanos: Int64, toMultipleOf step: Int64) -> Int64 {
    Int64(divideRoundingHalfEven(Int128(nanos), by: Int128(step))) * step
  }

  private static func divideRoundingHalfEven(_ value: Int128, by divisor: Int128) -> Int128 {
    var quotient = value / divisor
    let remainder = value - quotient * divisor
    let twice = remainder.magnitude * 2
    if twice > divisor.magnitude || (twice == divisor.magnitude && quotient % 2 != 0) {
      quotient += (value < 0) == (divisor < 0) ? 1 : -1
    }
    return quotient
  }
}
