/// A self-contained gzip writer (RFC 1952 around RFC 1951 deflate).
///
/// It exists so that the compressed sample bills are byte-identical on every machine: the
/// output of zlib depends on its version and level, this encoder's output depends only on
/// its input. It uses LZ77 with hash chains and one-step lazy matching, and a dynamic
/// Huffman block per 32,768 symbols; the header carries no file name and an mtime of 0.
public enum Gzip {
  /// Returns `input` compressed as a gzip member.
  public static func compress(_ input: [UInt8]) -> [UInt8] {
    var writer = BitWriter()
    writer.bytes.reserveCapacity(input.count / 6 + 64)
    // ID1 ID2 CM FLG MTIME(4) XFL OS(255 = unknown)
    writer.bytes.append(contentsOf: [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255])
    Deflater.deflate(input, into: &writer)
    writer.flushToByte()
    appendLittleEndian(crc32(input), to: &writer.bytes)
    appendLittleEndian(UInt32(truncatingIfNeeded: input.count), to: &writer.bytes)
    return writer.bytes
  }

  /// The CRC-32 (ISO 3309, as gzip uses it) of `bytes`.
  public static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    bytes.withUnsafeBufferPointer { buffer in
      crcTable.withUnsafeBufferPointer { table in
        for byte in buffer {
          crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
      }
    }
    return crc ^ 0xFFFF_FFFF
  }

  private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
  }

  private static let crcTable: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 {
      value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
    }
    return value
  }
}

/// Writes bits least-significant first, as deflate requires.
private struct BitWriter {
  var bytes: [UInt8] = []
  private var accumulator: UInt64 = 0
  private var count: UInt64 = 0

  mutating func write(_ value: UInt32, bits: Int) {
    accumulator |= UInt64(value) << count
    count += UInt64(bits)
    while count >= 8 {
      bytes.append(UInt8(truncatingIfNeeded: accumulator))
      accumulator >>= 8
      count -= 8
    }
  }

  mutating func flushToByte() {
    if count > 0 {
      bytes.append(UInt8(truncatingIfNeeded: accumulator))
      accumulator = 0
      count = 0
    }
  }
}

private enum Deflater {
  static let windowSize = 32_768
  static let minimumMatch = 3
  static let maximumMatch = 258
  static let maximumChain = 48
  static let niceMatch = 128
  static let lazyLimit = 32
  static let hashBits = 15
  static let symbolsPerBlock = 32_768

