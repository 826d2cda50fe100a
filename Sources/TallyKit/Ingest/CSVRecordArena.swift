/// Where a complete record's fields end in a ``CSVRecordArena``, and the line it starts on.
struct CSVRecordMark {
  /// The index into `fieldEnds` just after the record's last field.
  var fieldEnd: Int
  /// The physical line on which the record starts.
  var line: Int
}

/// The bytes and offsets of the records parsed so far, written by the libcsv callbacks of
/// ``CSVReader``, which keeps it behind a pointer: no ARC and no exclusivity checks per field.
///
/// Records `0..<delivered` have been handed to Swift; the fields after the last record belong
/// to a record cut by the end of a chunk. The buffers are managed by hand (no `Array`) because
/// `appendField` runs once per field of the file; they grow to fit a chunk and its largest record
/// and are then reused, so the steady state allocates nothing.
///
/// It also counts physical lines: a line break is an LF, a CRLF or a lone CR, outside quotes
/// (reported by libcsv's record callback with `CSV_REPALL_NL`, blank lines included) or inside a
/// quoted field (found in the field's bytes when ``fieldsMayHoldLineBreaks``; unquoted fields
/// cannot hold one).
struct CSVRecordArena: ~Copyable {
  /// The kept bytes of every field, one after the other.
  private(set) var bytes: UnsafeMutableRawPointer
  /// How many bytes of `bytes` are used.
  private(set) var byteCount = 0
  /// How many bytes `bytes` can hold.
  private var byteCapacity: Int
  /// The end offset in `bytes` of each field.
  private(set) var fieldEnds: UnsafeMutablePointer<Int>
  /// How many fields `fieldEnds` holds.
  private(set) var fieldCount = 0
  /// How many fields `fieldEnds` can hold.
  private var fieldCapacity: Int
  /// Each complete record.
  private(set) var records: UnsafeMutablePointer<CSVRecordMark>
  /// How many records `records` holds.
  private(set) var recordCount = 0
  /// How many records `records` can hold.
  private var recordCapacity: Int
  /// How many of `records` have been handed to Swift.
  var delivered = 0
  /// The index into `fieldEnds` of the first field of the record being parsed.
  private(set) var recordFirstField = 0
  /// The line on which the record being parsed starts, once it has a field.
  private var recordLine = 1
  /// The physical line reached: the line breaks of every field and record end reported so far
  /// are counted.
  private(set) var line = 1
  /// Whether the last thing reported was a CR ending a line, so that an LF reported right after
  /// it is the second half of a CRLF rather than a line break of its own.
  private var afterCarriageReturn = false
  /// Whether the fields reported now may hold line breaks: set by the reader before each call
  /// into libcsv, from the scan of the input (only quoted fields can hold one).
  var fieldsMayHoldLineBreaks = true
  /// Whether every field is copied (no `keeping:` mask).
  var keepAll = true
  /// The `keeping:` mask, borrowed for the duration of `forEachRecord`.
  var keep = UnsafeBufferPointer<Bool>(start: nil, count: 0)

  /// Creates an arena with room for `byteCapacity` bytes of fields to begin with.
  init(byteCapacity: Int) {
    self.byteCapacity = max(byteCapacity, 64)
    bytes = .allocate(byteCount: self.byteCapacity, alignment: 16)
    fieldCapacity = 4096
    fieldEnds = .allocate(capacity: fieldCapacity)
    recordCapacity = 1024
    records = .allocate(capacity: recordCapacity)
  }

  deinit {
    bytes.deallocate()
    fieldEnds.deallocate()
    records.deallocate()
  }

  /// How many fields the record being parsed has so far.
  var fieldsInPartialRecord: Int { fieldCount - recordFirstField }

  /// How many bytes the record being parsed has in the arena so far.
  var partialRecordBytes: Int {
    byteCount - (recordFirstField == 0 ? 0 : fieldEnds[recordFirstField - 1])
  }

  /// The line on which the record being parsed starts (the current line if it has no field yet).
  var partialRecordLine: Int { fieldsInPartialRecord == 0 ? line : recordLine }

