import Foundation

/// A hook for the fault tests, which need to kill `tally` at exact points: when the environment
/// variable `TALLY_PAUSE_AT` names a point, the process says so on standard error when it gets
/// there and stops itself (SIGSTOP), so that the test can kill it there (`kill -9`) or let it
/// go on (SIGCONT). Unset, as in production, it does nothing.
///
/// The points: `import` (a delivery's lines are written, its transaction not yet committed)
/// and `report` (a month's report is written to its staging folder, not yet swapped in).
public enum PausePoint {
  /// The environment variable naming the point to stop at.
  public static let variable = "TALLY_PAUSE_AT"

  /// Stops the process here if `TALLY_PAUSE_AT` is `name`.
  static func reach(_ name: String) {
    guard ProcessInfo.processInfo.environment[variable] == name else { return }
    FileHandle.standardError.write(Data("tally: paused at \(name) (\(variable))\n".utf8))
    raise(SIGSTOP)
  }
}
