internal import CCSV
internal import Dispatch

/// Reads CSV through libcsv in chunks, in bounded memory whatever the size of the file.
///
/// The format is RFC 4180: fields separated by commas, records by LF, CRLF or CR; fields may be
/// quoted, and a quoted field may hold commas, line breaks and doubled quotes (`""` for `"`).
/// Beyond RFC 4180: a UTF-8 byte order mark at the start of the file is dropped, blank lines are
/// skipped, and the last record needs no line break. Spaces are data: they are never trimmed.
///
/// The parser is strict (`CSV_STRICT | CSV_STRICT_FINI`): a quote inside an unquoted field,
/// text after a closing quote (`a,"b"c`) and a quoted field left open at the end of the file are
/// errors, reported with the file, the physical line and the 1-based field number.
///
/// How it is fast (see swift-style.md, Q3): libcsv's callbacks are non-capturing functions that
/// receive a pointer to a plain struct; each field is copied once into a reused arena; records are
/// handed to Swift after `csv_parse` returns, as views of that arena, so the steady state
/// allocates nothing per record. A record cut by the end of a chunk is carried over. libcsv trims
/// spaces and tabs around fields unless given a space test that says nothing is a space; that
/// test is a call per byte of every unquoted field, so it is installed only for the pieces of
/// input where trimming could happen at all (a space or tab next to a comma, a quote, a line
/// break or the end of the piece); elsewhere both ways parse the same. Spaces and tabs at either
/// end of a chunk are parsed as pieces of their own, so that a chunk cut inside a run of them
/// does not need the test. The same scan of each piece (``scanPiece(_:insideQuotes:)``, sixteen
/// bytes at a time) tells whether it has a line break inside quotes; only then are fields
/// searched for line breaks to count lines. Fields up to 32 bytes are copied without a call.
///
/// A reader is used by one thread at a time, in order: ``readHeader()``, then
/// ``forEachRecord(keeping:_:)``.
public final class CSVReader {
  /// The largest record (bytes kept of its fields, plus the field being parsed) accepted before
  /// the reader gives up. It bounds memory when a quote is left open early in a large file.
  var maxRecordBytes = 64 << 20

  /// Where the CSV bytes come from.
  private let source: any ByteSource
  /// The path, as the user named it, for error messages.
  private let path: String
  /// The chunk buffer: bytes read from `source` are parsed from here, unless it lends them.
  private let chunk: UnsafeMutableRawPointer
  /// Where the bytes being parsed are: `chunk`, or a buffer that `source` lends
  /// (``ByteSource/lend(upTo:)``), which stays valid until the next read.
  private var input: UnsafeRawPointer
  /// How many bytes are read into `chunk` at a time.
  private let chunkSize: Int
  /// libcsv's state; a fixed address, freed with `csv_free` in `deinit`.
  private let parser: UnsafeMutablePointer<csv_parser>
  /// The arena the callbacks write into; a struct behind a pointer, so no ARC and no dynamic
  /// exclusivity checks per field. When parsing ahead it is one of ``aheadArenas`` in turn.
  private var arena: UnsafeMutablePointer<CSVRecordArena>
  /// How many arenas take turns when parsing ahead. More than three, so that the parsing thread
  /// can run several chunks ahead: on a loaded machine either thread may wait tens of
  /// milliseconds for a core, and the other keeps working meanwhile.
  static let aheadArenaCount = 16
  /// The arenas that take turns when parsing ahead (the first is the reader's own); allocated
  /// on first use.
  private var aheadArenas: [UnsafeMutablePointer<CSVRecordArena>] = []
  /// `input[pendingStart..<pendingEnd]` has been read but not yet parsed.
  private var pendingStart = 0
  /// The end of the bytes read into `input`.
  private var pendingEnd = 0
  /// How many bytes of a byte order mark the start of the file has matched so far.
  private var byteOrderMarkMatched = 0
  /// Whether the start of the file has been checked for a byte order mark.
  private var byteOrderMarkChecked = false
  /// Whether the source has ended and `csv_fini` has run.
  private var finished = false
  /// Whether libcsv has the space test that keeps spaces (`noSpace`) rather than its default.
  private var keepsSpacesByTest = false
  /// Whether the input parsed so far ends inside a quoted field (see ``scanPiece``).
  private var insideQuotes = false
  /// Whether the field libcsv holds, not yet reported, is quoted and may hold a line break: a
  /// piece scanned before held a CR or LF inside quotes, and libcsv has reported no field
  /// since it left a quoted field.
  private var openFieldMayHoldLineBreak = false
  /// The header, once read.
  private var header: [String]?
  /// The error that stopped reading; thrown again if reading is attempted again.
  private var failure: InputError?

