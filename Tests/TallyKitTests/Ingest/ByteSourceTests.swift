import Foundation
import TallyKit
import Testing

@Suite("FileByteSource and openByteSource")
struct ByteSourceTests {
  @Test("FileByteSource reads a file's bytes", arguments: [1, 5, 1 << 16])
  func readsAFile(bufferSize: Int) throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("bytes.bin").path
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let source = try FileByteSource(path: path)
    #expect(try ReaderTestSupport.drain(source, bufferSize: bufferSize) == bytes)
  }

  @Test("a missing file fails, naming it")
  func missingFile() throws {
    let path = "/nonexistent-\(UUID().uuidString)/bill.csv"
    let error = #expect(throws: InputError.self) { try FileByteSource(path: path) }
    #expect(error?.location == SourceLocation(file: path))
    #expect(error?.message == "cannot open the file: No such file or directory")
    #expect(error?.description == "\(path): cannot open the file: No such file or directory")
    let viaOpen = #expect(throws: InputError.self) { try openByteSource(path: path) }
    #expect(viaOpen?.location.file == path)
  }

  @Test("a directory fails, naming it")
  func directory() throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let error = #expect(throws: InputError.self) { try FileByteSource(path: directory.path) }
    #expect(error?.location == SourceLocation(file: directory.path))
    #expect(error?.message == "cannot read the file: Is a directory")
  }

  @Test(
    "openByteSource decompresses by magic number, not by name",
    arguments: [("bill.csv", true), ("bill.csv.gz", false), ("bill", true)])
  func detectsGzipByMagic(name: String, compress: Bool) throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = Array("a,b\n1,2\n".utf8)
    let path = directory.appendingPathComponent(name).path
    let stored = compress ? try ReaderTestSupport.systemGzip(text, in: directory) : text
    if compress { #expect(stored.starts(with: [0x1F, 0x8B])) }
    try Data(stored).write(to: URL(fileURLWithPath: path))
    #expect(try ReaderTestSupport.drain(try openByteSource(path: path), bufferSize: 3) == text)
  }

  @Test(
    "openByteSource passes short and empty files through", arguments: [[], [0x1F], [0x8B, 0x1F]])
  func shortFiles(bytes: [UInt8]) throws {
    let directory = try ReaderTestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("short").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(try ReaderTestSupport.drain(try openByteSource(path: path)) == bytes)
  }
}
