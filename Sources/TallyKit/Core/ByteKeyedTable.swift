#if canImport(Glibc)
  internal import Glibc
#else
  internal import Darwin
#endif

/// A hash table from byte strings to integer ids that allocates nothing on a hit.
///
/// The import path looks up every account, service, region, SKU, resource and tag set of every
/// line; building a `String` per lookup would cost an allocation each. Keys are copied into one
/// arena only when they are inserted. Open addressing with linear probing over FNV-1a hashes.
struct ByteKeyedTable {
  private var slots: [Int32]
  private var hashes: [UInt64] = []
  private var keyEnds: [Int] = []
  private var arena: [UInt8] = []
  private var values: [Int64] = []

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: -1, count: size)
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
    var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
    while true {
      let entry = Int(slots[slot])
      if entry < 0 { return nil }
      if hashes[entry] == hash && keyEquals(entry, key) { return entry }
      slot = (slot + 1) & (slots.count - 1)
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
    let hash = ByteKeyedTable.hash(key)
    arena.append(contentsOf: key)
    keyEnds.append(arena.count)
    hashes.append(hash)
    values.append(value)
    place(entry: values.count - 1, hash: hash)
    return values.count - 1
  }

  private func keyEquals(_ entry: Int, _ key: UnsafeRawBufferPointer) -> Bool {
    let start = entry == 0 ? 0 : keyEnds[entry - 1]
    let end = keyEnds[entry]
    guard end - start == key.count else { return false }
    return arena.withUnsafeBytes { stored in
      guard let base = stored.baseAddress, let other = key.baseAddress else { return key.isEmpty }
      return memcmp(base + start, other, key.count) == 0
    }
  }

  private mutating func place(entry: Int, hash: UInt64) {
    var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
    while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
    slots[slot] = Int32(entry)
  }

  private mutating func grow() {
    slots = Array(repeating: -1, count: slots.count * 2)
    for entry in 0..<values.count { place(entry: entry, hash: hashes[entry]) }
  }

  /// FNV-1a over 8-byte words (then the remaining bytes), with a final avalanche: a byte at a
  /// time, hashing the 150-byte class keys of `Store.lineHistory` took 9 % of
  /// `tally recommend` on 1M lines.
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    let prime: UInt64 = 0x0000_0100_0000_01b3
    var offset = 0
    while offset + 8 <= bytes.count {
      let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      hash = (hash ^ word) &* prime
      hash ^= hash >> 29
      offset += 8
    }
    while offset < bytes.count {
      hash = (hash ^ UInt64(bytes[offset])) &* prime
      offset += 1
    }
    hash ^= hash >> 33
    hash = hash &* 0xff51_afd7_ed55_8ccd
    hash ^= hash >> 33
    return hash
  }
}
