/// Typed access to the fields of one record, with errors that name the file, line, column and
/// header of a bad value.
struct RecordFields {
  let record: CSVRecord
  let header: Header
  let path: String
  /// Whether the literal text `NULL` means null (real FOCUS exports write it).
  let nullLiteral: Bool
  /// Whether errors name the field's number (CSV); records made from JSON lines name only the
  /// field.
  var reportsColumnNumbers = true

  /// The field's bytes; empty when the column is absent, the field is empty, or it is `NULL`
  /// where that literal means null.
  func text(_ column: Int?) -> UnsafeRawBufferPointer {
    guard let column else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    let bytes = record[column]
    if nullLiteral && bytes.count == 4 && equals(bytes, "NULL") {
      return UnsafeRawBufferPointer(start: nil, count: 0)
    }
    return bytes
  }

  /// The field as a String (for values that are stored once, such as tag values).
  func string(_ column: Int) -> String {
    String(decoding: text(column), as: UTF8.self)
  }

  /// A decimal amount; an empty field is zero.
  func money(_ column: Int?) throws(InputError) -> Money {
    try optionalMoney(column) ?? .zero
  }

  /// The bytes of a numeric field; empty for the null words `NULL` and `None` too, which
  /// cannot be numbers (real FOCUS exports write `NULL`, and CURs from the widely used
  /// koku-nise generator write Python's `None`).
  private func numericText(_ column: Int?) -> UnsafeRawBufferPointer {
    let bytes = text(column)
    if bytes.count == 4 && (equals(bytes, "NULL") || equals(bytes, "None")) {
      return UnsafeRawBufferPointer(start: nil, count: 0)
    }
    return bytes
  }

  /// A decimal amount, or nil for an empty field.
  func optionalMoney(_ column: Int?) throws(InputError) -> Money? {
    let bytes = numericText(column)
    guard !bytes.isEmpty else { return nil }
    do {
      return try Money(parsing: bytes)
    } catch {
      throw InputError(error.description, at: location(column))
    }
  }

  /// A decimal amount that must be present.
  func requiredMoney(_ column: Int) throws(InputError) -> Money {
    guard !numericText(column).isEmpty else {
      throw InputError("expected a decimal number, found an empty field", at: location(column))
    }
    return try money(column)
  }

  /// An amount computed from this record's fields; overflow is reported at `column`.
  func computed(at column: Int?, _ body: () throws(MoneyError) -> Money) throws(InputError) -> Money
  {
    do {
      return try body()
    } catch {
      throw InputError(error.description, at: location(column))
    }
  }

  /// A quantity (not money): a decimal number read as Double, or nil for an empty field.
  func quantity(_ column: Int?) throws(InputError) -> Double? {
    let bytes = numericText(column)
    guard !bytes.isEmpty else { return nil }
    let value = DecimalDouble.parse(bytes)
    guard let value else {
      throw InputError(
        "expected a number, found \"\(String(decoding: bytes.prefix(40), as: UTF8.self))\"",
        at: location(column))
    }
    return value
  }

  /// A timestamp that must be present.
  func timestamp(_ column: Int) throws(InputError) -> Timestamp {
    let bytes = text(column)
    guard let parsed = Timestamp(parsing: bytes) else {
      let found =
        bytes.isEmpty
        ? "an empty field" : "\"\(String(decoding: bytes.prefix(40), as: UTF8.self))\""
      throw InputError(
        "expected a timestamp such as 2026-10-01T00:00:00Z, found \(found)", at: location(column))
    }
    return parsed
  }

  /// A timestamp, or nil for an empty field (or a null word).
  func optionalTimestamp(_ column: Int?) throws(InputError) -> Timestamp? {
    guard !numericText(column).isEmpty, let column else { return nil }
    return try timestamp(column)
  }

  /// Where a column of this record is.
  func location(_ column: Int?) -> SourceLocation {
    SourceLocation(
      file: path, line: record.line, column: reportsColumnNumbers ? column.map { $0 + 1 } : nil,
      columnName: column.map { header.names[$0] })
  }
}

/// The last text of one timestamp column and its value: an hourly export repeats the same
/// start and end on thousands of consecutive lines, so most lines compare bytes instead of
/// parsing them.
struct LastTimestamp {
  private var text: [UInt8] = []
  private var value: Timestamp?

  /// ``RecordFields/timestamp(_:)`` of `column`, parsed only when its text differs from the
  /// last one this column had.
  mutating func timestamp(_ f: RecordFields, _ column: Int) throws(InputError) -> Timestamp {
    let bytes = f.text(column)
    if let value, text.withUnsafeBytes({ sameBytes($0, bytes) }) { return value }
    let parsed = try f.timestamp(column)
    text.removeAll(keepingCapacity: true)
    text.append(contentsOf: bytes)
    value = parsed
    return parsed
  }
}
