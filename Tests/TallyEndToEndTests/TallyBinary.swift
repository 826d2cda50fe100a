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

/// A `tally` started in the background, for the fault and concurrency tests: it can be stopped
/// at a named point (`TALLY_PAUSE_AT`, see `PausePoint`), killed there or let go on.
final class BackgroundTally {
  let process = Process()
  private let stdout = Pipe()
  private let stderr = Pipe()
  /// What it wrote on stderr so far (read by `waitForPause`).
  private(set) var stderrSoFar = ""

  /// Starts `tally arguments` in `directory`, stopping at `pausePoint` if given.
  init(_ arguments: [String], in directory: String, pausingAt pausePoint: String? = nil) throws {
    process.executableURL = URL(fileURLWithPath: TallyBinary.path)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["TALLY_PAUSE_AT"] = pausePoint
    process.environment = environment
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
  }

  var pid: Int32 { process.processIdentifier }

  /// Reads stderr until tally says it paused and has stopped (true), or until it ends without
  /// pausing (false).
  func waitForPause() -> Bool {
    let marker = "tally: paused at "
    let paused = stderrSoFar.components(separatedBy: marker).count - 1
    while stderrSoFar.components(separatedBy: marker).count - 1 == paused {
      let data = stderr.fileHandleForReading.availableData
      if data.isEmpty { return false }
      stderrSoFar += String(decoding: data, as: UTF8.self)
    }
    // It writes the line, then stops itself: a SIGCONT sent in between would be lost.
    while process.isRunning && !isStopped { usleep(5_000) }
    return process.isRunning
  }

  /// Whether the process is stopped (state T in /proc/PID/stat).
  private var isStopped: Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.lastIndex(of: ")")
    else { return false }
    return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
  }

  /// `kill -9`, and waits for it to be gone.
  func kill9() {
    kill(pid, SIGKILL)
    process.waitUntilExit()
  }

  /// Lets a paused run go on.
  func resume() { kill(pid, SIGCONT) }

  /// Waits for it to end.
  func finish() -> TallyBinary.Result {
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let rest = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return TallyBinary.Result(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: stderrSoFar + String(decoding: rest, as: UTF8.self))
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
