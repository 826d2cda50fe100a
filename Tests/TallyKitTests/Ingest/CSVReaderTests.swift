import Foundation
import Testing

@testable import TallyKit

private typealias Record = ReaderTestSupport.Record

/// The fixture, one physical line per element (lines 1 to 15), with every byte spelled out.
private let fixtureLines = [
  "\u{FEFF}id,name,note,amount\r\n",  // 1: the header, after a UTF-8 BOM; CRLF
  "1,plain,,10\r\n",  // 2: an empty field
  "\r\n",  // 3: blank
  "2,\"quoted, with comma\",\"he said \"\"hi\"\"\",20\r\n",  // 4
  "3,\"multi\n",  // 5: a quoted field over three lines, with an LF and then a CRLF inside
  "line\r\n",  // 6
  "note\",\"\",30\n",  // 7
  "\n",  // 8: blank
  "\n",  // 9: blank
  "4, spaced ,\"\",\r\n",  // 10: spaces are data; a quoted empty field; an empty last field
  "5,\"\"\"\",\"a\"\"b\",\"\"\n",  // 11: doubled quotes
  "6,old mac,\"\",60\r",  // 12: a lone CR ends the line
  "7,\"ends with CR\r",  // 13: a lone CR inside quotes
  "\",x,70\n",  // 14
  "8,last,no newline,80",  // 15: no line break at the end of the file
]
private let fixture = Array(fixtureLines.joined().utf8)

private let fixtureHeader = ["id", "name", "note", "amount"]
private let fixtureRecords = [
  Record(2, ["1", "plain", "", "10"]),
  Record(4, ["2", "quoted, with comma", "he said \"hi\"", "20"]),
  Record(5, ["3", "multi\nline\r\nnote", "", "30"]),
  Record(10, ["4", " spaced ", "", ""]),
  Record(11, ["5", "\"", "a\"b", ""]),
  Record(12, ["6", "old mac", "", "60"]),
  Record(13, ["7", "ends with CR\r", "x", "70"]),
  Record(15, ["8", "last", "no newline", "80"]),
]

private let chunkSizes = [1, 2, 3, 7, 64, 1 << 20]

/// Spaces and tabs in every position libcsv would trim by default, and inside fields; each is
/// data (RFC 4180). Expected fields written by hand from the lines.
private let spacedLines = [
  "h1,h2,h3\n",  // 1
  " x ,y z,\t\n",  // 2: leading and trailing space, an inner space, a lone tab
  "\" lead\",\"trail \",mid  dle\n",  // 3: spaces inside quotes, two inner spaces
  "tab\there,x ,\ty\n",  // 4: inner tab, trailing space, leading tab
  "a,b,c\n",  // 5: none
  "\"Amazon, Inc.\",q,\"x ,y\"\n",  // 6: spaces next to commas inside quotes
  "  ,  ,  ",  // 7: fields of spaces only, and no line break at the end
]
private let spacedRecords = [
  Record(2, [" x ", "y z", "\t"]),
  Record(3, [" lead", "trail ", "mid  dle"]),
  Record(4, ["tab\there", "x ", "\ty"]),
  Record(5, ["a", "b", "c"]),
  Record(6, ["Amazon, Inc.", "q", "x ,y"]),
  Record(7, ["  ", "  ", "  "]),
]

@Suite("CSVReader")
struct CSVReaderTests {
  @Test(
    "identical records and lines for every chunk size, parsing ahead or not",
    arguments: chunkSizes, [false, true])
  func fixtureForEveryChunkSize(chunkSize: Int, parsingAhead: Bool) throws {
    let (header, records) = try ReaderTestSupport.readAll(
      fixture, chunkSize: chunkSize, parsingAhead: parsingAhead)
    #expect(header == fixtureHeader)
    #expect(records == fixtureRecords)
  }