  /// Creates a reader; nothing is read until ``readHeader()``.
  ///
  /// - Parameters:
  ///   - source: The CSV bytes (already decompressed).
  ///   - path: The file the bytes come from, named in errors.
  ///   - chunkSize: How many bytes are read and parsed at a time; 1 MiB by default. Memory use is
  ///     a small multiple of this plus the largest record.
  public init(source: any ByteSource, path: String, chunkSize: Int = 1 << 20) {
    precondition(chunkSize > 0, "chunkSize must be positive")
    self.source = source
    self.path = path
    self.chunkSize = chunkSize
    chunk = .allocate(byteCount: chunkSize, alignment: 16)
    input = UnsafeRawPointer(chunk)
    parser = .allocate(capacity: 1)
    parser.initialize(to: csv_parser())
    _ = csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL))
    arena = .allocate(capacity: 1)
    arena.initialize(to: CSVRecordArena(byteCapacity: min(chunkSize, 1 << 20) + 4096))
  }

  deinit {
    csv_free(parser)
    parser.deinitialize(count: 1)
    parser.deallocate()
    for owned in aheadArenas.isEmpty ? [arena] : aheadArenas {
      owned.deinitialize(count: 1)
      owned.deallocate()
    }
    chunk.deallocate()
  }

  /// Reads the first record, the header, and returns its fields; a UTF-8 byte order mark at the
  /// start of the file is dropped. Blank lines before the header are skipped.
  ///
  /// Calling it again returns the same header without reading.
  ///
  /// - Throws: ``InputError`` for an empty file ("the file is empty: expected a header row"), a
  ///   malformed header, or a source that cannot be read.
  public func readHeader() throws(InputError) -> [String] {
    if let header { return header }
    while arena.pointee.recordCount == 0 {
      // Parse a line at a time, so that parsing stops right after the header: the records after
      // it are parsed by `forEachRecord`, with its `keeping:` mask.
      guard try advance(stoppingAtLineEnd: true) else { break }
    }
    guard arena.pointee.recordCount > 0 else {
      throw InputError("the file is empty: expected a header row", at: SourceLocation(file: path))
    }
    let record = arena.pointee.record(at: 0)
    let names = (0..<record.count).map { record.string(at: $0) }
    arena.pointee.delivered = 1
    arena.pointee.compact()
    header = names
    return names
  }

  /// Calls `body` for each record after the header, in order. Reads the header first if
  /// ``readHeader()`` has not been called.
  ///
  /// - Parameters:
  ///   - columns: When given, fields whose 0-based index is `false` here, or beyond the end of
  ///     the array, are not copied: their subscript is empty. Wide files (100+ columns of which an
  ///     importer needs 40) get faster. `nil` keeps every field.
  ///   - body: Called with each record, which is valid only during the call.
  /// - Throws: Errors thrown by `body`, unchanged. ``InputError`` for malformed CSV, with `line`
  ///   and `column` (the 1-based field number, and its header name): for a stray quote
  ///   ("malformed CSV: a quote inside an unquoted field, or text after a closing quote") the line
  ///   holding the offending character; for a quoted field still open at the end of the file
  ///   ("malformed CSV: the file ends inside a quoted field") the line on which that field
  ///   starts. Records before the malformed one are passed to `body` first. ``InputError`` also
  ///   when the source cannot be read or decompressed.
  ///   - parsingAhead: Parse on a thread of its own, a chunk or two ahead of `body`, so that
  ///     parsing and `body` use two cores. Records and errors are the same as without it, in the
  ///     same order. Memory stays bounded: sixteen arenas of about a chunk each take turns. The
  ///     reading thread stops once `body` throws or the input ends, so this is a reader's last
  ///     call.
  public func forEachRecord(
    keeping columns: [Bool]? = nil, parsingAhead: Bool = false,
    _ body: (CSVRecord) throws -> Void
  ) throws {
    if header == nil { _ = try readHeader() }
    func read() throws {
      if parsingAhead { try readRecordsAhead(body) } else { try readRecords(body) }
    }
    guard let columns else { return try read() }
    try columns.withUnsafeBufferPointer { keep in
      arena.pointee.keep = keep
      arena.pointee.keepAll = false
      defer {
        arena.pointee.keep = UnsafeBufferPointer(start: nil, count: 0)
        arena.pointee.keepAll = true
      }
      try read()
    }
  }

  /// Parses chunk after chunk, handing complete records to `body` after each.
  private func readRecords(_ body: (CSVRecord) throws -> Void) throws {
    while true {
      try deliver(body)
      arena.pointee.compact()
      let more: Bool
      do {
        more = try advance(stoppingAtLineEnd: false)
      } catch {
        try deliver(body)  // the records before the error
        throw error
      }
      if !more { return }
    }
  }

  /// ``readRecords(_:)`` with the parsing on another thread.
  ///
  /// Batch *k* (what one ``advance(stoppingAtLineEnd:)`` parses, about a chunk) is parsed into
  /// arena *k* mod 16, which first takes over the record that the previous arena's chunk cut. The
  /// parsing thread waits for a free arena (`free`), the caller for a parsed one (`parsed`); the
  /// caller only reads an arena it was handed, and the parsing thread only writes one the caller
  /// has given back, or reads the cut record of the previous one, which the caller never reads.
  private func readRecordsAhead(_ body: (CSVRecord) throws -> Void) throws {
    try deliver(body)
    arena.pointee.compact()
    if aheadArenas.isEmpty {
      aheadArenas = [arena]
      for _ in 1..<CSVReader.aheadArenaCount {
        let spare = UnsafeMutablePointer<CSVRecordArena>.allocate(capacity: 1)
        spare.initialize(to: CSVRecordArena(byteCapacity: min(chunkSize, 1 << 20) + 4096))
        aheadArenas.append(spare)
      }
    }
    let arenas = aheadArenas
    // Created at 0 and signalled: libdispatch traps when a semaphore is released with a value
    // below the one it was created with.
    let free = DispatchSemaphore(value: 0)
    for _ in arenas { free.signal() }
    let parsed = DispatchSemaphore(value: 0)
    let ends = UnsafeMutablePointer<BatchEnd>.allocate(capacity: arenas.count)
    ends.initialize(repeating: .more, count: arenas.count)
    defer {
      ends.deinitialize(count: arenas.count)
      ends.deallocate()
    }
    let shared = UncheckedSendable((reader: self, arenas: arenas, ends: ends))
    let parsing = BackgroundWork<Void> { work in
      let (reader, arenas, ends) = shared.value
      var batch = 0
      while true {
        free.wait()
        if work.isCancelled { return }
        let slot = batch % arenas.count
        if batch > 0 {
          arenas[slot].pointee.start(after: arenas[(batch - 1) % arenas.count].pointee)
          reader.arena = arenas[slot]
        }
        let end: BatchEnd
        do throws(InputError) {
          end = try reader.advance(stoppingAtLineEnd: false) ? .more : .finished
        } catch {
          end = .failed(error)
        }
        ends[slot] = end
        parsed.signal()
        guard case .more = end else { return }
        batch += 1
      }
    }
    var batch = 0
    while true {
      parsed.wait()
      let slot = batch % arenas.count
      let arena = arenas[slot]
      do {
        for index in 0..<arena.pointee.recordCount { try body(arena.pointee.record(at: index)) }
      } catch {
        parsing.cancel(waking: { free.signal() })
        throw error
      }
      let end = ends[slot]
      free.signal()
      switch end {
      case .more:
        batch += 1
      case .finished:
        try parsing.wait()
        return
      case .failed(let error):
        try parsing.wait()
        throw error
      }
    }
  }

  /// How a batch parsed ahead ended.
  private enum BatchEnd {
    /// More input may follow.
    case more
    /// The input has ended.
    case finished
    /// Parsing failed after the batch's records.
    case failed(InputError)
  }

  /// Passes the complete records not yet delivered to `body`.
  private func deliver(_ body: (CSVRecord) throws -> Void) throws {
    let arena = self.arena
    while arena.pointee.delivered < arena.pointee.recordCount {
      let record = arena.pointee.record(at: arena.pointee.delivered)
      arena.pointee.delivered += 1
      try body(record)
    }
  }

  /// Parses the next piece of input: the rest of the chunk, or up to and including its next
  /// line break when `stoppingAtLineEnd`; reads a chunk first when none is pending.
  ///
  /// - Returns: false once the input has ended and `csv_fini` has run.
  private func advance(stoppingAtLineEnd: Bool) throws(InputError) -> Bool {
    if let failure { throw failure }
    do {
      return try parseNextPiece(stoppingAtLineEnd: stoppingAtLineEnd)
    } catch {
      failure = error
      throw error
    }
  }

  /// The body of ``advance(stoppingAtLineEnd:)``.
  private func parseNextPiece(stoppingAtLineEnd: Bool) throws(InputError) -> Bool {
    if finished { return false }
    if pendingStart == pendingEnd {
      let count: Int
      if let lent = try source.lend(upTo: chunkSize), let base = lent.baseAddress {
        input = base
        count = lent.count
      } else {
        input = UnsafeRawPointer(chunk)
        count = try source.read(
          into: UnsafeMutableRawBufferPointer(start: chunk, count: chunkSize))
      }
      if count == 0 {
        try finish()
        return true
      }
      pendingStart = 0
      pendingEnd = count
      if !byteOrderMarkChecked { try skipByteOrderMark() }
    }
    var end = pendingEnd
    if stoppingAtLineEnd {
      var index = pendingStart
      while index < pendingEnd {
        let byte = input.load(fromByteOffset: index, as: UInt8.self)
        index += 1
        if byte == lineFeed || byte == carriageReturn { break }
      }
      end = index
    }
    let start = pendingStart
    pendingStart = end
    try parse(input + start, count: end - start)
    return true
  }

  /// Drops a UTF-8 byte order mark (EF BB BF) at the start of the input, even when it spans
  /// chunks; bytes that only looked like its beginning are parsed as data.
  private func skipByteOrderMark() throws(InputError) {
    while pendingStart < pendingEnd && byteOrderMarkMatched < 3 {
      let byte = input.load(fromByteOffset: pendingStart, as: UInt8.self)
      guard byte == byteOrderMark(byteOrderMarkMatched) else { break }
      byteOrderMarkMatched += 1
      pendingStart += 1
    }
    if byteOrderMarkMatched == 3 {
      byteOrderMarkChecked = true
    } else if pendingStart < pendingEnd {
      try parseByteOrderMarkPrefix()
    }
  }

  /// Parses the bytes that matched the start of a byte order mark but turned out not to be one.
  private func parseByteOrderMarkPrefix() throws(InputError) {
    byteOrderMarkChecked = true
    for index in 0..<byteOrderMarkMatched {
      var byte = byteOrderMark(index)
      let parsed = withUnsafeBytes(of: &byte) { bytes in
        csv_parse(parser, bytes.baseAddress, 1, onField, onRecord, UnsafeMutableRawPointer(arena))
      }
      if parsed != 1 { throw parseError() }
    }
  }

  /// Feeds `count` bytes to libcsv, whose callbacks fill the arena. Spaces and tabs at either
  /// end go in as pieces of their own: a piece that starts or ends with one needs libcsv's
  /// per-byte space test (``PieceScan/mayTrimSpaces``), and a chunk often starts or ends inside
  /// a run of them (a description cut by the end of the chunk) while the rest needs no test.
  private func parse(_ bytes: UnsafeRawPointer, count: Int) throws(InputError) {
    func isSpaceOrTab(_ offset: Int) -> Bool {
      let byte = bytes.load(fromByteOffset: offset, as: UInt8.self)
      return byte == 0x20 || byte == 0x09
    }
    var start = 0
    while start < count && isSpaceOrTab(start) { start += 1 }
    var end = count
    while end > start && isSpaceOrTab(end - 1) { end -= 1 }
    if start > 0 { try parsePiece(bytes, count: start) }
    if end > start { try parsePiece(bytes + start, count: end - start) }
    if count > end { try parsePiece(bytes + end, count: count - end) }
  }

  /// Feeds a piece of ``parse(_:count:)``'s bytes to libcsv, with the space test it needs.
  private func parsePiece(_ bytes: UnsafeRawPointer, count: Int) throws(InputError) {
    let scan = scanPiece(
      UnsafeRawBufferPointer(start: bytes, count: count), insideQuotes: &insideQuotes)
    if scan.mayTrimSpaces != keepsSpacesByTest {
      csv_set_space_func(parser, scan.mayTrimSpaces ? noSpace : nil)
      keepsSpacesByTest = scan.mayTrimSpaces
    }
    arena.pointee.fieldsMayHoldLineBreaks = scan.holdsQuotedLineBreak || openFieldMayHoldLineBreak
    let parsed = csv_parse(parser, bytes, count, onField, onRecord, UnsafeMutableRawPointer(arena))
    // libcsv reports a field once the byte after it arrives, so the field holding a line break
    // of this piece may be reported while a later piece is parsed; until then it stays quoted.
    openFieldMayHoldLineBreak =
      arena.pointee.fieldsMayHoldLineBreaks && parser.pointee.quoted != 0
    if parsed != count { throw parseError() }
    let partial = arena.pointee.partialRecordBytes + parser.pointee.entry_pos
    if partial > maxRecordBytes {
      let limit =
        maxRecordBytes >= 1 << 20 ? "\(maxRecordBytes >> 20) MiB" : "\(maxRecordBytes) bytes"
      throw located(
        "malformed CSV: a record longer than \(limit); is a quote left open?",
        line: arena.pointee.partialRecordLine)
    }
  }

  /// Ends the input: parses what is left of a byte order mark, then flushes a last record that
  /// has no line break with `csv_fini`.
  private func finish() throws(InputError) {
    finished = true
    arena.pointee.fieldsMayHoldLineBreaks = openFieldMayHoldLineBreak
    if !byteOrderMarkChecked { try parseByteOrderMarkPrefix() }
    if csv_fini(parser, onField, onRecord, UnsafeMutableRawPointer(arena)) != 0 {
      if csv_error(parser) == CSV_EPARSE {
        // The open field starts on the current line: its own line breaks are not counted yet.
        throw located(
          "malformed CSV: the file ends inside a quoted field", line: arena.pointee.line)
      }
      throw parseError()
    }
  }

  /// The error for a `csv_parse` call that stopped early.
  private func parseError() -> InputError {
    let code = csv_error(parser)
    guard code == CSV_EPARSE else {
      let detail = csv_strerror(code).map { String(cString: $0) } ?? "error \(code)"
      return located("cannot parse CSV: \(detail)", line: arena.pointee.partialRecordLine)
    }
    // libcsv stops on the offending byte, with the field so far in its buffer: the problem is
    // on the current line plus the line breaks inside that (quoted) field.
    var line = arena.pointee.line
    if let buffer = parser.pointee.entry_buf {
      line += CSVRecordArena.lineBreaks(
        in: UnsafeRawBufferPointer(start: buffer, count: parser.pointee.entry_pos))
    }
    return located(
      "malformed CSV: a quote inside an unquoted field, or text after a closing quote", line: line)
  }

  /// An error at `line`, in the field being parsed (column and header name filled in).
  private func located(_ message: String, line: Int) -> InputError {
    let column = arena.pointee.fieldsInPartialRecord + 1
    var columnName: String?
    if let header, column <= header.count { columnName = header[column - 1] }
    return InputError(
      message, at: SourceLocation(file: path, line: line, column: column, columnName: columnName))
  }
}

