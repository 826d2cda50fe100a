import Foundation
import Testing

/// Runs the `tally` executable built beside the test bundle and captures what it prints.
struct TallyBinary {
  /// What one run did.
  struct Run {
    var status: Int32
    var standardOutput: String
    var standardError: String
  }

  /// The products folder: the resource bundle of this test target sits in it, as does `tally`.
  static var productsDirectory: URL {
    Bundle.module.bundleURL.deletingLastPathComponent()
  }

  /// A fixture of this target, by path relative to Fixtures/.
  static func fixture(_ relative: String) -> String {
    Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(relative)").path
  }

  /// Runs `tally` with `arguments` and waits for it to exit.
  static func run(_ arguments: [String]) throws -> Run {
    let executable = productsDirectory.appendingPathComponent("tally")
    try #require(
      FileManager.default.isExecutableFile(atPath: executable.path),
      "no tally executable at \(executable.path)")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus,
      standardOutput: String(decoding: outputData, as: UTF8.self),
      standardError: String(decoding: errorData, as: UTF8.self))
  }
}

/// A temporary directory removed when the value is released.
final class ScratchDirectory {
  let path: String

  init() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("tally-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    path = url.path
  }

  func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