  @Test(
    "a keeping: mask carries over between the arenas that parse ahead", arguments: [1, 3, 64])
  func keepingMaskParsingAhead(chunkSize: Int) throws {
    let (_, records) = try ReaderTestSupport.readAll(
      fixture, chunkSize: chunkSize, keeping: [true, false, false, true], parsingAhead: true)
    #expect(
      records == fixtureRecords.map { Record($0.line, [$0.fields[0], "", "", $0.fields[3]]) })
  }

  @Test(
    "spaces and tabs around fields are data for every chunk size", arguments: 1...40,
    [false, true])
  func spacesAreKept(chunkSize: Int, parsingAhead: Bool) throws {
    let read = try ReaderTestSupport.readAll(
      Array(spacedLines.joined().utf8), chunkSize: chunkSize, parsingAhead: parsingAhead)
    #expect(read.header == ["h1", "h2", "h3"])
    #expect(read.records == spacedRecords)
  }

  @Test("the space test is needed exactly where libcsv would trim")
  func spaceTestNeeded() {
    func needs(_ text: String, startingInsideQuotes: Bool = false) -> Bool {
      scan(text, startingInsideQuotes: startingInsideQuotes).mayTrimSpaces
    }
    // Nowhere to trim: no spaces, only spaces between other bytes (also across eight-byte
    // words), or spaces inside quotes, even next to commas, quotes and line breaks.
    #expect(!needs(""))
    #expect(!needs("a,b\nc,d\n"))
    #expect(!needs("USD 0.0104 per On Demand Linux t3.micro Instance Hour,x\ty\n"))
    #expect(!needs("12345678,\"Amazon Web Services, Inc.\",AWS Lambda\n"))
    #expect(!needs("a,\" q \"\" , \n x\",b"))
    #expect(!needs(" Web Services, Inc.\",x", startingInsideQuotes: true))
    // Next to a comma, a quote, a line break, or at either end of the piece, outside quotes.
    #expect(needs("abcdefgh, ijklmnop"))
    #expect(needs("abcdefgh ,ijklmnop"))
    #expect(needs("abcdefghijklmno\"\tx", startingInsideQuotes: true))
    #expect(needs("abcdefghijk,\"x\" y"))
    #expect(needs("abcdefghijklm \n"))
    #expect(needs("abcdefghijklm\r\tx"))
    #expect(needs(" abc"))
    #expect(needs("abc\t"))
    #expect(needs("\"a,b\", c"))
  }

  @Test("the quote state carries from piece to piece")
  func spaceTestQuoteState() {
    var inside = false
    let pieces = ["a,\"x", "y, z", "\"\"w\" ,b"]
    let needed = pieces.map { piece in
      Array(piece.utf8).withUnsafeBytes { scanPiece($0, insideQuotes: &inside).mayTrimSpaces }
    }
    #expect(needed == [false, false, true])
    #expect(!inside)
  }

  @Test("a line break counts as quoted only inside quotes")
  func quotedLineBreaks() {
    func holds(_ text: String, startingInsideQuotes: Bool = false) -> Bool {
      scan(text, startingInsideQuotes: startingInsideQuotes).holdsQuotedLineBreak
    }
    #expect(!holds("a,b\r\nc,\"d\"\n"))
    #expect(!holds("a,\"x\"\"\"\n\"\"\r,y"))  // the quotes pair up: each break is outside
    #expect(!holds("\"\n", startingInsideQuotes: true))
    #expect(holds("a,\"multi\nline\",b\n"))
    #expect(holds("12345678,\"x\"\"\r"))
    #expect(holds("abcdefgh\n", startingInsideQuotes: true))
  }

  @Test("the word-at-a-time scan agrees with a byte-at-a-time reading of its rule")
  func scanMatchesReference() {
    // Random pieces of every length up to 40 and many longer ones (the scan tests sixteen bytes
    // at a time only in pieces of 25 bytes or more), at every alignment, each starting inside
    // and outside quotes. Each piece has its own share of bytes that matter (1 to 100 %), so that
    // long pieces have sixteen-byte blocks with nothing, only quotes, or a lone line break or
    // space. The bytes around each piece are quotes, spaces and line breaks: a scan that looked
    // past the piece's ends would see them.
    let notable: [UInt8] = Array(",\" \t\r\n".utf8)
    var random = SeededRandom(state: 4)
    var outcomes: [String: Int] = [:]
    for round in 0..<30_000 {
      let length = round % 3 == 0 ? Int.random(in: 41...300, using: &random) : round % 41
      let percent = [1, 3, 10, 30, 100][Int.random(in: 0..<5, using: &random)]
      let piece = (0..<length).map { _ in
        Int.random(in: 0..<100, using: &random) < percent
          ? notable[Int.random(in: 0..<notable.count, using: &random)] : UInt8(ascii: "a")
      }
      let lead = Int.random(in: 0...15, using: &random)
      let padded = Array(repeating: UInt8(ascii: "\""), count: lead) + piece + Array(" \r\"".utf8)
      for startsInside in [false, true] {
        let expected = referenceScan(piece, startingInsideQuotes: startsInside)
        var inside = startsInside
        let scanned = padded.withUnsafeBytes {
          scanPiece(
            UnsafeRawBufferPointer(rebasing: $0[lead..<lead + length]), insideQuotes: &inside)
        }
        #expect(
          scanned == expected.scan && inside == expected.endsInside,
          "\(String(decoding: piece, as: UTF8.self).debugDescription), inside: \(startsInside)")
        let size = length > 40 ? "long" : "short"
        outcomes[
          "\(size), trim \(scanned.mayTrimSpaces), break \(scanned.holdsQuotedLineBreak)",
          default: 0] += 1
      }
    }
    // Every combination of the two answers came up hundreds of times, in short and long pieces.
    #expect(outcomes.count == 8 && outcomes.values.allSatisfy { $0 > 250 }, "\(outcomes)")
  }

  @Test(
    "a quoted line break counts wherever the chunks cut its field, kept or skipped",
    arguments: 1...24, [false, true])
  func quotedLineBreakAcrossChunks(chunkSize: Int, parsingAhead: Bool) throws {
    // Lines by hand: record 2 starts on line 2 and its second field spans lines 2 to 4 (an LF,
    // then a CRLF); record 3 starts on line 5, its first field spans 5 and 6 (a lone CR).
    let text = "a,b,c\n1,\"x\ny\r\nz\",2\n\"p\rq\",r,s\n4,5,6\n"
    for keeping in [nil, [true, false, false], [false, true, false]] {
      let (_, records) = try ReaderTestSupport.readAll(
        Array(text.utf8), chunkSize: chunkSize, keeping: keeping, parsingAhead: parsingAhead)
      #expect(records.map(\.line) == [2, 5, 7], "keeping \(String(describing: keeping))")
    }
  }

  @Test("fields of every length up to 40 bytes are copied exactly", arguments: [1, 5, 1 << 20])
  func fieldLengths(chunkSize: Int) throws {
    // Field n of the one record is n bytes long (n = 0...40), each byte different from its
    // neighbours, so a copy that dropped, repeated or misplaced a byte would show.
    let fields = (0...40).map { length -> String in
      let bytes = (0..<length).map { index -> UInt8 in UInt8(0x41 + (index * 7 + length) % 58) }
      return String(decoding: bytes, as: UTF8.self)
    }
    let header = (0...40).map { "f\($0)" }.joined(separator: ",")
    let text = header + "\n" + fields.joined(separator: ",") + "\n"
    let (_, records) = try ReaderTestSupport.readAll(Array(text.utf8), chunkSize: chunkSize)
    #expect(records == [Record(2, fields)])
  }

  @Test("fields are the exact bytes", arguments: [1, 1 << 20])
  func exactBytes(chunkSize: Int) throws {
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(fixture), path: "test.csv", chunkSize: chunkSize)
    var multiline: [UInt8] = []
    try reader.forEachRecord { record in
      if record.line == 5 { multiline = Array(record[1]) }
      #expect(record.count == 4)
    }
    #expect(multiline == Array("multi\nline\r\nnote".utf8))
  }

  @Test("reads a file through FileByteSource")
  func readsAFile() throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("fixture.csv").path
    try Data(fixture).write(to: URL(fileURLWithPath: path))
    let reader = CSVReader(source: try FileByteSource(path: path), path: path, chunkSize: 7)
    #expect(try reader.readHeader() == fixtureHeader)
    var records: [Record] = []
    try reader.forEachRecord { record in
      records.append(Record(record.line, (0..<record.count).map { record.string(at: $0) }))
    }
    #expect(records == fixtureRecords)
  }

  @Test("a keeping: mask leaves other columns empty", arguments: [1, 3, 1 << 20])
  func keepingMask(chunkSize: Int) throws {
    // Column 1 holds the three-line field: its line breaks must count though it is not copied.
    let (header, records) = try ReaderTestSupport.readAll(
      fixture, chunkSize: chunkSize, keeping: [true, false, true])
    #expect(header == fixtureHeader)
    #expect(
      records == [
        Record(2, ["1", "", "", ""]),
        Record(4, ["2", "", "he said \"hi\"", ""]),
        Record(5, ["3", "", "", ""]),
        Record(10, ["4", "", "", ""]),
        Record(11, ["5", "", "a\"b", ""]),
        Record(12, ["6", "", "", ""]),
        Record(13, ["7", "", "x", ""]),
        Record(15, ["8", "", "no newline", ""]),
      ])
  }

  @Test("an empty mask keeps nothing but still counts fields")
  func emptyMask() throws {
    let reader = CSVReader(source: ReaderTestSupport.MemorySource(fixture), path: "test.csv")
    var counts: [Int] = []
    try reader.forEachRecord(keeping: []) { record in
      counts.append(record.count)
      for field in 0..<record.count { #expect(record[field].isEmpty) }
    }
    #expect(counts == Array(repeating: 4, count: 8))
  }

  @Test("fields past the end are empty")
  func subscriptOutOfRange() throws {
    let bytes = Array("a,b\nx,\n".utf8)
    let reader = CSVReader(source: ReaderTestSupport.MemorySource(bytes), path: "test.csv")
    var seen = 0
    try reader.forEachRecord { record in
      seen += 1
      #expect(record.count == 2)
      #expect(record.string(at: 0) == "x")
      #expect(record[1].isEmpty)
      #expect(record[1].baseAddress != nil)  // binds as '' rather than NULL
      #expect(record[2].isEmpty)
      #expect(record[-1].isEmpty)
      #expect(record.string(at: 99) == "")
    }
    #expect(seen == 1)
  }

  @Test("forEachRecord skips the header when readHeader was not called")
  func forEachRecordReadsTheHeader() throws {
    let reader = CSVReader(source: ReaderTestSupport.MemorySource(fixture), path: "test.csv")
    var lines: [Int] = []
    try reader.forEachRecord { lines.append($0.line) }
    #expect(lines == [2, 4, 5, 10, 11, 12, 13, 15])
    #expect(try reader.readHeader() == fixtureHeader)
  }

  @Test("readHeader twice returns the same header")
  func readHeaderTwice() throws {
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(Array("a,b\n1,2\n".utf8)), path: "test.csv")
    #expect(try reader.readHeader() == ["a", "b"])
    #expect(try reader.readHeader() == ["a", "b"])
    var records: [[String]] = []
    try reader.forEachRecord { records.append([$0.string(at: 0), $0.string(at: 1)]) }
    #expect(records == [["1", "2"]])
  }

  @Test("a header only, with or without a line break", arguments: ["a,b", "a,b\n", "a,b\r\n\r\n"])
  func headerOnly(text: String) throws {
    let (header, records) = try ReaderTestSupport.readAll(Array(text.utf8), chunkSize: 1)
    #expect(header == ["a", "b"])
    #expect(records.isEmpty)
  }

  @Test("blank lines before the header are skipped and counted")
  func blankLinesBeforeHeader() throws {
    let (header, records) = try ReaderTestSupport.readAll(
      Array("\n\r\nh1,h2\n\nx,y\n".utf8), chunkSize: 2)
    #expect(header == ["h1", "h2"])
    #expect(records == [Record(5, ["x", "y"])])
  }

  @Test(
    "an empty file fails",
    arguments: ["", "\u{FEFF}", "\n\r\n\n", "\u{FEFF}\r\n"])
  func emptyFile(text: String) throws {
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(Array(text.utf8)), path: "empty.csv", chunkSize: 1)
    let error = #expect(throws: InputError.self) { try reader.readHeader() }
    #expect(error?.message == "the file is empty: expected a header row")
    #expect(error?.location == SourceLocation(file: "empty.csv"))
  }

  @Test("bytes that only begin like a BOM are data", arguments: [1, 2, 64])
  func byteOrderMarkPrefix(chunkSize: Int) throws {
    let (header, records) = try ReaderTestSupport.readAll(
      [0xEF, 0xBB] + Array("a,b\n1,2\n".utf8), chunkSize: chunkSize)
    #expect(header == [String(decoding: [0xEF, 0xBB, 0x61], as: UTF8.self), "b"])
    #expect(records == [Record(2, ["1", "2"])])
    let (shortHeader, _) = try ReaderTestSupport.readAll([0xEF, 0xBB], chunkSize: chunkSize)
    #expect(shortHeader == [String(decoding: [0xEF, 0xBB], as: UTF8.self)])
  }

  @Test("errors thrown by body propagate unchanged", arguments: [false, true])
  func bodyErrorsPropagate(parsingAhead: Bool) throws {
    struct Stop: Error, Equatable { var line: Int }
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(fixture), path: "test.csv", chunkSize: 5)
    var calls = 0
    #expect(throws: Stop(line: 4)) {
      try reader.forEachRecord(parsingAhead: parsingAhead) { record in
        calls += 1
        if record.line == 4 { throw Stop(line: record.line) }
      }
    }
    #expect(calls == 2)
  }

  @Test("a source that fails stops the reader with its error", arguments: [false, true])
  func failingSource(parsingAhead: Bool) throws {
    /// Returns a header and a record, then fails as a disk would.
    final class FailingSource: ByteSource {
      private var calls = 0
      func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        calls += 1
        guard calls == 1 else {
          throw InputError("cannot read the file: Input/output error", at: .init(file: "io.csv"))
        }
        let text = Array("a,b\n1,2\n3,".utf8)
        for (index, byte) in text.enumerated() { buffer[index] = byte }
        return text.count
      }
    }
    let reader = CSVReader(source: FailingSource(), path: "io.csv")
    var lines: [Int] = []
    let error = #expect(throws: InputError.self) {
      try reader.forEachRecord(parsingAhead: parsingAhead) { lines.append($0.line) }
    }
    #expect(lines == [2])
    #expect(error?.description == "io.csv: cannot read the file: Input/output error")
  }

  @Test("many chunks: records cut by chunk ends and records larger than a chunk")
  func manyChunks() throws {
    // 3,000 records; every 7th has a quoted field with two line breaks, every 500th a 10 kB field.
    var text = "n,text,big\n"
    var expected: [Record] = []
    var line = 2
    let big = String(repeating: "x", count: 10_000)
    for number in 0..<3000 {
      let multiline = number % 7 == 0
      let note = multiline ? "first\nsecond\r\nthird, \"4th\"" : "plain \(number)"
      let quoted = multiline ? "\"first\nsecond\r\nthird, \"\"4th\"\"\"" : "\"\(note)\""
      let last = number % 500 == 0 ? big : ""
      text += "\(number),\(quoted),\(last)\r\n"
      expected.append(Record(line, ["\(number)", note, last]))
      line += multiline ? 3 : 1
    }
    for chunkSize in [4096, 65_536, 1 << 20] {
      for parsingAhead in [false, true] {
        let (header, records) = try ReaderTestSupport.readAll(
          Array(text.utf8), chunkSize: chunkSize, parsingAhead: parsingAhead)
        #expect(header == ["n", "text", "big"])
        #expect(records == expected, "chunk size \(chunkSize), parsing ahead: \(parsingAhead)")
      }
    }
  }

  @Test("a record longer than the limit fails instead of filling memory")
  func recordLimit() throws {
    let bytes = Array(("a,b\n1,2\n3,\"" + String(repeating: "x", count: 5000)).utf8)
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(bytes), path: "test.csv", chunkSize: 64)
    reader.maxRecordBytes = 1000
    var lines: [Int] = []
    let error = #expect(throws: InputError.self) {
      try reader.forEachRecord { lines.append($0.line) }
    }
    #expect(lines == [2])
    #expect(
      error?.message == "malformed CSV: a record longer than 1000 bytes; is a quote left open?")
    #expect(
      error?.location == SourceLocation(file: "test.csv", line: 3, column: 2, columnName: "b"))
  }
}

