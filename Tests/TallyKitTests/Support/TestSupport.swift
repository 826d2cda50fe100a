import Foundation
import Testing

/// Paths of the repository, its fixtures and the shared samples beside it.
enum TestPaths {
  /// The repository root, found from this file's path.
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// A file under Tests/TallyKitTests/Fixtures.
  static func fixture(_ relative: String) -> String {
    repository.appendingPathComponent("Tests/TallyKitTests/Fixtures/\(relative)").path
  }

  /// The workplace's shared samples: `shared/samples` beside the repository, or beside one of
  /// its parent folders (a git worktree sits one level deeper than the main checkout).
  static let samples: URL? = {
    var folder = repository.deletingLastPathComponent()
    while folder.path != "/" {
      let candidate = folder.appendingPathComponent("shared/samples")
      if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
      folder.deleteLastPathComponent()
    }
    return nil
  }()

  /// A file under the shared samples. A missing samples folder fails the test that needs it
  /// rather than skipping it.
  static func sample(_ relative: String) throws -> String {
    let folder = try #require(
      samples, "shared/samples must sit beside the repository or one of its parent folders")
    let path = folder.appendingPathComponent(relative).path
    try #require(FileManager.default.fileExists(atPath: path), "no sample at \(path)")
    return path
  }
}

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
  /// The directory's path.
  let path: String

  init() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("tally-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    path = url.path
  }

  /// A path inside the directory.
  func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// An independent route to a file's contents for checking what tally imported: a plain
/// quotes-aware CSV splitter, `gzip -dc` for compressed files, and Foundation's `Decimal` for
/// amounts. None of tally's own readers or parsers are used.
enum IndependentCSV {
  /// The rows of a CSV file as dictionaries keyed by header name (a BOM is dropped).
  static func rows(_ path: String) throws -> [[String: String]] {
    var text = try String(decoding: contents(path), as: UTF8.self)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    let records = split(text)
    guard let header = records.first else { return [] }
    return records.dropFirst().filter { $0 != [""] }.map { record in
      var row: [String: String] = [:]
      for (index, name) in header.enumerated() where index < record.count {
        row[name] = record[index]
      }
      return row
    }
  }

  /// The header row of a CSV file (a BOM is dropped).
  static func header(_ path: String) throws -> [String]? {
    var text = try String(decoding: contents(path), as: UTF8.self)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    return split(text).first
  }

  private static func contents(_ path: String) throws -> Data {
    guard path.hasSuffix(".gz") else { return try Data(contentsOf: URL(fileURLWithPath: path)) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
  }

  private static func split(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
      if quoted {
        if c == "\"" {
          if chars.first == "\"" {
            field.unicodeScalars.append("\"")
            chars.removeFirst()
          } else {
            quoted = false
          }
        } else {
          field.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        record.append(field)
        field = ""
      } else if c == "\n" || c == "\r" {
        if c == "\r" && chars.first == "\n" { chars.removeFirst() }
        record.append(field)
        records.append(record)
        record = []
        field = ""
      } else {
        field.unicodeScalars.append(c)
      }
    }
    if !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    return records
  }

  /// A decimal amount in nanos, rounded half-even, through Foundation's `Decimal`; empty and
  /// `NULL` are zero.
  static func nanos(_ text: String?) -> Int64 {
    guard let text, !text.isEmpty, text != "NULL" else { return 0 }
    guard var value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
      Issue.record("not a decimal: \(text)")
      return 0
    }
    value *= Decimal(1_000_000_000)
    var rounded = Decimal()
    NSDecimalRound(&rounded, &value, 0, .bankers)
    return NSDecimalNumber(decimal: rounded).int64Value
  }
}
