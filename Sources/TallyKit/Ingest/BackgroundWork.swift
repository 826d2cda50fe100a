import Foundation

/// Work that runs on a thread of its own while the caller does something else, such as hashing
/// a delivery while it is parsed and inserted; ``wait()`` joins it.
///
/// The work may poll ``isCancelled`` to stop early; ``cancel()`` asks it to and waits for it, so
/// that nothing is left running once the caller has moved on (for example after a failed import).
final class BackgroundWork<Value>: @unchecked Sendable {
  private let finished = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var cancelled = false
  /// Written by the work's thread before it signals `finished`; read only after waiting for it.
  private var outcome: Result<Value, any Error>?
  /// Whether the caller has waited for `finished` (only the caller's thread touches it).
  private var joined = false

  /// Starts `work` on a new thread; it receives this object, to poll ``isCancelled``.
  init(_ work: @escaping @Sendable (BackgroundWork<Value>) throws -> Value) {
    let thread = Thread { [self] in
      do {
        outcome = .success(try work(self))
      } catch {
        outcome = .failure(error)
      }
      finished.signal()
    }
    thread.start()
  }

  /// Whether ``cancel()`` was called.
  var isCancelled: Bool { lock.withLock { cancelled } }

  /// Waits for the work to end; returns its value or throws its error.
  func wait() throws -> Value {
    join()
    guard let outcome else { preconditionFailure("background work ended without an outcome") }
    return try outcome.get()
  }

  /// Asks the work to stop and waits until it has; its outcome is dropped. `wake` runs after
  /// the request and before the wait, to release the work if it may be blocked waiting for the
  /// caller.
  func cancel(waking wake: () -> Void = {}) {
    lock.withLock { cancelled = true }
    wake()
    join()
  }

  private func join() {
    if joined { return }
    finished.wait()
    joined = true
  }
}
