/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny seeded generator, so every run sees the
/// same random cases and a failure can be replayed.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D1_33A1_1133_49BB
    return mixed ^ (mixed >> 31)
  }
}
