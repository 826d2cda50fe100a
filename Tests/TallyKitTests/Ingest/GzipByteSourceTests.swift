import Foundation
import TallyKit
import Testing

@Suite("GzipByteSource")
struct GzipByteSourceTests {
  /// About 700 kB of CSV with random hex, so that it compresses to more than one 256 kB input
  /// buffer.
  static let largeText: [UInt8] = {
    let digits = Array("0123456789abcdef".utf8)
    var random: UInt64 = 0x9E37_79B9_7F4A_7C15
    var bytes = Array("id,value,hex\n".utf8)
    for number in 0..<8000 {
      bytes += "\(number),\"v, \(number % 97)\",".utf8
      for _ in 0..<64 {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        bytes.append(digits[Int(random & 15)])
      }
      bytes.append(0x0A)
    }
    return bytes
  }()

  @Test("round trip of the system gzip", arguments: [7, 4096, 1 << 20])
  func roundTrip(bufferSize: Int) throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = Self.largeText
    let compressed = try ReaderTestSupport.systemGzip(text, in: directory)
    #expect(compressed.count > 256 * 1024)
    let source = GzipByteSource(ReaderTestSupport.MemorySource(compressed), path: "a.gz")
    #expect(try ReaderTestSupport.drain(source, bufferSize: bufferSize) == text)
  }

  @Test("compressed bytes arriving one at a time")
  func trickledInput() throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = Array(String(repeating: "line,of,text\n", count: 500).utf8)
    let compressed = try ReaderTestSupport.systemGzip(text, in: directory)
    let source = GzipByteSource(ReaderTestSupport.MemorySource(compressed, step: 1), path: "a.gz")
    #expect(try ReaderTestSupport.drain(source, bufferSize: 100) == text)
  }

  @Test("CSV records through openByteSource on a .gz file")
  func csvThroughGzip() throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = "\u{FEFF}id,note\r\n1,\"two\r\nlines\"\r\n\r\n2,plain\r\n"
    let path = directory.appendingPathComponent("bill.csv.gz").path
    try Data(try ReaderTestSupport.systemGzip(Array(text.utf8), in: directory))
      .write(to: URL(fileURLWithPath: path))
    let reader = CSVReader(source: try openByteSource(path: path), path: path, chunkSize: 5)
    #expect(try reader.readHeader() == ["id", "note"])
    var records: [ReaderTestSupport.Record] = []
    try reader.forEachRecord { record in
      records.append(.init(record.line, [record.string(at: 0), record.string(at: 1)]))
    }
    #expect(records == [.init(2, ["1", "two\r\nlines"]), .init(5, ["2", "plain"])])
  }

  @Test("multi-member gzip (cat a.gz b.gz) reads as one stream", arguments: [1, 1 << 16])
  func multiMember(bufferSize: Int) throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = Array("id,value\n1,one\n".utf8)
    let second = Array("2,two\n3,three\n".utf8)
    let third = Self.largeText
    let compressed =
      try ReaderTestSupport.systemGzip(first, in: directory)
      + ReaderTestSupport.systemGzip(second, in: directory)
      + ReaderTestSupport.systemGzip(third, in: directory)
    let source = GzipByteSource(ReaderTestSupport.MemorySource(compressed), path: "ab.gz")
    #expect(try ReaderTestSupport.drain(source, bufferSize: bufferSize) == first + second + third)
  }

  @Test("an empty member between members is fine")
  func emptyMember() throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let compressed =
      try ReaderTestSupport.systemGzip(Array("a\n".utf8), in: directory)
      + ReaderTestSupport.systemGzip([], in: directory)
      + ReaderTestSupport.systemGzip(Array("b\n".utf8), in: directory)
    let source = GzipByteSource(ReaderTestSupport.MemorySource(compressed), path: "e.gz")
    #expect(try ReaderTestSupport.drain(source) == Array("a\nb\n".utf8))
  }

  @Test("truncated gzip fails", arguments: [1, 4, 8, 9, 100, 5000])
  func truncated(cut: Int) throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let compressed = try ReaderTestSupport.systemGzip(Self.largeText, in: directory)
    let path = directory.appendingPathComponent("cut.csv.gz").path
    try Data(compressed.dropLast(cut)).write(to: URL(fileURLWithPath: path))
    let source = try openByteSource(path: path)
    let error = #expect(throws: InputError.self) { try ReaderTestSupport.drain(source) }
    #expect(error?.location == SourceLocation(file: path))
    #expect(
      error?.message
        == "gzip data is truncated or corrupt: the data ends before the end of the gzip stream")
  }

  @Test("a truncated second member fails")
  func truncatedSecondMember() throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let compressed =
      try ReaderTestSupport.systemGzip(Array("a\n".utf8), in: directory)
      + ReaderTestSupport.systemGzip(Array("b\n".utf8), in: directory).dropLast(3)
    let source = GzipByteSource(ReaderTestSupport.MemorySource(compressed), path: "t.gz")
    let error = #expect(throws: InputError.self) { try ReaderTestSupport.drain(source) }
    #expect(error?.message.hasPrefix("gzip data is truncated or corrupt: ") == true)
  }

  @Test("the first bytes of a gzip header only")
  func headerOnly() throws {
    let source = GzipByteSource(ReaderTestSupport.MemorySource([0x1F, 0x8B]), path: "h.gz")
    let error = #expect(throws: InputError.self) { try ReaderTestSupport.drain(source) }
    #expect(error?.message.hasPrefix("gzip data is truncated or corrupt: ") == true)
  }

  /// Ways to damage a gzip member, and zlib's word for each.
  static let corruptions: [(name: String, damage: @Sendable ([UInt8]) -> [UInt8], detail: String)] =
    [
      ("CRC-32", { bytes in flipping(bytes, at: bytes.count - 8) }, "incorrect data check"),
      ("length", { bytes in flipping(bytes, at: bytes.count - 2) }, "incorrect length check"),
      ("method", { bytes in flipping(bytes, at: 2) }, "unknown compression method"),
      ("garbage after the member", { $0 + Array("garbage".utf8) }, "incorrect header check"),
      ("zero padding", { $0 + [0, 0, 0, 0] }, "incorrect header check"),
    ]

  @Test("corrupt gzip fails", arguments: 0..<corruptions.count)
  func corrupt(index: Int) throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let corruption = Self.corruptions[index]
    let compressed = try ReaderTestSupport.systemGzip(Self.largeText, in: directory)
    let source = GzipByteSource(
      ReaderTestSupport.MemorySource(corruption.damage(compressed)), path: "bad.gz")
    let error = #expect(throws: InputError.self, "\(corruption.name)") {
      try ReaderTestSupport.drain(source)
    }
    #expect(error?.message == "gzip data is truncated or corrupt: \(corruption.detail)")
    #expect(error?.location == SourceLocation(file: "bad.gz"))
  }

  @Test("data that is not gzip fails")
  func notGzip() throws {
    let source = GzipByteSource(
      ReaderTestSupport.MemorySource(Array("id,value\n1,2\n".utf8)), path: "plain.gz")
    let error = #expect(throws: InputError.self) { try ReaderTestSupport.drain(source) }
    #expect(error?.message == "gzip data is truncated or corrupt: incorrect header check")
  }

  @Test("empty input fails")
  func emptyInput() throws {
    let source = GzipByteSource(ReaderTestSupport.MemorySource([]), path: "empty.gz")
    #expect(throws: InputError.self) { try ReaderTestSupport.drain(source) }
  }
}

/// `bytes` with the bits of byte `index` inverted.
private func flipping(_ bytes: [UInt8], at index: Int) -> [UInt8] {
  var bytes = bytes
  bytes[index] ^= 0xFF
  return bytes
}