  static let lengthBase: [Int] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258,
  ]
  static let lengthExtra: [Int] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  static let distanceBase: [Int] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  static let distanceExtra: [Int] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
  ]
  static let codeLengthOrder: [Int] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
  ]

  /// Length (3...258) → index into `lengthBase`.
  static let lengthCode: [UInt8] = {
    var table = [UInt8](repeating: 0, count: 259)
    for code in 0..<29 {
      let upper = code == 28 ? 258 : lengthBase[code + 1] - 1
      for length in lengthBase[code]...upper where length <= 258 { table[length] = UInt8(code) }
    }
    table[258] = 28
    return table
  }()

  /// Distance (1...32768) → index into `distanceBase`.
  static let distanceCode: [UInt8] = {
    var table = [UInt8](repeating: 0, count: windowSize + 1)
    for code in 0..<30 {
      let upper = code == 29 ? windowSize : distanceBase[code + 1] - 1
      for distance in distanceBase[code]...upper { table[distance] = UInt8(code) }
    }
    return table
  }()

  /// A token: a literal byte (< 256), or a match `0x8000_0000 | length << 16 | distance`.
  static func deflate(_ input: [UInt8], into writer: inout BitWriter) {
    if input.isEmpty {
      writer.write(1, bits: 1)  // BFINAL
      writer.write(1, bits: 2)  // fixed Huffman
      writer.write(0, bits: 7)  // end of block (code 256 is seven zero bits)
      return
    }
    var tokens: [UInt32] = []
    tokens.reserveCapacity(symbolsPerBlock)
    input.withUnsafeBufferPointer { data in
      var finder = MatchFinder(data: data)
      var position = 0
      var pending: (length: Int, distance: Int)? = nil
      while position < data.count {
        let match =
          pending ?? finder.longestMatch(at: position, atLeast: minimumMatch - 1)
        pending = nil
        finder.insert(position)
        if let match, match.length >= minimumMatch {
          // One-step lazy evaluation: prefer a longer match starting at the next byte.
          if match.length < lazyLimit, position + 1 < data.count {
            let next = finder.longestMatch(at: position + 1, atLeast: match.length)
            if let next, next.length > match.length {
              tokens.append(UInt32(data[position]))
              position += 1
              pending = next
              flushIfFull(&tokens, writer: &writer, final: false)
              continue
            }
          }
          tokens.append(
            0x8000_0000 | UInt32(match.length) << 16 | UInt32(match.distance))
          for offset in 1..<match.length { finder.insert(position + offset) }
          position += match.length
        } else {
          tokens.append(UInt32(data[position]))
          position += 1
        }
        flushIfFull(&tokens, writer: &writer, final: false)
      }
    }
    writeBlock(tokens, final: true, into: &writer)
  }

  private static func flushIfFull(_ tokens: inout [UInt32], writer: inout BitWriter, final: Bool) {
    if tokens.count >= symbolsPerBlock {
      writeBlock(tokens, final: final, into: &writer)
      tokens.removeAll(keepingCapacity: true)
    }
  }

  private static func writeBlock(_ tokens: [UInt32], final: Bool, into writer: inout BitWriter) {
    var literalFrequencies = [Int](repeating: 0, count: 286)
    var distanceFrequencies = [Int](repeating: 0, count: 30)
    for token in tokens {
      if token & 0x8000_0000 == 0 {
        literalFrequencies[Int(token)] += 1
      } else {
        let length = Int((token >> 16) & 0x1FF)
        let distance = Int(token & 0xFFFF)
        literalFrequencies[257 + Int(lengthCode[length])] += 1
        distanceFrequencies[Int(distanceCode[distance])] += 1
      }
    }
    literalFrequencies[256] = 1
    // Decoders want at least two distance codes to build a complete-enough tree.
    var used = distanceFrequencies.filter { $0 > 0 }.count
    var index = 0
    while used < 2 {
      if distanceFrequencies[index] == 0 {
        distanceFrequencies[index] = 1
        used += 1
      }
      index += 1
    }
    let literalLengths = HuffmanCode.lengths(for: literalFrequencies, limit: 15)
    let distanceLengths = HuffmanCode.lengths(for: distanceFrequencies, limit: 15)
    let literalCodes = HuffmanCode.canonical(literalLengths)
    let distanceCodes = HuffmanCode.canonical(distanceLengths)

    var literalCount = 286
    while literalCount > 257 && literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
    var distanceCount = 30
    while distanceCount > 1 && distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }

    // Run-length encode the two code-length lists together.
    let allLengths = Array(literalLengths[0..<literalCount] + distanceLengths[0..<distanceCount])
    var runs: [(symbol: Int, extra: Int)] = []
    var cursor = 0
    while cursor < allLengths.count {
      let value = allLengths[cursor]
      var run = 1
      while cursor + run < allLengths.count && allLengths[cursor + run] == value { run += 1 }
      var remaining = run
      if value == 0 {
        while remaining >= 11 {
          let chunk = min(remaining, 138)
          runs.append((18, chunk - 11))
          remaining -= chunk
        }
        if remaining >= 3 {
          runs.append((17, remaining - 3))
          remaining = 0
        }
      } else {
        runs.append((value, 0))
        remaining -= 1
        while remaining >= 3 {
          let chunk = min(remaining, 6)
          runs.append((16, chunk - 3))
          remaining -= chunk
        }
      }
      for _ in 0..<remaining { runs.append((value, 0)) }
      cursor += run
    }
    var codeLengthFrequencies = [Int](repeating: 0, count: 19)
    for run in runs { codeLengthFrequencies[run.symbol] += 1 }
    let codeLengthLengths = HuffmanCode.lengths(for: codeLengthFrequencies, limit: 7)
    let codeLengthCodes = HuffmanCode.canonical(codeLengthLengths)
    var codeLengthCount = 19
    while codeLengthCount > 4 && codeLengthLengths[codeLengthOrder[codeLengthCount - 1]] == 0 {
      codeLengthCount -= 1
    }

    writer.write(final ? 1 : 0, bits: 1)
    writer.write(2, bits: 2)  // dynamic Huffman
    writer.write(UInt32(literalCount - 257), bits: 5)
    writer.write(UInt32(distanceCount - 1), bits: 5)
    writer.write(UInt32(codeLengthCount - 4), bits: 4)
    for position in 0..<codeLengthCount {
      writer.write(UInt32(codeLengthLengths[codeLengthOrder[position]]), bits: 3)
    }
    for run in runs {
      writer.write(codeLengthCodes[run.symbol], bits: codeLengthLengths[run.symbol])
      switch run.symbol {
      case 16: writer.write(UInt32(run.extra), bits: 2)
      case 17: writer.write(UInt32(run.extra), bits: 3)
      case 18: writer.write(UInt32(run.extra), bits: 7)
      default: break
      }
    }
    for token in tokens {
      if token & 0x8000_0000 == 0 {
        let symbol = Int(token)
        writer.write(literalCodes[symbol], bits: literalLengths[symbol])
      } else {
        let length = Int((token >> 16) & 0x1FF)
        let distance = Int(token & 0xFFFF)
        let lengthIndex = Int(lengthCode[length])
        let symbol = 257 + lengthIndex
        writer.write(literalCodes[symbol], bits: literalLengths[symbol])
        if lengthExtra[lengthIndex] > 0 {
          writer.write(UInt32(length - lengthBase[lengthIndex]), bits: lengthExtra[lengthIndex])
        }
        let distanceIndex = Int(distanceCode[distance])
        writer.write(distanceCodes[distanceIndex], bits: distanceLengths[distanceIndex])
        if distanceExtra[distanceIndex] > 0 {
          writer.write(
            UInt32(distance - distanceBase[distanceIndex]), bits: distanceExtra[distanceIndex])
        }
      }
    }
    writer.write(literalCodes[256], bits: literalLengths[256])
  }
}

