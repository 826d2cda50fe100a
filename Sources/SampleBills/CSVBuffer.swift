/// A growable byte buffer that CSV rows are appended to, field by field.
///
/// A field is quoted (RFC 4180, doubled inner quotes) when it contains a comma, a quote, a
/// line break, or leading or trailing white space, so every value reads back unchanged.
public struct CSVBuffer: Sendable {
  /// The bytes written so far.
  public var bytes: [UInt8] = []
  /// What ends a row: `"\n"` or `"\r\n"`.
  public let lineEnding: [UInt8]
  private var atRowStart = true

  /// Creates an empty buffer whose rows end with `lineEnding`.
  public init(lineEnding: String = "\n", reservingCapacity capacity: Int = 0) {
    self.lineEnding = Array(lineEnding.utf8)
    bytes.reserveCapacity(capacity)
  }

  /// Appends a header or data row of text fields.
  public mutating func row(_ fields: [String]) {
    for value in fields { field(value) }
    endRow()
  }

  /// Appends one text field, quoting it if needed.
  public mutating func field(_ value: String) {
    separate()
    CSVBuffer.appendEscaped(value, to: &bytes)
  }

  /// Appends one field whose text is known not to need quoting (identifiers, numbers).
  public mutating func plainField(_ value: String) {
    separate()
    bytes.append(contentsOf: value.utf8)
  }

  /// Appends an empty field.
  public mutating func emptyField() {
    separate()
  }

  /// Appends `count` empty fields.
  public mutating func emptyFields(_ count: Int) {
    guard count > 0 else { return }
    if atRowStart {
      atRowStart = false
      bytes.append(contentsOf: repeatElement(UInt8(ascii: ","), count: count - 1))
    } else {
      bytes.append(contentsOf: repeatElement(UInt8(ascii: ","), count: count))
    }
  }

  /// Appends an amount in nanos as a plain decimal
  /// (see ``DecimalText/plain(_:minimumFractionDigits:)``).
  public mutating func decimalField(_ nanos: Int64, minimumFractionDigits: Int) {
    separate()
    DecimalText.appendPlain(nanos, minimumFractionDigits: minimumFractionDigits, to: &bytes)
  }

  /// Appends a cost the way legacy CUR files write them: `0.0` for zero, scientific
  /// notation (`1.2E-7`) when its magnitude is below 10⁻⁴, ten decimals otherwise.
  public mutating func costField(_ nanos: Int64) {
    separate()
    if nanos == 0 {
      bytes.append(contentsOf: "0.0".utf8)
    } else if nanos.magnitude < 100_000 {
      DecimalText.appendScientific(nanos, to: &bytes)
    } else {
      DecimalText.appendPlain(nanos, minimumFractionDigits: 10, to: &bytes)
    }
  }

  /// Appends a field made of pre-rendered bytes, written as they are.
  public mutating func rawField(_ raw: [UInt8]) {
    separate()
    bytes.append(contentsOf: raw)
  }

  /// Appends a pre-rendered run of fields, each already preceded by its comma (see
  /// ``CSVBuffer/segment(_:)``); used after the first field of a row.
  public mutating func segment(_ raw: [UInt8]) {
    precondition(!atRowStart, "a segment cannot start a row")
    bytes.append(contentsOf: raw)
  }

  /// Appends raw bytes that belong to the current field (no separator).
  public mutating func appendToField(_ raw: some Sequence<UInt8>) {
    bytes.append(contentsOf: raw)
  }

  /// Starts a new field and returns nothing; the caller appends its bytes through
  /// ``appendToField(_:)`` or directly to ``bytes``.
  public mutating func beginField() {
    separate()
  }

  /// Ends the current row.
  public mutating func endRow() {
    bytes.append(contentsOf: lineEnding)
    atRowStart = true
  }

  /// Removes all bytes, keeping the capacity (after a flush to a file).
  public mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
  }

  /// Renders `values` as a run of fields, each preceded by a comma, for ``segment(_:)``.
  public static func segment(_ values: [String]) -> [UInt8] {
    var raw: [UInt8] = []
    for value in values {
      raw.append(UInt8(ascii: ","))
      appendEscaped(value, to: &raw)
    }
    return raw
  }

  /// Appends `value` to `bytes`, quoted if it needs to be.
  public static func appendEscaped(_ value: String, to bytes: inout [UInt8]) {
    let utf8 = value.utf8
    guard needsQuotes(utf8) else {
      bytes.append(contentsOf: utf8)
      return
    }
    bytes.append(UInt8(ascii: "\""))
    for byte in utf8 {
      if byte == UInt8(ascii: "\"") { bytes.append(byte) }
      bytes.append(byte)
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private static func needsQuotes(_ utf8: String.UTF8View) -> Bool {
    guard let first = utf8.first, let last = utf8.last else { return false }
    if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || first == 9 || last == 9 {
      return true
    }
    for byte in utf8 {
      switch byte {
      case UInt8(ascii: ","), UInt8(ascii: "\""), 10, 13: return true
      default: continue
      }
    }
    return false
  }

  private mutating func separate() {
    if atRowStart {
      atRowStart = false
    } else {
      bytes.append(UInt8(ascii: ","))
    }
  }
}
