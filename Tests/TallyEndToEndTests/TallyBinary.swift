import Foundation
import Testing

/// Runs the built `tally` executable, as a user or cron would.
struct TallyBinary {
  /// What a run printed and how it ended.
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The repository root, found from this file's path.
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The executable beside the test bundle (the test target depends on it, so it is built).
  static let path: String = {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for folder in [besideTests, besideTests.deletingLastPathComponent()] {
      let candidate = folder.appendingPathComponent("tally").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return repository.appendingPathComponent(".build/debug/tally").path
  }()

  /// Runs `tally` with `arguments` in `directory` and waits for it.
  static func run(_ arguments: [String], in directory: String? = nil) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  /// A fixture of the unit tests.
  static func fixture(_ relative: String) -> String {
    repository.appendingPathComponent("Tests/TallyKitTests/Fixtures/\(relative)").path
  }

  /// A fixture of the end-to-end tests (Tests/TallyEndToEndTests/Fixtures).
  static func endToEndFixture(_ relative: String) -> String {
    repository.appendingPathComponent("Tests/TallyEndToEndTests/Fixtures/\(relative)").path
  }
}

/// A temporary directory removed when released.
final class ScratchDirectory {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("tally-e2e-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