/// How a test reads: the chunk size, and whether parsing runs ahead on another thread.
struct ReadMode: Sendable, CustomTestStringConvertible {
  var chunkSize: Int
  var parsingAhead: Bool

  var testDescription: String {
    "chunks of \(chunkSize)" + (parsingAhead ? ", parsing ahead" : "")
  }

  /// Each size, read both ways.
  static func both(_ chunkSizes: [Int]) -> [ReadMode] {
    chunkSizes.flatMap {
      [ReadMode(chunkSize: $0, parsingAhead: false), .init(chunkSize: $0, parsingAhead: true)]
    }
  }
}

/// A malformed file, and where the reader must say the problem is.
struct MalformedCSVCase: Sendable, CustomTestStringConvertible {
  var csv: String
  var line: Int
  var column: Int
  var columnName: String?
  var message: String
  /// The lines of the records read before the error.
  var linesBefore: [Int]

  var testDescription: String { String(reflecting: csv) }
}

private let strayQuote =
  "malformed CSV: a quote inside an unquoted field, or text after a closing quote"
private let openQuote = "malformed CSV: the file ends inside a quoted field"

private let malformedCases = [
  MalformedCSVCase(
    csv: "h1,h2\na,\"b\"c\n", line: 2, column: 2, columnName: "h2", message: strayQuote,
    linesBefore: []),
  MalformedCSVCase(
    csv: "a,b,c\n1,2,3\n4,5,x\"y\n", line: 3, column: 3, columnName: "c", message: strayQuote,
    linesBefore: [2]),
  MalformedCSVCase(
    csv: "a,b\n1,\"multi\nline\"oops\n", line: 3, column: 2, columnName: "b",
    message: strayQuote, linesBefore: []),
  MalformedCSVCase(
    csv: "a,b\r\n\r\n1,2\r\n\"x\"\"\" ,3\r\n", line: 4, column: 1, columnName: "a",
    message: strayQuote, linesBefore: [3]),
  MalformedCSVCase(
    csv: "a,b,c\n1,2,3,4,\"5\"6\n", line: 2, column: 5, columnName: nil, message: strayQuote,
    linesBefore: []),
  // Spaces are data, so a space before an opening quote or after a closing one leaves a quote
  // where it may not be (libcsv's default would have trimmed them and parsed "q").
  MalformedCSVCase(
    csv: "a,b\n1, \"q\"\n", line: 2, column: 2, columnName: "b", message: strayQuote,
    linesBefore: []),
  MalformedCSVCase(
    csv: "a,b\n1,x\n\"q\" \n", line: 3, column: 1, columnName: "a", message: strayQuote,
    linesBefore: [2]),
  MalformedCSVCase(
    csv: "a,b\n1,2\n3,\"open\nstill open\n", line: 3, column: 2, columnName: "b",
    message: openQuote, linesBefore: [2]),
  MalformedCSVCase(
    csv: "a,b\r\n\r\n\"open", line: 3, column: 1, columnName: "a", message: openQuote,
    linesBefore: []),
  MalformedCSVCase(
    csv: "a,b\n1,\"\"\"", line: 2, column: 2, columnName: "b", message: openQuote,
    linesBefore: []),
]

