internal import CSQLite

extension Statement {
  /// Lends the UTF-8 bytes of `column` (from 0) in the current row, without copying them into a
  /// `String`; NULL lends no bytes. The bytes are valid only inside `body`.
  ///
  /// For per-row code over millions of rows where the text repeats (currencies, categories):
  /// compare the bytes, and make a `String` only for a value not seen before.
  public func withText<Result>(
    at column: Int32, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    // Order matters: column_text converts the value, then column_bytes measures the result.
    guard let text = sqlite3_column_text(handle, column) else {
      return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
    let count = Int(sqlite3_column_bytes(handle, column))
    return try body(UnsafeRawBufferPointer(start: text, count: count))
  }
}
