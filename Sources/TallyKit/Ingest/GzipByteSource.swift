internal import CZlib

/// Inflates a gzip stream read from another source, a buffer at a time, in constant memory.
///
/// Several gzip members written one after another (`cat a.gz b.gz`, as some exporters write
/// large files) are read as one stream. Anything else after the end of a member, including
/// zero padding, is corrupt data.
///
/// zlib is set up with `inflateInit2(15 + 16)`: gzip framing only, so a raw zlib or deflate stream
/// is rejected. Related zlib documentation: <https://zlib.net/manual.html#Advanced>.
public final class GzipByteSource: ByteSource {
  /// How many compressed bytes are read from `compressed` at a time.
  private static let inputSize = 1 << 18

  /// The compressed bytes.
  private let compressed: any ByteSource
  /// The path, as the user named it, for error messages.
  private let path: String
  /// zlib's stream state. It lives at a fixed address because zlib keeps a pointer back to it.
  private let stream: UnsafeMutablePointer<z_stream>
  /// The buffer compressed bytes are read into.
  private let input: UnsafeMutableRawBufferPointer
  /// What `inflateInit2` returned; anything but `Z_OK` fails the first read.
  private let initStatus: Int32
  /// Whether `compressed` has returned 0.
  private var inputEnded = false
  /// Whether the last member ended (`Z_STREAM_END`) and no next member has begun.
  private var memberEnded = false
  /// Whether the end of the whole stream has been returned.
  private var finished = false

  /// Creates a source that inflates the gzip data read from `compressed`.
  ///
  /// - Parameters:
  ///   - compressed: The gzip bytes, from their first byte (the magic number `1f 8b`).
  ///   - path: The file the bytes come from, named in errors.
  public init(_ compressed: any ByteSource, path: String) {
    self.compressed = compressed
    self.path = path
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    input = .allocate(byteCount: Self.inputSize, alignment: 16)
    initStatus = czlib_inflate_init2(stream, 15 + 16)
  }

  deinit {
    if initStatus == Z_OK { inflateEnd(stream) }
    stream.deinitialize(count: 1)
    stream.deallocate()
    input.deallocate()
  }

  /// Inflates up to `buffer.count` bytes; returns 0 once every member has been read.
  ///
  /// - Throws: ``InputError`` naming the file when the compressed source fails, when the data is
  ///   corrupt (a bad header, a bad checksum, garbage after a member), or when it ends before the
  ///   end of a gzip member ("gzip data is truncated or corrupt: …").
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    guard !finished, let output = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    guard initStatus == Z_OK else {
      throw InputError(
        "cannot start decompressing gzip data (zlib error \(initStatus))",
        at: SourceLocation(file: path))
    }
    let capacity = UInt32(clamping: buffer.count)
    stream.pointee.next_out = output.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_out = capacity
    while true {
      if stream.pointee.avail_in == 0 && !inputEnded {
        let count = try compressed.read(into: input)
        if count == 0 {
          inputEnded = true
        } else {
          stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
          stream.pointee.avail_in = UInt32(count)
        }
      }
      if memberEnded {
        // Input was refilled above unless it has ended: no bytes left means no next member.
        if stream.pointee.avail_in == 0 {
          finished = true
          return Int(capacity - stream.pointee.avail_out)
        }
        inflateReset(stream)
        memberEnded = false
      }
      switch inflate(stream, Z_NO_FLUSH) {
      case Z_OK:
        break
      case Z_STREAM_END:
        memberEnded = true
      case Z_BUF_ERROR:
        // No progress was possible: with output room left, that means no input left.
        if stream.pointee.avail_in == 0 && inputEnded {
          throw corruption("the data ends before the end of the gzip stream")
        }
        if stream.pointee.avail_in != 0 {
          throw corruption(zlibMessage() ?? "zlib made no progress")
        }
      default:
        throw corruption(zlibMessage() ?? "zlib error")
      }
      if stream.pointee.avail_out == 0 { return Int(capacity) }
    }
  }

  /// The error for data zlib rejects, or for data that stops early.
  private func corruption(_ detail: String) -> InputError {
    InputError("gzip data is truncated or corrupt: \(detail)", at: SourceLocation(file: path))
  }

  /// zlib's message for the last error, such as "incorrect data check".
  private func zlibMessage() -> String? {
    guard let message = stream.pointee.msg else { return nil }
    return String(cString: message)
  }
}
