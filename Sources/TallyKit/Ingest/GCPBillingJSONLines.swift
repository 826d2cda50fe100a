/// A GCP billing export extracted from BigQuery as newline-delimited JSON (`bq extract
/// --destination_format=NEWLINE_DELIMITED_JSON`): one object per line, nested records as
/// objects (`"service": {"description": …}`) and repeated records as arrays (`labels`,
/// `credits`).
///
/// Each object is presented to ``GCPBillingMapper`` as a record with the columns of the CSV
/// copy (``GCPBillingMapper/columnNames``): nested scalars by their dotted path, arrays as their
/// JSON text. Numbers keep the digits they were written with.
final class GCPBillingJSONLines {
  private let reader: JSONReader
  private let path: String
  private var bytes: UnsafeMutableRawPointer
  private var byteCapacity = 1 << 12
  private let ends: UnsafeMutablePointer<Int>
  private let paths: [[String]]

  /// The header the records have.
  static var header: Header { Header(GCPBillingMapper.columnNames) }

  init(source: any ByteSource, path: String) {
    reader = JSONReader(source: source, path: path)
    self.path = path
    bytes = .allocate(byteCount: byteCapacity, alignment: 1)
    ends = .allocate(capacity: GCPBillingMapper.columnNames.count)
    paths = GCPBillingMapper.columnNames.map { $0.split(separator: ".").map(String.init) }
  }

  deinit {
    bytes.deallocate()
    ends.deallocate()
  }

  /// Calls `body` with each line's record.
  func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
    try reader.readAll { value, line in
      guard case .object = value else {
        throw InputError(
          "expected one JSON object per line (a billing export row)",
          at: SourceLocation(file: path, line: line))
      }
      var used = 0
      for (index, keys) in paths.enumerated() {
        var field: JSONValue? = value
        for key in keys { field = field?[key] }
        let text: String
        switch field {
        case nil, .null?: text = ""
        case .array?, .object?: text = field?.jsonText ?? ""
        case let scalar?: text = scalar.text ?? ""
        }
        var utf8 = text
        utf8.withUTF8 { append(UnsafeRawBufferPointer($0), at: &used) }
        ends[index] = used
      }
      try body(
        CSVRecord(
          base: UnsafeRawPointer(bytes), ends: UnsafePointer(ends), start: 0,
          count: paths.count, line: line))
    }
  }

  private func append(_ field: UnsafeRawBufferPointer, at used: inout Int) {
    if used + field.count > byteCapacity {
      var capacity = byteCapacity * 2
      while used + field.count > capacity { capacity *= 2 }
      let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
      grown.copyMemory(from: bytes, byteCount: used)
      bytes.deallocate()
      bytes = grown
      byteCapacity = capacity
    }
    if let base = field.baseAddress, !field.isEmpty {
      (bytes + used).copyMemory(from: base, byteCount: field.count)
    }
    used += field.count
  }
}
