import Crypto
import Foundation
import Testing

@testable import TallyKit

/// ``HashingFileSource`` hands out a file's bytes and their SHA-256 from one read. The expected
/// hash is computed here by swift-crypto over the file as `Data`, a separate read and call.
@Suite struct HashingFileSourceTests {
  static func expectedHash(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
  }

  /// Sizes around the ring's 1 MiB buffers and past its eight of them, read with small and
  /// large buffers: the bytes come back in order and the hash is the file's.
  @Test(arguments: [
    (0, 4096), (1, 4096), (1 << 20, 1000), ((1 << 20) + 1, 1 << 20), ((9 << 20) + 7, 65_536),
  ])
  func bytesAndHashAreTheFiles(size: Int, bufferSize: Int) throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("bytes.bin")
    let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let source = try HashingFileSource(path: path)
    #expect(try ReaderTestSupport.drain(source, bufferSize: bufferSize) == bytes)
    #expect(try source.sha256() == Self.expectedHash(bytes))
    #expect(try source.sha256() == sha256Hex(of: path))
  }

  /// Lent views, copied at once, give the file's bytes in order, in pieces of at most the size
  /// asked for, and an empty view at the end; the hash is the file's.
  @Test(arguments: [1, 4096, 1 << 20, 3 << 20])
  func lentBytesAreTheFiles(pieceSize: Int) throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("bytes.bin")
    let bytes = (0..<((3 << 20) + 5)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ $0 >> 9) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let source = try HashingFileSource(path: path)
    var lent: [UInt8] = []
    while true {
      let view = try #require(try source.lend(upTo: pieceSize))
      if view.isEmpty { break }
      #expect(view.count <= pieceSize)
      lent += view
    }
    #expect(lent == bytes)
    #expect(try source.sha256() == Self.expectedHash(bytes))
  }

  /// Asked for the hash after reading only part of the file, it reads the rest first.
  @Test func hashAfterAPartialRead() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("bytes.bin")
    let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let source = try HashingFileSource(path: path)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 10, alignment: 1)
    defer { buffer.deallocate() }
    #expect(try source.read(into: buffer) == 10)
    #expect(try source.sha256() == Self.expectedHash(bytes))
  }

  /// Released after a partial read of a file larger than the ring, it stops its thread rather
  /// than waiting for the ring to be emptied (the test would hang), many times over.
  @Test func releasedEarlyStopsItsThread() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("bytes.bin")
    try Data(count: 12 << 20).write(to: URL(fileURLWithPath: path))
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 10, alignment: 1)
    defer { buffer.deallocate() }
    for _ in 0..<20 {
      let source = try HashingFileSource(path: path)
      #expect(try source.read(into: buffer) == 10)
    }
  }
}
