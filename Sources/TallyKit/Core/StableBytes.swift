/// Byte strings kept at fixed addresses for the life of an import, so that a ``CostLine`` can
/// borrow values that a mapper derived once (a field of a parsed JSON column, a constant) the
/// same way it borrows fields of the record being read.
///
/// Storage grows in blocks and is never moved or freed before the arena itself.
final class StableBytes {
  private var blocks: [UnsafeMutableRawBufferPointer] = []
  private var used = 0
  private let blockSize: Int

  init(blockSize: Int = 1 << 16) {
    self.blockSize = blockSize
  }

  deinit {
    for block in blocks { block.deallocate() }
  }

  /// A copy of `bytes` that stays valid until the arena is released.
  func store(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    guard !bytes.isEmpty else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    if blocks.isEmpty || used + bytes.count > blocks[blocks.count - 1].count {
      blocks.append(.allocate(byteCount: max(blockSize, bytes.count), alignment: 1))
      used = 0
    }
    let block = blocks[blocks.count - 1]
    let target = UnsafeMutableRawBufferPointer(rebasing: block[used..<(used + bytes.count)])
    target.copyMemory(from: bytes)
    used += bytes.count
    return UnsafeRawBufferPointer(target)
  }

  /// A copy of `text`'s UTF-8 bytes that stays valid until the arena is released.
  func store(_ text: String) -> UnsafeRawBufferPointer {
    var text = text
    return text.withUTF8 { store(UnsafeRawBufferPointer($0)) }
  }
}
