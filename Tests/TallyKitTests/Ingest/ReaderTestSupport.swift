import Foundation
import TallyKit

/// Helpers shared by the reader tests (`ByteSource`, `GzipByteSource`, `CSVReader`).
enum ReaderTestSupport {
  /// A source that returns bytes held in memory, at most `step` at a time.
  final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private let step: Int
    private var offset = 0

    init(_ bytes: [UInt8], step: Int = .max) {
      self.bytes = bytes
      self.step = step
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
      let count = min(buffer.count, step, bytes.count - offset)
      for index in 0..<count { buffer[index] = bytes[offset + index] }
      offset += count
      return count
    }
  }

  /// A record as the tests compare it: its line and its fields as strings.
  struct Record: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]

    init(_ line: Int, _ fields: [String]) {
      self.line = line
      self.fields = fields
    }

    var description: String { "\(line): \(fields)" }
  }

  /// Reads `bytes` with a reader of the given chunk size: the header, then every record.
  static func readAll(
    _ bytes: [UInt8], chunkSize: Int = 1 << 20, keeping columns: [Bool]? = nil,
    parsingAhead: Bool = false
  ) throws -> (header: [String], records: [Record]) {
    let reader = CSVReader(source: MemorySource(bytes), path: "test.csv", chunkSize: chunkSize)
    let header = try reader.readHeader()
    var records: [Record] = []
    try reader.forEachRecord(keeping: columns, parsingAhead: parsingAhead) { record in
      records.append(Record(record.line, (0..<record.count).map { record.string(at: $0) }))
    }
    return (header, records)
  }

  /// Reads every byte of `source`, `bufferSize` bytes at a time.
  static func drain(_ source: any ByteSource, bufferSize: Int = 1 << 16) throws(InputError)
    -> [UInt8]
  {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
    defer { buffer.deallocate() }
    var bytes: [UInt8] = []
    while true {
      let count = try source.read(into: buffer)
      if count == 0 { return bytes }
      bytes += buffer[..<count]
    }
  }

  /// A new, empty directory for one test; the caller removes it.
  static func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("tally-readers-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Compresses `bytes` with the system `gzip` (`gzip -c -n`) and returns the compressed bytes.
  static func systemGzip(_ bytes: [UInt8], in directory: URL) throws -> [UInt8] {
    let input = directory.appendingPathComponent("gzip-input-\(UUID().uuidString)")
    let output = directory.appendingPathComponent("gzip-output-\(UUID().uuidString)")
    try Data(bytes).write(to: input)
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    let handle = try FileHandle(forWritingTo: output)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-c", "-n", input.path]
    process.standardOutput = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    guard process.terminationStatus == 0 else {
      throw GzipFailed(status: process.terminationStatus)
    }
    return [UInt8](try Data(contentsOf: output))
  }

  /// `gzip` exited with an error.
  struct GzipFailed: Error {
    var status: Int32
  }
}
