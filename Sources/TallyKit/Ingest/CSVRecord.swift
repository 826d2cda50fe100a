/// One CSV record, borrowed from the reader's buffer: valid only inside the closure that
/// receives it (``CSVReader/forEachRecord(keeping:_:)``).
///
/// Fields are bytes exactly as the file holds them once quoting is undone: surrounding quotes
/// removed, doubled quotes made single, embedded commas and line breaks kept, spaces kept. They are
/// not checked to be UTF-8. Don't store the buffers a record hands out, nor the record itself;
/// copy what you need to keep (``string(at:)``, or parse numbers from the bytes).
public struct CSVRecord {
  /// The start of the reader's byte arena.
  private let base: UnsafeRawPointer
  /// The end offset in the arena of each field of this record.
  private let ends: UnsafePointer<Int>
  /// The offset in the arena at which the first field starts.
  private let start: Int

  /// The number of fields in the record, including fields skipped by a `keeping:` mask.
  public let count: Int
  /// The physical line (1-based) on which the record starts, counting LF, CRLF and lone CR as
  /// line breaks, blank lines and line breaks inside quoted fields included.
  public let line: Int

  /// Creates a view of fields `ends[0..<count]` of the arena at `base`.
  init(base: UnsafeRawPointer, ends: UnsafePointer<Int>, start: Int, count: Int, line: Int) {
    self.base = base
    self.ends = ends
    self.start = start
    self.count = count
    self.line = line
  }

  /// The unquoted, unescaped bytes of the field at 0-based index `field`.
  ///
  /// The buffer is empty for an empty field, for `field >= count`, and for a column the
  /// `keeping:` mask skipped. Its `baseAddress` is never nil, even when it is empty, so binding
  /// it to SQLite gives an empty text, not NULL.
  public subscript(field: Int) -> UnsafeRawBufferPointer {
    guard field >= 0 && field < count else { return UnsafeRawBufferPointer(start: base, count: 0) }
    let lower = field == 0 ? start : ends[field - 1]
    return UnsafeRawBufferPointer(start: base + lower, count: ends[field] - lower)
  }

  /// The field at 0-based index `field` as a `String` (invalid UTF-8 is repaired with U+FFFD);
  /// empty under the same conditions as the subscript.
  ///
  /// This allocates: in hot loops prefer the bytes, and intern repeated values.
  public func string(at field: Int) -> String {
    String(decoding: self[field], as: UTF8.self)
  }
}
