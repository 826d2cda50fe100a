#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A stream of bytes read in chunks: a file, or a decompressor reading from another source.
///
/// Sources are read from one thread at a time and are not `Sendable`.
public protocol ByteSource: AnyObject {
  /// Fills up to `buffer.count` bytes and returns how many; 0 means the end.
  ///
  /// A source may return fewer bytes than asked for before its end; only 0 means there is
  /// nothing more. `buffer` must not be empty.
  ///
  /// - Throws: ``InputError`` naming the file when it cannot be read or decoded.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int

  /// Lends the next bytes, at most `count` of them, without copying them: the view stays valid
  /// until the next call of this method or of ``read(into:)``, and is empty at the end. nil
  /// when the source cannot lend bytes; its caller then reads them with ``read(into:)``.
  func lend(upTo count: Int) throws(InputError) -> UnsafeRawBufferPointer?
}

extension ByteSource {
  /// Sources lend nothing unless they say otherwise.
  public func lend(upTo count: Int) throws(InputError) -> UnsafeRawBufferPointer? { nil }
}

/// A file read with `open(2)` and `read(2)`, without Foundation and without buffering of its own.
///
/// The file descriptor is closed when the source is released.
public final class FileByteSource: ByteSource {
  /// The open file descriptor.
  private let descriptor: Int32
  /// The path, as the user named it, for error messages.
  private let path: String

  /// Opens the file at `path` for reading.
  ///
  /// - Throws: ``InputError`` naming the file when it cannot be opened (it does not exist, it may
  ///   not be read, …) or when it is a directory.
  public init(path: String) throws(InputError) {
    var descriptor: Int32
    repeat {
      descriptor = open(path, O_RDONLY | O_CLOEXEC)
    } while descriptor < 0 && errno == EINTR
    guard descriptor >= 0 else {
      throw InputError(
        "cannot open the file: \(systemMessage(errno))", at: SourceLocation(file: path))
    }
    var status = stat()
    if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
      close(descriptor)
      throw InputError(
        "cannot read the file: \(systemMessage(EISDIR))", at: SourceLocation(file: path))
    }
    self.descriptor = descriptor
    self.path = path
  }

  deinit {
    close(descriptor)
  }

  /// Reads up to `buffer.count` bytes with `read(2)`, retrying after `EINTR`.
  ///
  /// - Throws: ``InputError`` naming the file when `read(2)` fails.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    while true {
      let count = readDescriptor(descriptor, base, buffer.count)
      if count >= 0 { return count }
      if errno != EINTR {
        throw InputError(
          "cannot read the file: \(systemMessage(errno))", at: SourceLocation(file: path))
      }
    }
  }
}

/// Opens a file and, when its first two bytes are the gzip magic number `1f 8b`, wraps it in a
/// ``GzipByteSource``. The name of the file plays no part: `bill.csv` may be compressed and
/// `bill.csv.gz` may not be.
///
/// The two bytes looked at are handed on, so this works for pipes (`/dev/stdin`) too.
///
/// - Parameter path: The file to read.
/// - Returns: A source of the file's bytes, decompressed when they are gzip.
/// - Throws: ``InputError`` naming the file when it cannot be opened or read.
public func openByteSource(path: String) throws(InputError) -> any ByteSource {
  try decompressingIfGzip(try FileByteSource(path: path), path: path)
}

/// `file`, wrapped in a ``GzipByteSource`` when its first two bytes are the gzip magic number
/// (see ``openByteSource(path:)``); `path` names it in errors.
func decompressingIfGzip(_ file: any ByteSource, path: String) throws(InputError)
  -> any ByteSource
{
  let magic = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
  defer { magic.deallocate() }
  var count = 0
  while count < 2 {
    let read = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: magic[count...]))
    if read == 0 { break }
    count += read
  }
  let prefixed = PrefixedByteSource(prefix: magic[..<count], rest: file)
  if count == 2 && magic[0] == 0x1F && magic[1] == 0x8B {
    return GzipByteSource(prefixed, path: path)
  }
  return prefixed
}

/// A source that first returns a few bytes already read from another source, then the rest.
private final class PrefixedByteSource: ByteSource {
  /// The bytes read ahead.
  private let prefix: UnsafeMutableRawBufferPointer
  /// How many bytes of `prefix` have been returned.
  private var offset = 0
  /// The source the prefix was read from.
  private let rest: any ByteSource

  init(prefix: some Collection<UInt8>, rest: any ByteSource) {
    self.prefix = .allocate(byteCount: prefix.count, alignment: 1)
    _ = self.prefix.initializeMemory(as: UInt8.self, from: prefix)
    self.rest = rest
  }

  deinit { prefix.deallocate() }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    guard offset < prefix.count else { return try rest.read(into: buffer) }
    let count = min(buffer.count, prefix.count - offset)
    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: prefix[offset..<offset + count]))
    offset += count
    return count
  }

  /// Lends the prefix, then whatever the rest lends.
  func lend(upTo count: Int) throws(InputError) -> UnsafeRawBufferPointer? {
    guard offset < prefix.count else { return try rest.lend(upTo: count) }
    let lent = min(count, prefix.count - offset)
    defer { offset += lent }
    return UnsafeRawBufferPointer(rebasing: prefix[offset..<offset + lent])
  }
}

/// `read(2)`, at file scope so that the name does not resolve to a method.
private func readDescriptor(_ descriptor: Int32, _ base: UnsafeMutableRawPointer, _ count: Int)
  -> Int
{
  read(descriptor, base, count)
}

/// The C library's description of an `errno` value, such as "No such file or directory".
private func systemMessage(_ code: Int32) -> String {
  guard let text = strerror(code) else { return "error \(code)" }
  return String(cString: text)
}