@Suite("CSVReader malformed input")
struct CSVReaderMalformedTests {
  @Test(
    "malformed quotes fail with line and column, parsing ahead or not",
    arguments: malformedCases, ReadMode.both([1, 2, 7, 1 << 20]))
  func malformed(testCase: MalformedCSVCase, mode: ReadMode) throws {
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(Array(testCase.csv.utf8)), path: "bad.csv",
      chunkSize: mode.chunkSize)
    var lines: [Int] = []
    let error = #expect(throws: InputError.self) {
      try reader.forEachRecord(parsingAhead: mode.parsingAhead) { lines.append($0.line) }
    }
    #expect(error?.message == testCase.message)
    #expect(
      error?.location
        == SourceLocation(
          file: "bad.csv", line: testCase.line, column: testCase.column,
          columnName: testCase.columnName))
    #expect(lines == testCase.linesBefore)
  }

  @Test("after an error, reading again throws it again")
  func errorIsSticky() throws {
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(Array("a,b\n1,\"x\"y\n2,3\n".utf8)),
      path: "bad.csv")
    let first = #expect(throws: InputError.self) { try reader.forEachRecord { _ in } }
    var calls = 0
    let second = #expect(throws: InputError.self) { try reader.forEachRecord { _ in calls += 1 } }
    #expect(first?.description == "bad.csv:2:2 (b): \(strayQuote)")
    #expect(second?.description == first?.description)
    #expect(calls == 0)
  }

  @Test("a malformed header fails at line 1", arguments: [1, 1 << 20])
  func malformedHeader(chunkSize: Int) throws {
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(Array("id,\"na\"me\n1,2\n".utf8)), path: "bad.csv",
      chunkSize: chunkSize)
    let error = #expect(throws: InputError.self) { try reader.readHeader() }
    #expect(error?.message == strayQuote)
    #expect(error?.location == SourceLocation(file: "bad.csv", line: 1, column: 2))
  }

  @Test("the description names file, line, column and header")
  func description() throws {
    let reader = CSVReader(
      source: ReaderTestSupport.MemorySource(Array("a,b\n1,\"b\"c\n".utf8)), path: "bill.csv")
    let error = #expect(throws: InputError.self) { try reader.forEachRecord { _ in } }
    #expect(error?.description == "bill.csv:2:2 (b): \(strayQuote)")
  }
}