/// Hash chains over the last 32 KiB of input.
private struct MatchFinder {
  let data: UnsafeBufferPointer<UInt8>
  private var head: [Int32]
  private var previous: [Int32]

  init(data: UnsafeBufferPointer<UInt8>) {
    self.data = data
    head = [Int32](repeating: -1, count: 1 << Deflater.hashBits)
    previous = [Int32](repeating: -1, count: Deflater.windowSize)
  }

  private func hash(at position: Int) -> Int {
    let value =
      UInt32(data[position]) << 16 | UInt32(data[position + 1]) << 8 | UInt32(data[position + 2])
    return Int((value &* 0x9E37_79B1) >> UInt32(32 - Deflater.hashBits))
  }

  mutating func insert(_ position: Int) {
    guard position + 2 < data.count else { return }
    let key = hash(at: position)
    previous[position & (Deflater.windowSize - 1)] = head[key]
    head[key] = Int32(position)
  }

  /// The longest earlier match for the bytes at `position` that is longer than `atLeast`.
  func longestMatch(at position: Int, atLeast: Int) -> (length: Int, distance: Int)? {
    guard position + Deflater.minimumMatch <= data.count else { return nil }
    let limit = min(Deflater.maximumMatch, data.count - position)
    guard atLeast < limit else { return nil }
    var best = atLeast
    var bestDistance = 0
    var candidate = Int(head[hash(at: position)])
    var chain = Deflater.maximumChain
    let base = UnsafeRawPointer(data.baseAddress.unsafelyUnwrapped)
    while candidate >= 0 && chain > 0 {
      let distance = position - candidate
      if distance > Deflater.windowSize || distance <= 0 { break }
      // Cheap rejection: the byte that would extend the best match must agree.
      if data[candidate + best] == data[position + best] {
        var length = 0
        while length + 8 <= limit {
          let a = base.loadUnaligned(fromByteOffset: candidate + length, as: UInt64.self)
          let b = base.loadUnaligned(fromByteOffset: position + length, as: UInt64.self)
          if a != b {
            length += (a ^ b).littleEndian.trailingZeroBitCount / 8
            break
          }
          length += 8
        }
        if length + 8 > limit {
          while length < limit && data[candidate + length] == data[position + length] {
            length += 1
          }
        }
        if length > best {
          best = length
          bestDistance = distance
          if length >= Deflater.niceMatch || length >= limit { break }
        }
      }
      candidate = Int(previous[candidate & (Deflater.windowSize - 1)])
      chain -= 1
    }
    return bestDistance > 0 ? (best, bestDistance) : nil
  }
}

