import Testing

@testable import TallyKit

/// `ByteKeyedTable` against a `Dictionary` keyed by the same bytes: every key inserted is found
/// with its value, and keys never inserted are not, through the table's growth.
@Suite struct ByteKeyedTableTests {
  /// Keys of every length from 0 to 40 bytes (around the 8- and 16-byte steps of the hash) and
  /// some long ones; many differ from another key only in their last byte or their length.
  private static func keys(_ random: inout SeededRandom) -> [[UInt8]] {
    var keys: [[UInt8]] = [[]]
    for _ in 0..<3_000 {
      let length =
        Bool.random(using: &random)
        ? Int.random(in: 0...40, using: &random) : Int.random(in: 41...200, using: &random)
      let key = (0..<length).map { _ in UInt8.random(in: 0...3, using: &random) }
      keys.append(key)
      if let last = key.last {
        keys.append(key.dropLast() + [last &+ 1])  // same length, last byte differs
        keys.append(key + [0])  // one byte longer
      }
    }
    return keys
  }

  @Test func findsWhatWasInsertedAndNothingElse() {
    var random = SeededRandom(state: 21)
    let all = Self.keys(&random)
    var table = ByteKeyedTable(capacity: 4)
    var expected: [[UInt8]: Int64] = [:]
    var absent: [[UInt8]] = []
    for key in all where expected[key] == nil {
      if Int.random(in: 0..<4, using: &random) == 0 {
        absent.append(key)
        continue
      }
      let value = Int64(expected.count) * 7 - 3
      _ = key.withUnsafeBytes { table.insert(value, for: $0) }
      expected[key] = value
    }
    #expect(table.count == expected.count)
    #expect(expected.count > 5_000)
    for (key, value) in expected {
      #expect(key.withUnsafeBytes { table.value(for: $0) } == value, "\(key)")
    }
    for key in absent where expected[key] == nil {
      #expect(key.withUnsafeBytes { table.value(for: $0) } == nil, "\(key)")
    }
  }

  /// Buffers without an address (an empty field) find the empty key.
  @Test func emptyKeyWithoutAnAddress() {
    var table = ByteKeyedTable()
    table.insert(5, for: UnsafeRawBufferPointer(start: nil, count: 0))
    #expect(table.value(for: UnsafeRawBufferPointer(start: nil, count: 0)) == 5)
    #expect([UInt8(1)].withUnsafeBytes { table.value(for: $0) } == nil)
  }
}
