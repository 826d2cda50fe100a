/// A hash table from byte strings to integer ids that allocates nothing on a hit.
///
/// The import path looks up every account, service, region, SKU, resource and tag set of every
/// line; building a `String` per lookup would cost an allocation each. Keys are copied into one
/// arena only when they are inserted. Open addressing with linear probing; each slot holds the
/// upper half of its key's hash beside the entry number, so a probe that meets another key
/// rarely has to look at that key's bytes.
struct ByteKeyedTable {
  /// 0 for an empty slot, else the upper 32 bits of the key's hash and, below, entry + 1.
  private var slots: [UInt64]
  private var keyEnds: [Int] = []
  private var arena: [UInt8] = []
  private var values: [Int64] = []

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: 0, count: size)
  }

  /// The number of keys stored.
  var count: Int { values.count }

  /// The id stored for `key`, if any.
  func value(for key: UnsafeRawBufferPointer) -> Int64? {
    entry(for: key).map { values[$0] }
  }

  /// Where `key` is stored, for ``value(at:)`` and ``key(at:equals:)``; nil if it is not.
  func entry(for key: UnsafeRawBufferPointer) -> Int? {
    let hash = ByteKeyedTable.hash(key)
    let tag = hash & 0xFFFF_FFFF_0000_0000
    return slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      while true {
        let content = slots[slot]
        if content == 0 { return nil }
        if content & 0xFFFF_FFFF_0000_0000 == tag {
          let entry = Int(truncatingIfNeeded: content & 0xFFFF_FFFF) - 1
          if keyEquals(entry, key) { return entry }
        }
        slot = (slot + 1) & mask
      }
    }
  }

  /// The id stored at `entry`.
  func value(at entry: Int) -> Int64 { values[entry] }

  /// Whether the key stored at `entry` is `key`: cheaper than a lookup, for a caller that
  /// remembers the entry of its last key.
  func key(at entry: Int, equals key: UnsafeRawBufferPointer) -> Bool { keyEquals(entry, key) }

  /// Stores `value` for `key`, which must not be present yet; returns its entry.
  @discardableResult
  mutating func insert(_ value: Int64, for key: UnsafeRawBufferPointer) -> Int {
    if (values.count + 1) * 2 > slots.count { grow() }
    arena.append(contentsOf: key)
    keyEnds.append(arena.count)
    values.append(value)
    place(entry: values.count - 1, hash: ByteKeyedTable.hash(key))
    return values.count - 1
  }

  private func keyEquals(_ entry: Int, _ key: UnsafeRawBufferPointer) -> Bool {
    let start = entry == 0 ? 0 : keyEnds[entry - 1]
    let end = keyEnds[entry]
    guard end - start == key.count else { return false }
    return arena.withUnsafeBytes { stored in
      sameBytes(UnsafeRawBufferPointer(rebasing: stored[start..<end]), key)
    }
  }

  private mutating func place(entry: Int, hash: UInt64) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(entry + 1)
  }

  private mutating func grow() {
    slots = Array(repeating: 0, count: slots.count * 2)
    arena.withUnsafeBytes { arena in
      var start = 0
      for entry in 0..<values.count {
        let end = keyEnds[entry]
        place(
          entry: entry,
          hash: ByteKeyedTable.hash(UnsafeRawBufferPointer(rebasing: arena[start..<end])))
        start = end
      }
    }
  }

  /// A 64-bit hash of `bytes`: two independent lanes of a multiply-xorshift over 8-byte words
  /// (so that long keys, such as the 150-byte class keys of `Store.lineHistory` or a line's tag
  /// values, hash at about two words per multiply latency), the last partial word read as one
  /// overlapping load, the length mixed in, and a final avalanche.
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let prime: UInt64 = 0x0000_0100_0000_01b3
    let count = bytes.count
    var first: UInt64 = 0xcbf2_9ce4_8422_2325
    var second: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(count)
    var offset = 0
    while offset + 16 <= count {
      first = (first ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* prime
      second = (second ^ bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* prime
      first ^= first >> 29
      second ^= second >> 29
      offset += 16
    }
    if offset + 8 <= count {
      first = (first ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* prime
      first ^= first >> 29
      offset += 8
    }
    if offset < count {
      // The last 1...7 bytes: one load that ends at the last byte (overlapping bytes already
      // hashed when the key is long enough), else the bytes one by one.
      var word: UInt64 = 0
      if count >= 8 {
        word = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      } else {
        for index in offset..<count { word = word << 8 | UInt64(bytes[index]) }
      }
      second = (second ^ word) &* prime
      second ^= second >> 29
    }
    var hash = first ^ (second &* 0xff51_afd7_ed55_8ccd)
    hash ^= hash >> 33
    hash = hash &* 0xff51_afd7_ed55_8ccd
    hash ^= hash >> 33
    return hash
  }
}
