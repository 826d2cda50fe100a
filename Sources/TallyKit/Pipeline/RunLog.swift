import Foundation

/// The nightly job's log on standard error: quiet unless something is wrong (so cron mails
/// only on trouble), `--verbose` for progress, and one JSON object per line with
/// `--log-format json` for log collectors.
public final class RunLog: @unchecked Sendable {
  /// How serious a message is.
  public enum Level: Int, Sendable, Comparable {
    /// Progress detail, shown with --verbose.
    case info
    /// Something an operator should know; the run goes on.
    case warning
    /// Something failed.
    case error

    var name: String {
      switch self {
      case .info: "info"
      case .warning: "warning"
      case .error: "error"
      }
    }

    /// Orders by severity.
    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// How lines are written.
  public enum Format: String, Sendable, CaseIterable {
    /// `tally: warning: message`.
    case text
    /// `{"level":"warning","message":"…","time":"…"}`.
    case json
  }

  private let format: Format
  private let minimum: Level
  private let write: @Sendable (String) -> Void
  private let lock = NSLock()
  private(set) var counts: [Level: Int] = [:]

  /// A log at `minimum` level and above; `write` receives whole lines (stderr by default).
  public init(
    format: Format = .text, verbose: Bool = false,
    write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
  ) {
    self.format = format
    minimum = verbose ? .info : .warning
    self.write = write
  }

  /// Logs a message with optional fields (`file`, `month`, …).
  public func log(_ level: Level, _ message: String, _ fields: [String: String] = [:]) {
    lock.lock()
    counts[level, default: 0] += 1
    lock.unlock()
    guard level >= minimum else { return }
    switch format {
    case .text:
      let detail = fields.keys.sorted().map { "\($0)=\(fields[$0] ?? "")" }.joined(separator: " ")
      write(
        "tally: \(level == .info ? "" : level.name + ": ")\(message)\(detail.isEmpty ? "" : " [\(detail)]")\n"
      )
    case .json:
      var object = fields
      object["level"] = level.name
      object["message"] = message
      object["time"] = Timestamp.now.description
      let data =
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
      write(String(decoding: data, as: UTF8.self) + "\n")
    }
  }

  /// Logs progress.
  public func info(_ message: String, _ fields: [String: String] = [:]) {
    log(.info, message, fields)
  }
  /// Logs a warning.
  public func warning(_ message: String, _ fields: [String: String] = [:]) {
    log(.warning, message, fields)
  }
  /// Logs an error.
  public func error(_ message: String, _ fields: [String: String] = [:]) {
    log(.error, message, fields)
  }
}
