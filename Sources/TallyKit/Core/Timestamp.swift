/// A UTC instant in whole seconds since 1970-01-01T00:00:00Z, parsed from the timestamp
/// spellings that billing exports use.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Seconds since the Unix epoch, UTC.
  public var secondsSinceEpoch: Int64

  /// Creates a timestamp from seconds since the epoch.
  public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

  /// Creates a timestamp at midnight UTC of a calendar date.
  public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
    let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
    secondsSinceEpoch = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
  }

  /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fff…]]`, and an
  /// optional zone: `Z`, ` UTC`, `+HH:MM`, `+HHMM` or `-HH:MM` (a missing zone means UTC). Also the
  /// compact form `YYYYMMDDTHHMMSS[.fff]Z` of AWS manifests. Returns nil for anything else.
  public init?(parsing bytes: UnsafeRawBufferPointer) {
    var scanner = DigitScanner(bytes: bytes)
    guard let parsed = scanner.scanTimestamp() else { return nil }
    self = parsed
  }

  /// Parses the same spellings from a String.
  public init?(parsing text: String) {
    var text = text
    guard let parsed = text.withUTF8({ Timestamp(parsing: UnsafeRawBufferPointer($0)) }) else {
      return nil
    }
    self = parsed
  }

  /// The calendar date and time in UTC.
  public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
    let days =
      secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
    let secondOfDay = Int(secondsSinceEpoch - days * 86_400)
    let (year, month, day) = Timestamp.civilFromDays(days)
    return (year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
  }

  /// The month this instant falls in, UTC.
  public var month: BillingMonth {
    let parts = components
    return BillingMonth(year: parts.year, month: parts.month)
  }

  /// ISO 8601 with a `Z`: `2026-10-01T00:00:00Z`.
  public var description: String {
    let c = components
    return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T"
      + "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
  }

  /// Orders by instant.
  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
  }

  // Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = Int64(month)
    let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (Int(year), Int(month), Int(day))
  }
}

/// A calendar month, the unit of billing periods and reports: `2026-10`.
public struct BillingMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The year, e.g. 2026.
  public var year: Int
  /// The month, 1...12.
  public var month: Int

  /// Creates a month.
  public init(year: Int, month: Int) {
    self.year = year
    self.month = month
  }

  /// Parses `YYYY-MM`; nil for anything else.
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month)
    else { return nil }
    self.init(year: year, month: month)
  }

  /// The first instant of the month.
  public var start: Timestamp { Timestamp(year: year, month: month, day: 1) }
  /// The month before this one.
  public var previous: BillingMonth {
    month == 1
      ? BillingMonth(year: year - 1, month: 12) : BillingMonth(year: year, month: month - 1)
  }
  /// The month after this one.
  public var next: BillingMonth {
    month == 12
      ? BillingMonth(year: year + 1, month: 1) : BillingMonth(year: year, month: month + 1)
  }

  /// `YYYY-MM`.
  public var description: String { "\(pad(year, 4))-\(pad(month, 2))" }

  /// Orders chronologically.
  public static func < (lhs: BillingMonth, rhs: BillingMonth) -> Bool {
    (lhs.year, lhs.month) < (rhs.year, rhs.month)
  }
}

private func pad(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Reads fixed-width digit groups and separators from timestamp bytes.
private struct DigitScanner {
  let bytes: UnsafeRawBufferPointer
  var index = 0

  var atEnd: Bool { index >= bytes.count }
  var current: UInt8? { atEnd ? nil : bytes[index] }

  mutating func digits(_ count: Int) -> Int? {
    guard index + count <= bytes.count else { return nil }
    var value = 0
    for offset in 0..<count {
      let byte = bytes[index + offset]
      guard byte >= 0x30, byte <= 0x39 else { return nil }
      value = value * 10 + Int(byte - 0x30)
    }
    index += count
    return value
  }

  mutating func skip(_ byte: UInt8) -> Bool {
    guard current == byte else { return false }
    index += 1
    return true
  }

  /// Skips `word` if the bytes continue with it.
  mutating func skipWord(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { return false }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      return false
    }
    index += count
    return true
  }

  mutating func scanTimestamp() -> Timestamp? {
    guard let year = digits(4) else { return nil }
    let compact = !skip(UInt8(ascii: "-"))
    guard let month = digits(2), (1...12).contains(month) else { return nil }
    guard compact || skip(UInt8(ascii: "-")), let day = digits(2), (1...31).contains(day) else {
      return nil
    }
    var hour = 0
    var minute = 0
    var second = 0
    if skip(UInt8(ascii: "T")) || skip(UInt8(ascii: " ")) {
      guard let h = digits(2), compact || skip(UInt8(ascii: ":")), let m = digits(2) else {
        return nil
      }
      (hour, minute) = (h, m)
      if compact || skip(UInt8(ascii: ":")) {
        guard let s = digits(2) else { return nil }
        second = s
        if skip(UInt8(ascii: ".")) {
          guard let byte = current, byte >= 0x30, byte <= 0x39 else { return nil }
          while let byte = current, byte >= 0x30, byte <= 0x39 { index += 1 }
        }
      }
      guard hour < 24, minute < 60, second < 61 else { return nil }
    }
    var offsetSeconds = 0
    if skipWord(" UTC") {
      // BigQuery writes TIMESTAMP values as `2020-11-09 23:00:00 UTC` in JSON exports.
    } else if skip(UInt8(ascii: "Z")) {
    } else if let sign = current, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      index += 1
      guard let h = digits(2) else { return nil }
      _ = skip(UInt8(ascii: ":"))
      guard let m = digits(2) else { return nil }
      offsetSeconds = (h * 3600 + m * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
    }
    guard atEnd else { return nil }
    let local = Timestamp(
      year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
    return Timestamp(secondsSinceEpoch: local.secondsSinceEpoch - Int64(offsetSeconds))
  }
}