/// A value handed to another thread whose safety the code around it ensures (here: the reader,
/// used by one thread at a time, in turns that semaphores order).
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// The line feed byte.
private let lineFeed: UInt8 = 0x0A
/// The carriage return byte.
private let carriageReturn: UInt8 = 0x0D

/// Byte `index` of the UTF-8 byte order mark EF BB BF.
private func byteOrderMark(_ index: Int) -> UInt8 {
  switch index {
  case 0: 0xEF
  case 1: 0xBB
  default: 0xBF
  }
}

// The libcsv callbacks. They capture nothing, so they convert to C function pointers, and they
// never throw: Swift errors cannot unwind through C frames.

/// libcsv's field callback (`cb1`).
private func onField(
  _ field: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?
) {
  context.unsafelyUnwrapped.assumingMemoryBound(to: CSVRecordArena.self).pointee.appendField(
    field, count: count)
}

/// libcsv's end-of-record callback (`cb2`).
private func onRecord(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
  context.unsafelyUnwrapped.assumingMemoryBound(to: CSVRecordArena.self).pointee.endLine(
    terminator: terminator)
}

/// libcsv's space test: nothing is a space, so spaces around fields are kept as data
/// (RFC 4180) rather than trimmed.
private func noSpace(_ byte: UInt8) -> Int32 { 0 }