  /// Called by libcsv for each field: counts its line breaks and copies it unless masked.
  @inline(__always)
  mutating func appendField(_ field: UnsafeRawPointer?, count: Int) {
    let index = fieldCount &- recordFirstField
    if index == 0 { recordLine = line }
    afterCarriageReturn = false
    if count > 0, let field {
      if fieldsMayHoldLineBreaks { countLineBreaks(in: field, count: count) }
      if keepAll || (index < keep.count && keep[index]) {
        if count > byteCapacity &- byteCount { growBytes(toHold: byteCount + count) }
        copyField(to: bytes + byteCount, from: field, count: count)
        byteCount &+= count
      }
    }
    if fieldCount == fieldCapacity { growFields() }
    fieldEnds[fieldCount] = byteCount
    fieldCount &+= 1
  }

  /// Adds the line breaks of a field to `line`; out of line, as few fields need it.
  @inline(never)
  private mutating func countLineBreaks(in field: UnsafeRawPointer, count: Int) {
    let content = UnsafeRawBufferPointer(start: field, count: count)
    if mayHoldLineBreak(content) { line += Self.lineBreaks(in: content) }
  }

  /// Called by libcsv at each CR or LF outside quotes (blank lines too, with `CSV_REPALL_NL`),
  /// and with -1 when `csv_fini` ends a last record that has no line break.
  @inline(__always)
  mutating func endLine(terminator: Int32) {
    if fieldCount > recordFirstField {
      if recordCount == recordCapacity { growRecords() }
      records[recordCount] = CSVRecordMark(fieldEnd: fieldCount, line: recordLine)
      recordCount &+= 1
      recordFirstField = fieldCount
    }
    guard terminator >= 0 else { return }
    if terminator == 0x0A && afterCarriageReturn {
      afterCarriageReturn = false
    } else {
      line &+= 1
      afterCarriageReturn = terminator == 0x0D
    }
  }

  /// The record at `index` as a view of the arena, valid until the arena next changes.
  func record(at index: Int) -> CSVRecord {
    let first = index == 0 ? 0 : records[index - 1].fieldEnd
    let mark = records[index]
    return CSVRecord(
      base: bytes, ends: fieldEnds + first, start: first == 0 ? 0 : fieldEnds[first - 1],
      count: mark.fieldEnd - first, line: mark.line)
  }

  /// Empties the arena and continues where `previous` stopped, as ``compact()`` continues where
  /// the arena itself stopped: the record `previous` was parsing when its chunk ended is copied
  /// to the front, and the line count and the `keeping:` mask carry over. Used when arenas take
  /// turns (``CSVReader/forEachRecord(keeping:parsingAhead:_:)``).
  mutating func start(after previous: borrowing CSVRecordArena) {
    let firstField = previous.recordFirstField
    let firstByte = firstField == 0 ? 0 : previous.fieldEnds[firstField - 1]
    let partialBytes = previous.byteCount - firstByte
    let partialFields = previous.fieldCount - firstField
    byteCount = 0
    fieldCount = 0
    if partialBytes > byteCapacity { growBytes(toHold: partialBytes) }
    while partialFields > fieldCapacity { growFields() }
    if partialBytes > 0 {
      bytes.copyMemory(from: previous.bytes + firstByte, byteCount: partialBytes)
    }
    for index in 0..<partialFields {
      fieldEnds[index] = previous.fieldEnds[firstField + index] - firstByte
    }
    byteCount = partialBytes
    fieldCount = partialFields
    recordCount = 0
    delivered = 0
    recordFirstField = 0
    recordLine = previous.recordLine
    line = previous.line
    afterCarriageReturn = previous.afterCarriageReturn
    keepAll = previous.keepAll
    keep = previous.keep
  }

