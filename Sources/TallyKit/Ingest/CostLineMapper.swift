/// Maps the records of one export format onto canonical cost lines.
protocol CostLineMapper {
  /// The format's name as stored with the import (`focus`, `aws-cur`).
  var format: String { get }
  /// The format version detected from the header.
  var formatVersion: String { get }
  /// Whether the text `NULL` means null in this format (FOCUS exports write it).
  var readsNULLAsNull: Bool { get }
  /// Which columns the reader must copy; the others are skipped.
  var keptColumns: [Bool] { get }
  /// The delivery stream a file belongs to, read from its first record: a newer delivery of
  /// the same source and month replaces the older one.
  func sourceName(_ fields: RecordFields) -> String
  /// Fills `line` from one record.
  mutating func map(_ fields: RecordFields, into line: inout CostLine, writer: CostLineWriter)
    throws(InputError)
  /// Hands `body` each further line the record yields after the one ``map(_:into:writer:)``
  /// filled (GCP credits become lines of their own), starting from a copy of that line.
  mutating func forEachExtraLine(
    _ fields: RecordFields, after line: CostLine, _ body: (inout CostLine) throws -> Void
  ) throws
  /// What the records read so far say about which Azure dataset (actual or amortized) the
  /// delivery is; nil for formats that have one dataset.
  var datasetEvidence: DatasetEvidence? { get }
}

extension CostLineMapper {
  func forEachExtraLine(
    _ fields: RecordFields, after line: CostLine, _ body: (inout CostLine) throws -> Void
  ) throws {}

  var datasetEvidence: DatasetEvidence? { nil }
}

/// Tag sets by the raw bytes they were read from, so that each distinct tag text is parsed and
/// stored once per import however many lines repeat it.
struct TagSetCache {
  private var ids = ByteKeyedTable()

  /// The tag set id already found for these raw bytes, if any.
  func cachedID(for key: UnsafeRawBufferPointer) -> Int64? { ids.value(for: key) }

  /// Remembers the tag set id of these raw bytes.
  mutating func remember(_ id: Int64, for key: UnsafeRawBufferPointer) { ids.insert(id, for: key) }

  /// Stores a tag set and returns its id; a database failure is reported at `location`.
  func store(
    _ pairs: [(key: String, value: String)], writer: CostLineWriter, at location: SourceLocation
  )
    throws(InputError) -> Int64
  {
    do {
      return try writer.tagSetID(for: pairs)
    } catch {
      throw InputError("could not store a tag set: \(error)", at: location)
    }
  }
}

/// Marks the given columns as kept in a mask as wide as the header.
func keptMask(width: Int, columns: [Int?]) -> [Bool] {
  var mask = Array(repeating: false, count: width)
  for case let column? in columns { mask[column] = true }
  return mask
}
