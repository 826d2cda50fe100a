/// A small, fully specified pseudo-random generator: SplitMix64 (Steele, Lea and Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014).
///
/// Every value it returns depends only on the seed, so a generator built on it writes
/// byte-identical files on every machine and every Swift version. It deliberately does not
/// conform to `RandomNumberGenerator`: the standard library's `random(in:using:)` algorithms
/// are not guaranteed to stay the same across releases, so all derived draws (bounded
/// integers, choices, chances) are implemented here.
public struct SplitMix64: Sendable {
  /// The current state; the next value is a function of it alone.
  public private(set) var state: UInt64

  /// Creates a generator whose whole output is determined by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// Creates an independent stream for a labelled part of the output (a month, a resource),
  /// so adding draws to one part never shifts the values of another.
  public init(seed: UInt64, stream: UInt64) {
    state = SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
  }

  /// Returns the next 64 uniformly distributed bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// Returns a uniformly distributed value in `0..<bound` (Lemire's multiply-shift method
  /// with rejection, so it is unbiased). `bound` must be positive.
  public mutating func next(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "bound must be positive")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }

  /// Returns a uniformly distributed integer in `range`.
  public mutating func int(in range: ClosedRange<Int>) -> Int {
    let width = UInt64(range.upperBound - range.lowerBound) + 1
    return range.lowerBound + Int(next(below: width))
  }

  /// Returns a uniformly distributed `Int64` in `range`.
  public mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
    let width = UInt64(range.upperBound - range.lowerBound) + 1
    return range.lowerBound + Int64(next(below: width))
  }

  /// Returns true with probability `numerator / denominator`.
  public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
    Int(next(below: UInt64(denominator))) < numerator
  }

  /// Returns one element of a non-empty array, uniformly.
  public mutating func pick<Element>(_ elements: [Element]) -> Element {
    elements[Int(next(below: UInt64(elements.count)))]
  }

  /// Appends `count` lower-case hexadecimal digits to `bytes`.
  public mutating func appendHex(count: Int, to bytes: inout [UInt8]) {
    var remaining = count
    while remaining > 0 {
      var word = next()
      for _ in 0..<min(16, remaining) {
        bytes.append(hexDigits[Int(word & 0xF)])
        word >>= 4
      }
      remaining -= 16
    }
  }

  /// Returns `count` lower-case hexadecimal digits.
  public mutating func hex(count: Int) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    appendHex(count: count, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Returns `count` characters from `alphabet` (ASCII), uniformly.
  public mutating func string(count: Int, alphabet: StaticString) -> String {
    let letters = alphabet.withUTF8Buffer { Array($0) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    for _ in 0..<count {
      bytes.append(letters[Int(next(below: UInt64(letters.count)))])
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The SplitMix64 output function (a 64-bit finaliser).
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