  /// Drops the delivered records, moving the partial record's bytes and offsets to the front.
  mutating func compact() {
    guard delivered > 0 else { return }
    let firstField = records[delivered - 1].fieldEnd
    let firstByte = firstField == 0 ? 0 : fieldEnds[firstField - 1]
    byteCount -= firstByte
    if byteCount > 0 { bytes.copyMemory(from: bytes + firstByte, byteCount: byteCount) }
    fieldCount -= firstField
    for index in 0..<fieldCount { fieldEnds[index] = fieldEnds[firstField + index] - firstByte }
    recordCount -= delivered
    for index in 0..<recordCount {
      var mark = records[delivered + index]
      mark.fieldEnd -= firstField
      records[index] = mark
    }
    recordFirstField -= firstField
    delivered = 0
  }

  /// Counts the line breaks in `bytes`: each LF, CRLF or lone CR counts once.
  static func lineBreaks(in bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    var previous: UInt8 = 0
    for byte in bytes {
      if byte == 0x0D || (byte == 0x0A && previous != 0x0D) { count += 1 }
      previous = byte
    }
    return count
  }

  /// Reallocates `bytes` to hold at least `minimum` bytes, doubling.
  @inline(never)
  private mutating func growBytes(toHold minimum: Int) {
    let capacity = max(minimum, byteCapacity * 2)
    let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    grown.copyMemory(from: bytes, byteCount: byteCount)
    bytes.deallocate()
    bytes = grown
    byteCapacity = capacity
  }

  /// Doubles the room in `fieldEnds`.
  @inline(never)
  private mutating func growFields() {
    let grown = UnsafeMutablePointer<Int>.allocate(capacity: fieldCapacity * 2)
    grown.initialize(from: fieldEnds, count: fieldCount)
    fieldEnds.deallocate()
    fieldEnds = grown
    fieldCapacity *= 2
  }

  /// Doubles the room in `records`.
  @inline(never)
  private mutating func growRecords() {
    let grown = UnsafeMutablePointer<CSVRecordMark>.allocate(capacity: recordCapacity * 2)
    grown.initialize(from: records, count: recordCount)
    records.deallocate()
    records = grown
    recordCapacity *= 2
  }
}

/// Whether `bytes` may hold a CR or LF: true when some byte is below 0x0E (so a tab raises a
/// false alarm), tested eight bytes at a time because it may run on every field of a chunk.
@inline(__always)
private func mayHoldLineBreak(_ bytes: UnsafeRawBufferPointer) -> Bool {
  guard let start = bytes.baseAddress else { return false }
  let count = bytes.count
  guard count >= 8 else {
    var below: UInt8 = 0
    for byte in bytes { below |= byte < 0x0E ? 1 : 0 }
    return below != 0
  }
  // A high bit is set in `(word - 0x0E…) & ~word & 0x80…` when some byte of `word` is below 0x0E.
  let lows: UInt64 = 0x0E0E_0E0E_0E0E_0E0E
  let highs: UInt64 = 0x8080_8080_8080_8080
  var flags: UInt64 = 0
  var offset = 0
  while offset &+ 8 <= count {
    let word = start.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    flags |= (word &- lows) & ~word & highs
    offset &+= 8
  }
  if offset < count {  // the last eight bytes, overlapping bytes already tested
    let word = start.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    flags |= (word &- lows) & ~word & highs
  }
  return flags != 0
}

/// Copies `count` bytes of a field: up to 32 bytes (most fields) with two overlapping loads and
/// stores of a size that fits, which is cheaper than the call to `memmove` that a longer field
/// gets.
@inline(__always)
private func copyField(
  to target: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int
) {
  func copyEnds<Chunk>(_ chunk: Chunk.Type) {
    let head = source.loadUnaligned(as: Chunk.self)
    let tail = source.loadUnaligned(
      fromByteOffset: count &- MemoryLayout<Chunk>.size, as: Chunk.self)
    target.storeBytes(of: head, as: Chunk.self)
    target.storeBytes(of: tail, toByteOffset: count &- MemoryLayout<Chunk>.size, as: Chunk.self)
  }
  switch count {
  case 17...32: copyEnds(SIMD16<UInt8>.self)
  case 8...16: copyEnds(UInt64.self)
  case 4..<8: copyEnds(UInt32.self)
  case 2..<4: copyEnds(UInt16.self)
  case 1: target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
  default: target.copyMemory(from: source, byteCount: count)
  }
}