/// ``scanPiece(_:insideQuotes:)`` of `text` as one piece.
private func scan(_ text: String, startingInsideQuotes: Bool) -> PieceScan {
  var inside = startingInsideQuotes
  return Array(text.utf8).withUnsafeBytes { scanPiece($0, insideQuotes: &inside) }
}

/// What ``scanPiece(_:insideQuotes:)`` must return, computed a byte at a time from the rule in
/// ``PieceScan``'s documentation, and whether the piece ends inside quotes.
private func referenceScan(_ piece: [UInt8], startingInsideQuotes: Bool) -> (
  scan: PieceScan, endsInside: Bool
) {
  func isSeparator(_ byte: UInt8) -> Bool { Array(",\"\r\n".utf8).contains(byte) }
  var inside = startingInsideQuotes
  var scan = PieceScan(mayTrimSpaces: false, holdsQuotedLineBreak: false)
  for (index, byte) in piece.enumerated() {
    switch byte {
    case UInt8(ascii: "\""):
      inside.toggle()
    case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
      if inside { scan.holdsQuotedLineBreak = true }
    case UInt8(ascii: " "), UInt8(ascii: "\t"):
      let first = index == 0 || isSeparator(piece[index - 1])
      let last = index == piece.count - 1 || isSeparator(piece[index + 1])
      if !inside && (first || last) { scan.mayTrimSpaces = true }
    default:
      break
    }
  }
  return (scan, inside)
}
