import Crypto
internal import Dispatch

/// A file read ahead on a thread of its own, which computes the SHA-256 of the bytes as it
/// reads them: an import reads each byte of a delivery from the kernel once, for both parsing
/// and its identity, instead of once for each (the second read cost 0.2 s of CPU per 685 MB).
///
/// The thread fills a ring of eight 1 MiB buffers; ``read(into:)`` copies out of them in
/// order, and ``lend(upTo:)`` hands out views of them, which the CSV reader parses in place. A read error reaches ``read(into:)`` after the bytes before it. Releasing the source
/// stops the thread and waits for it.
final class HashingFileSource: ByteSource {
  private let ring: Ring
  private let reading: BackgroundWork<String>
  /// The buffer being copied out of, and where in it.
  private var slot = 0
  private var offset = 0
  private var remaining = 0
  /// Whether the buffer at `slot` has been handed out to its end (it goes back at the next call).
  private var emptied = false
  private var finished = false

  /// Opens the file at `path` and starts reading it.
  ///
  /// - Throws: ``InputError`` naming the file when it cannot be opened.
  init(path: String) throws(InputError) {
    let ring = Ring(file: try FileByteSource(path: path))
    self.ring = ring
    reading = BackgroundWork { work in try ring.fill(stoppingWhen: { work.isCancelled }) }
  }

  deinit {
    reading.cancel(waking: { ring.free.signal() })
  }

  /// Copies the next bytes of the file; 0 at its end.
  ///
  /// - Throws: ``InputError`` naming the file when reading it failed.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    guard let target = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    let next = try nextBytes(upTo: buffer.count)
    if let base = next.baseAddress { target.copyMemory(from: base, byteCount: next.count) }
    return next.count
  }

  /// Lends the next bytes of the file straight from the ring (see ``ByteSource/lend(upTo:)``).
  ///
  /// - Throws: ``InputError`` naming the file when reading it failed.
  func lend(upTo count: Int) throws(InputError) -> UnsafeRawBufferPointer? {
    try nextBytes(upTo: count)
  }

  /// The next bytes, at most `count`, as a view of the ring; empty at the end. The buffer they
  /// end is handed back to the reading thread at the next call, when the view is done with.
  private func nextBytes(upTo count: Int) throws(InputError) -> UnsafeRawBufferPointer {
    if emptied {
      emptied = false
      ring.free.signal()
      slot = (slot + 1) % Ring.bufferCount
    }
    guard !finished, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    if remaining == 0 {
      ring.filled.wait()
      if let failure = ring.failures[slot] {
        finished = true
        throw failure
      }
      remaining = ring.counts[slot]
      offset = 0
      if remaining == 0 {
        finished = true
        return UnsafeRawBufferPointer(start: nil, count: 0)
      }
    }
    let next = UnsafeRawBufferPointer(
      start: ring.buffers + slot * Ring.bufferSize + offset, count: min(count, remaining))
    offset += next.count
    remaining -= next.count
    emptied = remaining == 0
    return next
  }

  /// The SHA-256 of the whole file, lower-case hex: the bytes not read yet (after the end of a
  /// gzip stream, say) are read first.
  func sha256() throws -> String {
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { scratch.deallocate() }
    while try read(into: scratch) > 0 {}
    return try reading.wait()
  }

  /// The buffers shared by the reading thread and the caller, in turns that the semaphores
  /// order: the thread writes a buffer, its count and failure only after taking `free`, and the
  /// caller reads them only after taking `filled`.
  private final class Ring: @unchecked Sendable {
    static let bufferSize = 1 << 20
    static let bufferCount = 8
    let file: FileByteSource
    let buffers = UnsafeMutableRawPointer.allocate(
      byteCount: bufferSize * bufferCount, alignment: 64)
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: bufferCount)
    let failures = UnsafeMutablePointer<InputError?>.allocate(capacity: bufferCount)
    let free = DispatchSemaphore(value: 0)
    let filled = DispatchSemaphore(value: 0)

    init(file: FileByteSource) {
      self.file = file
      counts.initialize(repeating: 0, count: Ring.bufferCount)
      failures.initialize(repeating: nil, count: Ring.bufferCount)
      // Created at 0 and signalled: libdispatch traps when a semaphore is released with a
      // value below the one it was created with.
      for _ in 0..<Ring.bufferCount { free.signal() }
    }

    deinit {
      buffers.deallocate()
      counts.deallocate()
      failures.deinitialize(count: Ring.bufferCount)
      failures.deallocate()
    }

    /// Reads the file into the buffers in turn until its end (a buffer of 0 bytes) or an
    /// error, hashing what it reads; returns the hash.
    func fill(stoppingWhen stop: () -> Bool) throws -> String {
      var hasher = SHA256()
      var slot = 0
      while true {
        free.wait()
        if stop() { return "" }
        let buffer = UnsafeMutableRawBufferPointer(
          start: buffers + slot * Ring.bufferSize, count: Ring.bufferSize)
        var count = 0
        do {
          while count < buffer.count {
            let read = try file.read(
              into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
            if read == 0 { break }
            count += read
          }
        } catch {
          failures[slot] = error
          filled.signal()
          throw error
        }
        counts[slot] = count
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        filled.signal()
        if count == 0 { return hex(hasher.finalize()) }
        slot = (slot + 1) % Ring.bufferCount
      }
    }
  }
}
