#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a measured child process ended, and what it cost.
struct ChildResult {
  /// The exit code, or nil if a signal ended the process.
  var exitCode: Int32?
  /// The signal that ended the process, if any.
  var signal: Int32?
  /// Wall time from spawn to reaping, by the monotonic clock.
  var wallSeconds: Double
  /// The child's peak resident set size in bytes (`ru_maxrss` of `wait4`).
  var peakResidentBytes: Int
  /// CPU time the child spent, user plus system, in all its threads (`wait4`). On a busy
  /// machine wall time overstates the work; this does not.
  var cpuSeconds: Double = 0

  var succeeded: Bool { exitCode == 0 }

  var statusDescription: String {
    if let exitCode { return "exit status \(exitCode)" }
    return "signal \(signal ?? 0)"
  }
}

/// An error starting or waiting for a child process.
struct ChildProcessError: Error, CustomStringConvertible {
  var description: String
}

/// Runs a program with `posix_spawn` and measures it with `clock_gettime(CLOCK_MONOTONIC)`
/// and `wait4`'s resource usage.
enum ChildProcess {
  /// Runs `arguments` (the program is looked up in `PATH` if it has no slash), with standard
  /// input from /dev/null and standard output and error into the given files.
  static func run(_ arguments: [String], standardOutput: String, standardError: String) throws
    -> ChildResult
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(
      &actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }

    var pid: pid_t = 0
    let start = monotonicSeconds()
    let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
    guard spawned == 0 else {
      throw ChildProcessError(
        description: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
      guard errno == EINTR else {
        throw ChildProcessError(
          description: "wait4 failed for \(arguments[0]): \(String(cString: strerror(errno)))")
      }
    }
    let wall = monotonicSeconds() - start
    // WIFEXITED / WEXITSTATUS / WTERMSIG are macros, which Swift does not import.
    let terminatingSignal = status & 0x7F
    #if canImport(Darwin)
      let peak = Int(usage.ru_maxrss)  // bytes on Darwin
    #else
      let peak = Int(usage.ru_maxrss) * 1_024  // KiB on Linux
    #endif
    return ChildResult(
      exitCode: terminatingSignal == 0 ? (status >> 8) & 0xFF : nil,
      signal: terminatingSignal == 0 ? nil : terminatingSignal, wallSeconds: wall,
      peakResidentBytes: peak,
      cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime))
  }

  private static func seconds(_ time: timeval) -> Double {
    Double(time.tv_sec) + Double(time.tv_usec) / 1e6
  }

  /// Seconds on the monotonic clock.
  static func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }
}

/// The 1-minute load average now: above the core count, wall times include waiting for a CPU.
func oneMinuteLoadAverage() -> Double {
  var loads = [Double](repeating: 0, count: 3)
  return getloadavg(&loads, 3) > 0 ? loads[0] : 0
}