/// What ``scanPiece(_:insideQuotes:)`` finds in a piece of input parsed on its own.
struct PieceScan: Equatable {
  /// Whether libcsv's default space handling could trim something in the piece: a space or tab
  /// outside quotes is the piece's first or last byte, or stands next to a comma, a quote, a CR
  /// or an LF.
  ///
  /// By default libcsv drops spaces and tabs at the start of a field, before an opening quote
  /// and after a closing one, and at the end of an unquoted field; each such run is outside
  /// quotes and touches a comma, a quote, a line break or the start or end of the input, and
  /// the piece's own ends stand for the input around it. Every other space or tab is data
  /// either way (inside quotes libcsv never tests for spaces), and the count of trailing spaces
  /// that libcsv carries between calls is zero after a piece that ends with any other byte.
  var mayTrimSpaces: Bool
  /// Whether a CR or an LF stands inside quotes: the only line breaks that end up inside
  /// fields (unquoted fields cannot hold one).
  var holdsQuotedLineBreak: Bool
}

/// Scans `bytes`, a piece of input parsed on its own, for what the reader must know before
/// libcsv parses it (``PieceScan``). `insideQuotes` says whether the piece starts inside a
/// quoted field, and on return whether it ends inside one: every quote toggles it (a doubled
/// quote toggles twice; after a stray quote libcsv stops with an error anyway).
///
/// Bills have quotes and spaces on every line (`"Amazon Web Services, Inc."`), so nothing here
/// goes byte by byte. Sixteen bytes at a time, each lane is tested exactly for what needs the
/// quote state to be judged: a CR or LF, or a separator with a space or tab on either side
/// (``BlockTest``). Blocks with none (nearly all: a bill line has one line break in some fifty
/// blocks) only add their quotes to a running parity; the others are scanned exactly, eight
/// bytes at a time (``WordScan``), from the quote state that parity gives. The first word and
/// the bytes after the last whole block are scanned exactly too, so that every block has a
/// byte on either side to load.
func scanPiece(_ bytes: UnsafeRawBufferPointer, insideQuotes: inout Bool) -> PieceScan {
  var scan = WordScan(insideQuotes: insideQuotes)
  let count = bytes.count
  var offset = 0
  var last = WordScan.repeated(0x2C)
  if let base = bytes.baseAddress {
    func word(at offset: Int) -> UInt64 {
      UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    func byte(at offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
    if count >= 8 &+ BlockTest.width &+ 1 {
      scan.add(word(at: 0))
      scan.lookAhead(byte(at: 8))
      offset = 8
      var quotesSkipped = BlockTest.Lanes()
      while offset &+ BlockTest.width &+ 1 <= count {
        let test = BlockTest(base + offset)
        if test.isNotable {
          scan.resume(after: byte(at: offset &- 1), quotesSkipped: quotesSkipped)
          quotesSkipped = BlockTest.Lanes()
          scan.add(word(at: offset))
          scan.add(word(at: offset &+ 8))
          scan.lookAhead(byte(at: offset &+ 16))
        } else {
          quotesSkipped ^= test.quotes
        }
        offset &+= BlockTest.width
      }
      scan.resume(after: byte(at: offset &- 1), quotesSkipped: quotesSkipped)
    }
    while offset &+ 8 <= count {
      scan.add(word(at: offset))
      offset &+= 8
    }
    withUnsafeMutableBytes(of: &last) {
      $0.copyMemory(from: UnsafeRawBufferPointer(start: base + offset, count: count &- offset))
    }
    last = UInt64(littleEndian: last)
  }
  scan.add(last)
  insideQuotes = scan.insideBefore != 0
  return PieceScan(
    mayTrimSpaces: scan.trimmable != 0, holdsQuotedLineBreak: scan.quotedLineBreaks != 0)
}

/// The lane-by-lane test of sixteen bytes in ``scanPiece(_:insideQuotes:)``. Lanes are compared
/// with vectors, not with scalars: `.==` against a vector compiles to one vector comparison,
/// against a scalar to a loop over the lanes.
private struct BlockTest {
  typealias Lanes = SIMD16<UInt8>
  /// How many bytes a block has.
  static let width = 16

  /// 0xFF in each lane where the byte is a quote, else 0.
  let quotes: Lanes
  /// Whether some byte is a CR or an LF, or a separator (comma, quote, CR, LF) with a space or
  /// tab just before or after it.
  let isNotable: Bool

  /// Tests the sixteen bytes at `block`, reading the byte before and the byte after them too.
  @inline(__always)
  init(_ block: UnsafeRawPointer) {
    let bytes = block.loadUnaligned(as: Lanes.self)
    let before = (block - 1).loadUnaligned(as: Lanes.self)
    let after = (block + 1).loadUnaligned(as: Lanes.self)
    let quotes = bytes .== Lanes(repeating: 0x22)
    let lineBreaks = (bytes .== Lanes(repeating: 0x0A)) .| (bytes .== Lanes(repeating: 0x0D))
    let separators = quotes .| lineBreaks .| (bytes .== Lanes(repeating: 0x2C))
    let spacesAround =
      (before .== Lanes(repeating: 0x20)) .| (before .== Lanes(repeating: 0x09))
      .| (after .== Lanes(repeating: 0x20)) .| (after .== Lanes(repeating: 0x09))
    let notable = unsafeBitCast(
      lineBreaks .| (separators .& spacesAround), to: SIMD2<UInt64>.self)
    self.quotes = unsafeBitCast(quotes, to: Lanes.self)
    isNotable = notable[0] | notable[1] != 0
  }
}

/// The state of ``scanPiece(_:insideQuotes:)`` between words. Byte *i* of a word is bits
/// 8*i*..<8*i*+8 (little-endian), and each per-byte mask has the high bit of a byte set where
/// the byte is in the class, so that shifting a mask left by 8 moves each byte's flag onto the
/// byte after it.
private struct WordScan {
  /// The high bit of every byte, where the masks keep their flags.
  static let highs: UInt64 = 0x8080_8080_8080_8080
  /// The low seven bits of every byte.
  static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

  /// `highs` if the next word starts inside quotes, else 0.
  var insideBefore: UInt64
  /// 0x80 if the byte before the next word is a separator (comma, quote, CR, LF) or the
  /// piece's start, else 0.
  var separatorBefore: UInt64 = 0x80
  /// 0x80 if the byte before the next word is a space or tab outside quotes, else 0.
  var spaceBefore: UInt64 = 0
  /// The spaces and tabs found next to a separator, outside quotes.
  var trimmable: UInt64 = 0
  /// The CRs and LFs found inside quotes.
  var quotedLineBreaks: UInt64 = 0

  init(insideQuotes: Bool) { insideBefore = insideQuotes ? Self.highs : 0 }

  /// `byte` in each of the eight bytes of a word.
  static func repeated(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

  /// Adds the next eight bytes of the piece.
  @inline(__always)
  mutating func add(_ word: UInt64) {
    // For each class byte c, `(low ^ c) + 0x7F` has a byte's high bit set exactly where the low
    // seven bits differ from c (no carry crosses a byte); or'ed with the word itself, whose
    // high bits mark bytes from 0x80 up, the high bit is clear exactly where the byte is c.
    let low = word & Self.lows
    let otherThanQuote = (low ^ Self.repeated(0x22)) &+ Self.lows
    let otherThanLineBreak =
      ((low ^ Self.repeated(0x0D)) &+ Self.lows) & ((low ^ Self.repeated(0x0A)) &+ Self.lows)
    let otherThanComma = (low ^ Self.repeated(0x2C)) &+ Self.lows
    let otherThanSpace =
      ((low ^ Self.repeated(0x20)) &+ Self.lows) & ((low ^ Self.repeated(0x09)) &+ Self.lows)
    let quotes = ~(otherThanQuote | word) & Self.highs
    let lineBreaks = ~(otherThanLineBreak | word) & Self.highs
    let separators = ~((otherThanLineBreak & otherThanQuote & otherThanComma) | word) & Self.highs
    let spaces = ~(otherThanSpace | word) & Self.highs
    // Prefix XOR: byte i gets the parity of the quotes in bytes 0...i, that is whether a byte
    // other than a quote stands inside quotes, flipped when the word starts inside them.
    var inside = quotes
    inside ^= inside &<< 8
    inside ^= inside &<< 16
    inside ^= inside &<< 32
    inside ^= insideBefore
    let outsideSpaces = spaces & ~inside
    trimmable |= outsideSpaces & ((separators &<< 8) | separatorBefore)
    trimmable |= separators & ((outsideSpaces &<< 8) | spaceBefore)
    quotedLineBreaks |= lineBreaks & inside
    insideBefore = (0 &- (inside &>> 63)) & Self.highs
    separatorBefore = separators &>> 56
    spaceBefore = outsideSpaces &>> 56
  }

  /// Continues after bytes that were not added: `previous` is the byte just before the next
  /// word, and `quotesSkipped` has each lane's bits flipped for each quote skipped in it, so
  /// the parity of the lanes' high bits says whether the quote state flipped meanwhile.
  @inline(__always)
  mutating func resume(after previous: UInt8, quotesSkipped: SIMD16<UInt8>) {
    let lanes = unsafeBitCast(
      quotesSkipped & SIMD16(repeating: 0x80), to: SIMD2<UInt64>.self)
    if (lanes[0] ^ lanes[1]).nonzeroBitCount & 1 != 0 { insideBefore ^= Self.highs }
    let isSeparator = previous == 0x2C || previous == 0x22 || previous == 0x0D || previous == 0x0A
    separatorBefore = isSeparator ? 0x80 : 0
    spaceBefore = (previous == 0x20 || previous == 0x09) && insideBefore == 0 ? 0x80 : 0
  }

  /// Checks the byte after the words added so far, which will not be added if its block is
  /// skipped: a space or tab outside quotes after a separator is trimmable.
  @inline(__always)
  mutating func lookAhead(_ next: UInt8) {
    if separatorBefore != 0 && (next == 0x20 || next == 0x09) && insideBefore == 0 {
      trimmable |= 0x80
    }
  }
}
