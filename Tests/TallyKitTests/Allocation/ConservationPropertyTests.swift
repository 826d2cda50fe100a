import Foundation
import Testing

@testable import TallyKit

/// The conservation invariant over random months: random groups (tags valid, missing, invalid or
/// in conflict; credits, taxes, purchases; two currencies; negative amounts), random rules,
/// random shared pools with every split method, and every credit treatment. The expected totals
/// are summed straight from the groups in 128 bits, independently of the allocator.
@Suite struct ConservationPropertyTests {
  typealias S = AllocationTestSupport

  /// A small deterministic generator (SplitMix64), so that a failure can be replayed by seed.
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
      range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    /// Mostly positive amounts up to 10,000 units with odd nanos, sometimes negative or zero.
    mutating func nanos() -> Int64 {
      if chance(5) { return 0 }
      let magnitude = Int64(next() % 10_000_000_000_000)
      return chance(15) ? -magnitude : magnitude
    }
  }

  static let teams = ["payments", "search", "data", "platform", "ml", "unallocated"]
  static let accounts = ["1", "2", "3", "4"]
  static let services = ["EC2", "S3", "Support", "Lambda"]
  static let regions = ["us-east-1", "eu-west-1", ""]
  static let categories = ["Usage", "Usage", "Purchase", "Tax", "Credit", "Adjustment"]

  static func condition(_ random: inout Random, depth: Int = 0) -> String {
    switch random.int(depth < 2 ? 0...7 : 0...4) {
    case 0: return "{ account: [\"\(random.pick(accounts))\"] }"
    case 1: return "{ service: [\(random.pick(services))] }"
    case 2: return "{ charge_category: [\(random.pick(["Usage", "Tax", "Credit", "Purchase"]))] }"
    case 3: return "{ resource: [\"i-\(random.int(0...3))*\"] }"
    case 4: return "{ tags: { owner: [\"*\"] } }"
    case 5:
      return "{ all: [ \(condition(&random, depth: depth + 1)), "
        + "\(condition(&random, depth: depth + 1)) ] }"
    case 6:
      return "{ any: [ \(condition(&random, depth: depth + 1)), "
        + "\(condition(&random, depth: depth + 1)) ] }"
    default: return "{ not: \(condition(&random, depth: depth + 1)) }"
    }
  }

  static func configuration(_ random: inout Random) throws -> Configuration {
    var yaml = "allocation:\n  credits: \(random.pick(["follow", "proportional", "unallocated"]))\n"
    yaml += "  rules:\n"
    for index in 0..<random.int(0...4) {
      yaml += "    - name: rule\(index)\n"
      if random.chance(80) { yaml += "      when: \(condition(&random))\n" }
      switch random.int(0...2) {
      case 0: yaml += "      team: \(random.pick(teams.dropLast()))\n"
      case 1: yaml += "      team_from_tag: owner\n"
      default:
        yaml +=
          "      team_from_account: { \"\(random.pick(accounts))\": \(random.pick(teams.dropLast())) }\n"
      }
    }
    yaml += "  shared:\n"
    for index in 0..<random.int(0...3) {
      yaml += "    - name: pool\(index)\n      when: \(condition(&random))\n"
      switch random.int(0...2) {
      case 0:
        yaml += "      split: proportional\n"
        if random.chance(50) { yaml += "      fallback: unallocated\n" }
      case 1:
        yaml += "      split: even\n"
      default:
        let first = random.int(1...98)
        let second = random.int(1...(99 - first))
        yaml += "      split: { fixed: { payments: \(first), ops: \(second), "
        yaml += "research: \(100 - first - second) } }\n"
      }
      if !yaml.hasSuffix("} }\n"), random.chance(50) {
        let targets = [random.pick(teams.dropLast()), "research"]
        yaml += "      targets: [\(Array(Set(targets)).sorted().joined(separator: ", "))]\n"
      }
    }
    yaml = yaml.replacingOccurrences(of: "  rules:\n  shared:", with: "  shared:")
    if yaml.hasSuffix("  shared:\n") { yaml.removeLast("  shared:\n".count) }
    if yaml.hasSuffix("  rules:\n") { yaml.removeLast("  rules:\n".count) }
    return try S.configuration(yaml)
  }

  static func groups(_ random: inout Random) -> [CostGroup] {
    (0..<random.int(1...120)).map { _ in
      let team: TeamTag
      switch random.int(0...5) {
      case 0, 1: team = .team(random.pick(teams))
      case 2: team = .invalid
      case 3: team = .conflict
      default: team = .missing
      }
      let resource = random.chance(70) ? random.int(0...40) : nil
      return S.group(
        team: team, account: random.pick(accounts), service: random.pick(services),
        region: random.pick(regions), category: random.pick(categories),
        resource: resource.map { (Int64($0), "i-\($0)") },
        tags: random.chance(30) ? ["owner": random.pick(teams)] : [:],
        currency: random.chance(80) ? "USD" : "EUR", nanos: random.nanos(),
        billed: random.nanos(), list: random.nanos())
    }
  }

  @Test(arguments: 0..<400) func conservationIsExact(seed: UInt64) throws {
    var random = Random(state: seed)
    let configuration = try Self.configuration(&random)
    let groups = Self.groups(&random)
    let allocation = try Allocator(configuration: configuration).allocate(groups)

    for basis in CostBasis.allCases {
      for currency in ["USD", "EUR"] {
        let own = groups.filter { $0.currency == currency }
        let expected = own.reduce(Int128(0)) { $0 + Int128($1.costs[basis].nanos) }
        let entries = allocation.entries.filter { $0.currency == currency && $0.basis == basis }
        let allocated = entries.reduce(Int128(0)) { $0 + Int128($1.amount.nanos) }
        #expect(allocated == expected, "seed \(seed), \(currency) \(basis)")
        // The bucket by resource adds up to the bucket.
        let bucket = entries.filter { $0.team == nil }.reduce(Int128(0)) {
          $0 + Int128($1.amount.nanos)
        }
        let byResource = allocation.unallocated.filter {
          $0.currency == currency && $0.basis == basis
        }
        #expect(
          byResource.reduce(Int128(0)) { $0 + Int128($1.amount.nanos) } == bucket,
          "seed \(seed), \(currency) \(basis)")
        if !own.isEmpty {
          #expect(Int128(allocation.lineTotals[currency]?[basis].nanos ?? 0) == expected)
        }

        // Every pool: its shares and unallocated remainder add up to what it held, and no
        // share has the opposite sign of the pool.
        let parts = allocation.poolParts.filter { $0.currency == currency && $0.basis == basis }
        for pool in Set(parts.map(\.pool)) {
          let held = parts.filter { $0.pool == pool }.reduce(Int128(0)) {
            $0 + Int128($1.amount.nanos)
          }
          let out = entries.filter {
            ($0.step == .shared || $0.step == .unallocated) && $0.source == pool
          }
          #expect(out.reduce(Int128(0)) { $0 + Int128($1.amount.nanos) } == held)
          for share in out where share.step == .shared {
            #expect(held > 0 ? share.amount.nanos >= 0 : share.amount.nanos <= 0, "seed \(seed)")
            #expect(share.share?.poolTotal.nanos == Int64(held))
          }
        }
      }
    }
    #expect(!allocation.entries.contains { $0.team == "unallocated" }, "the bucket is no team")
  }
}
