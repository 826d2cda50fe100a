/// A calendar month in UTC, with the timestamp shapes billing exports write.
///
/// Times inside a month are hour offsets from its first instant (0 is `YYYY-MM-01T00:00:00Z`,
/// ``hours`` is the first instant of the next month). No clock is ever read.
public struct BillingMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The year, e.g. 2026.
  public let year: Int
  /// The month, 1 to 12.
  public let month: Int

  /// Creates the month `year`-`month`.
  public init(year: Int, month: Int) {
    precondition((1...12).contains(month), "month must be 1...12")
    self.year = year
    self.month = month
  }

  /// Parses `YYYY-MM`.
  public init?(_ text: String) {
    let parts = text.split(separator: "-")
    guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month)
    else { return nil }
    self.init(year: year, month: month)
  }

  /// `YYYY-MM`.
  public var description: String {
    "\(year)-\(twoDigits(month))"
  }

  /// The number of days in the month.
  public var days: Int {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// The number of hours in the month.
  public var hours: Int { days * 24 }

  /// The month after this one.
  public var next: BillingMonth {
    month == 12
      ? BillingMonth(year: year + 1, month: 1) : BillingMonth(year: year, month: month + 1)
  }

  /// The month before this one.
  public var previous: BillingMonth {
    month == 1
      ? BillingMonth(year: year - 1, month: 12) : BillingMonth(year: year, month: month - 1)
  }

  /// The day of the week of day `day` (1-based): 0 is Monday, 6 is Sunday.
  public func weekday(ofDay day: Int) -> Int {
    // Days since 1970-01-01 (a Thursday), from Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = month
    let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let daysSinceEpoch = era * 146_097 + dayOfEra - 719_468
    return ((daysSinceEpoch % 7) + 7 + 3) % 7
  }

  /// `YYYY-MM-DDTHH:00:00Z` (or with `.000Z` when `milliseconds`) for hour offset `hour`;
  /// `hour` may equal ``hours`` (the next month's first instant).
  public func timestamp(hour: Int, milliseconds: Bool = false) -> String {
    var bytes: [UInt8] = []
    appendTimestamp(hour: hour, milliseconds: milliseconds, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends ``timestamp(hour:milliseconds:)`` to `bytes`.
  public func appendTimestamp(hour: Int, milliseconds: Bool, to bytes: inout [UInt8]) {
    var month = self
    var offset = hour
    if offset >= hours {
      offset -= hours
      month = next
    }
    appendDigits(month.year, count: 4, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendDigits(month.month, count: 2, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendDigits(offset / 24 + 1, count: 2, to: &bytes)
    bytes.append(UInt8(ascii: "T"))
    appendDigits(offset % 24, count: 2, to: &bytes)
    bytes.append(contentsOf: milliseconds ? ":00:00.000Z".utf8 : ":00:00Z".utf8)
  }

  /// `YYYYMMDD` of the month's first day (as in CUR delivery paths).
  public var compactStart: String {
    "\(year)\(twoDigits(month))01"
  }

  /// `YYYYMMDDT000000.000Z` of the month's first instant (as in CUR manifests).
  public var manifestStart: String {
    "\(compactStart)T000000.000Z"
  }

  /// Orders months chronologically.
  public static func < (lhs: BillingMonth, rhs: BillingMonth) -> Bool {
    (lhs.year, lhs.month) < (rhs.year, rhs.month)
  }
}

private func twoDigits(_ value: Int) -> String {
  value < 10 ? "0\(value)" : "\(value)"
}

private func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
  var divisor = 1
  for _ in 1..<count { divisor *= 10 }
  var remaining = value
  while divisor > 0 {
    bytes.append(UInt8(48 + (remaining / divisor) % 10))
    remaining %= divisor
    divisor /= 10
  }
}
