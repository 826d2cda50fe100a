import Foundation

/// An exclusive lock that lets one `tally nightly` run at a time on a database: flock(2) on
/// `<database>.lock`, released by the kernel when the process ends however it ends, so a
/// killed run never leaves a stale lock behind. The file records who holds it.
public final class RunLock {
  private let descriptor: Int32
  /// The lock file's path.
  public let path: String

  /// Another run holds the lock.
  public struct Busy: Error, CustomStringConvertible {
    /// What the lock file says about the holder (`pid 1234 since 2026-11-23T03:00:00Z`).
    public var holder: String
    /// The lock file.
    public var path: String
    /// One line for the operator.
    public var description: String {
      "another tally run holds \(path) (\(holder)); this one did nothing"
    }
  }

  /// Takes the lock for `database`, or throws `Busy` at once when another process has it.
  public init(database: String) throws {
    path = database + ".lock"
    descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
      close(descriptor)
      throw Busy(holder: holder.flatMap { $0.isEmpty ? nil : $0 } ?? "holder unknown", path: path)
    }
    let note = "pid \(getpid()) since \(Timestamp.now)\n"
    _ = ftruncate(descriptor, 0)
    _ = note.withCString { write(descriptor, $0, strlen($0)) }
  }

  deinit {
    _ = ftruncate(descriptor, 0)
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}

extension Timestamp {
  /// The current time, to the second.
  public static var now: Timestamp {
    Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
  }
}