/// Length-limited Huffman codes, built deterministically.
private enum HuffmanCode {
  /// Code lengths for `frequencies`, none longer than `limit`; unused symbols get 0.
  static func lengths(for frequencies: [Int], limit: Int) -> [Int] {
    var weights = frequencies
    while true {
      let lengths = unlimitedLengths(for: weights)
      if lengths.max() ?? 0 <= limit { return lengths }
      // Flatten the distribution and try again (converges: all weights become 1).
      weights = weights.map { $0 == 0 ? 0 : max(1, $0 / 2) }
    }
  }

  private static func unlimitedLengths(for frequencies: [Int]) -> [Int] {
    var lengths = [Int](repeating: 0, count: frequencies.count)
    var nodes: [(weight: Int, parent: Int)] = []
    var symbols: [Int] = []
    for (symbol, frequency) in frequencies.enumerated() where frequency > 0 {
      symbols.append(symbol)
    }
    // Leaves in (weight, symbol) order: a total order, so the tree never depends on the
    // sort algorithm.
    symbols.sort {
      frequencies[$0] != frequencies[$1]
        ? frequencies[$0] < frequencies[$1] : $0 < $1
    }
    for symbol in symbols { nodes.append((frequencies[symbol], -1)) }
    let leafCount = nodes.count
    if leafCount == 1 {
      lengths[symbols[0]] = 1
      return lengths
    }
    // Two-queue construction: leaves in order, then internal nodes, which are created in
    // non-decreasing weight order; on a tie the leaf is taken first.
    var nextLeaf = 0
    var nextInternal = leafCount
    func takeLightest() -> Int {
      if nextLeaf < leafCount
        && (nextInternal >= nodes.count || nodes[nextLeaf].weight <= nodes[nextInternal].weight)
      {
        nextLeaf += 1
        return nextLeaf - 1
      }
      nextInternal += 1
      return nextInternal - 1
    }
    for _ in 1..<leafCount {
      let first = takeLightest()
      let second = takeLightest()
      nodes.append((nodes[first].weight + nodes[second].weight, -1))
      nodes[first].parent = nodes.count - 1
      nodes[second].parent = nodes.count - 1
    }
    for leaf in 0..<leafCount {
      var depth = 0
      var node = leaf
      while nodes[node].parent >= 0 {
        depth += 1
        node = nodes[node].parent
      }
      lengths[symbols[leaf]] = depth
    }
    return lengths
  }

  /// Canonical codes (RFC 1951 §3.2.2), bit-reversed for a least-significant-first writer.
  static func canonical(_ lengths: [Int]) -> [UInt32] {
    let maximum = lengths.max() ?? 0
    var countPerLength = [Int](repeating: 0, count: maximum + 1)
    for length in lengths where length > 0 { countPerLength[length] += 1 }
    var nextCode = [Int](repeating: 0, count: maximum + 2)
    var code = 0
    if maximum > 0 {
      for bits in 1...maximum {
        code = (code + countPerLength[bits - 1]) << 1
        nextCode[bits] = code
      }
    }
    var codes = [UInt32](repeating: 0, count: lengths.count)
    for (symbol, length) in lengths.enumerated() where length > 0 {
      var value = nextCode[length]
      nextCode[length] += 1
      var reversed: UInt32 = 0
      for _ in 0..<length {
        reversed = reversed << 1 | UInt32(value & 1)
        value >>= 1
      }
      codes[symbol] = reversed
    }
    return codes
  }
}
