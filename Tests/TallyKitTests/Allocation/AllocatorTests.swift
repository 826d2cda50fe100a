import Testing

@testable import TallyKit

/// The waterfall and the splits on hand-made groups; every expected amount is worked out in the
/// comments from the group amounts and the largest-remainder rule (floors first, then one nano
/// each to the largest remainders, ties to the earlier target).
@Suite struct AllocatorTests {
  typealias S = AllocationTestSupport

  /// One rule condition: the first group satisfies it, the second does not.
  struct ConditionCase: CustomTestStringConvertible, Sendable {
    var when: String
    var matching: CostGroup
    var other: CostGroup
    var testDescription: String { when }
  }

  static let conditions: [ConditionCase] = {
    var billedElsewhere = S.group(nanos: 2)
    billedElsewhere.attributes.billingAccount = "other-payer"
    return [
      ConditionCase(
        when: #"{ account: ["7"] }"#, matching: S.group(account: "7", nanos: 1),
        other: S.group(account: "8", nanos: 2)),
      ConditionCase(
        when: "{ billing_account: [payer] }", matching: S.group(nanos: 1), other: billedElsewhere),
      ConditionCase(
        when: "{ service: [amazon s3] }", matching: S.group(service: "Amazon S3", nanos: 1),
        other: S.group(service: "Amazon EC2", nanos: 2)),
      ConditionCase(
        when: "{ region: [eu-west-1] }", matching: S.group(region: "eu-west-1", nanos: 1),
        other: S.group(region: "us-east-1", nanos: 2)),
      ConditionCase(
        when: "{ charge_category: [Tax] }", matching: S.group(category: "Tax", nanos: 1),
        other: S.group(category: "Usage", nanos: 2)),
      ConditionCase(
        when: "{ line_type: [SavingsPlanRecurringFee] }",
        matching: S.group(lineType: "SavingsPlanRecurringFee", nanos: 1),
        other: S.group(lineType: "Usage", nanos: 2)),
      ConditionCase(
        when: "{ resource_type: [Bucket] }", matching: S.group(resourceType: "Bucket", nanos: 1),
        other: S.group(resourceType: "Instance", nanos: 2)),
      ConditionCase(
        when: #"{ resource: ["arn:aws:s3:::logs-*"] }"#,
        matching: S.group(resource: (1, "arn:aws:s3:::logs-2026"), nanos: 1),
        other: S.group(resource: (2, "arn:aws:s3:::data-1"), nanos: 2)),
      ConditionCase(
        when: "{ tags: { env: [prod] } }", matching: S.group(tags: ["env": "prod"], nanos: 1),
        other: S.group(tags: ["env": "dev"], nanos: 2)),
      ConditionCase(
        when: "{ all: [ { region: [eu-west-1] }, { service: [Lambda] } ] }",
        matching: S.group(service: "Lambda", region: "eu-west-1", nanos: 1),
        other: S.group(service: "EC2", region: "eu-west-1", nanos: 2)),
      ConditionCase(
        when: "{ any: [ { region: [eu-west-1] }, { service: [Lambda] } ] }",
        matching: S.group(service: "Lambda", region: "us-east-1", nanos: 1),
        other: S.group(service: "EC2", region: "us-east-1", nanos: 2)),
      ConditionCase(
        when: "{ not: { service: [EC2] } }", matching: S.group(service: "Lambda", nanos: 1),
        other: S.group(service: "EC2", nanos: 2)),
    ]
  }()

  /// The matching group (1 nano) goes to the rule's team with the rule in its lineage; the other
  /// (2 nanos) stays unallocated.
  @Test(arguments: conditions) func eachRuleCondition(_ example: ConditionCase) throws {
    let configuration = try S.configuration(
      """
      allocation:
        rules:
          - name: r
            when: \(example.when)
            team: x
      """)
    let allocation = try Allocator(configuration: configuration).allocate([
      example.matching, example.other,
    ])
    #expect(S.totals(allocation) == ["x": 1, "(unallocated)": 2])
    let ruled = allocation.entries.filter { $0.team == "x" && $0.basis == .effective }
    #expect(ruled.map(\.step) == [.rule] && ruled.map(\.source) == ["r"])
    #expect(ruled.first?.tagStatus == "missing")
  }

  /// A valid tag wins over a rule; an invalid tag or the bucket's name falls through to it; a
  /// rule taking its team from a missing tag or an unmapped account does not match.
  @Test func waterfallOrderAndTeamSources() throws {
    let configuration = try S.configuration(
      """
      allocation:
        rules:
          - name: owner
            team_from_tag: owner
          - name: accounts
            team_from_account: { "7": search }
          - name: everything-else
            when: { account: ["8"] }
            team: platform
      """)
    let allocation = try Allocator(configuration: configuration).allocate([
      S.group(team: .team("payments"), account: "7", tags: ["owner": "data"], nanos: 1),
      S.group(team: .invalid, tags: ["owner": "data"], nanos: 10),
      S.group(team: .team("unallocated"), account: "7", nanos: 100),
      S.group(team: .conflict, account: "8", nanos: 1_000),
      S.group(account: "9", nanos: 10_000),
    ])
    // payments by tag; data by owner tag; search by account 7; platform by account 8.
    #expect(
      S.totals(allocation) == [
        "payments": 1, "data": 10, "search": 100, "platform": 1_000, "(unallocated)": 10_000,
      ])
    let statuses = Dictionary(
      allocation.entries.filter { $0.basis == .effective }.map { ($0.team ?? "-", $0.tagStatus) },
      uniquingKeysWith: { first, _ in first })
    #expect(statuses["data"] == .some("invalid"))
    #expect(statuses["platform"] == .some("conflict"))
    #expect(statuses["payments"] == .some(nil))
  }

  /// Direct cost a = 1.0, b = 2.0; a pool of 10 nanos: a gets floor(10/3) = 3 (remainder 1/3),
  /// b floor(20/3) = 6 (remainder 2/3); the nano left over goes to b: 3 and 7.
  @Test func proportionalSplitWithRemainder() throws {
    let configuration = try S.configuration(
      """
      allocation:
        shared:
          - name: pool
            when: { service: [Support] }
            split: proportional
      """)
    let allocation = try Allocator(configuration: configuration).allocate([
      S.group(team: .team("a"), nanos: 1_000_000_000),
      S.group(team: .team("b"), nanos: 2_000_000_000),
      S.group(service: "Support", nanos: 10),
    ])
    let shares = allocation.entries.filter { $0.step == .shared && $0.basis == .effective }
    #expect(
      Dictionary(uniqueKeysWithValues: shares.map { ($0.team ?? "", $0.amount.nanos) })
        == ["a": 3, "b": 7])
    let shareOfB = try #require(shares.first { $0.team == "b" }?.share)
    #expect(
      shareOfB
        == PoolShare(
          method: .proportional, weight: 2_000_000_000, weightTotal: 3_000_000_000,
          poolTotal: Money(nanos: 10)))
  }

  /// 10 nanos evenly over three targets: 3 each and the extra nano to the first listed: 4, 3, 3.
  /// Fixed 33.33/33.33/33.34 of 100 nanos: floors 33, 33, 33 with remainders .33, .33, .34; the
  /// leftover nano goes to the largest remainder: 33, 33, 34.
  @Test func evenAndFixedSplitsWithRemainders() throws {
    let configuration = try S.configuration(
      """
      allocation:
        shared:
          - name: even
            when: { service: [Even] }
            split: even
            targets: [z, y, x]
          - name: fixed
            when: { service: [Fixed] }
            split: { fixed: { p: 33.33, q: 33.33, r: 33.34 } }
      """)
    let allocation = try Allocator(configuration: configuration).allocate([
      S.group(service: "Even", nanos: 10), S.group(service: "Fixed", nanos: 100),
    ])
    #expect(
      S.totals(allocation) == ["z": 4, "y": 3, "x": 3, "p": 33, "q": 33, "r": 34])
  }

  /// Targets without direct cost: the even fallback splits 5 nanos as 3 and 2 (first listed
  /// first); the unallocated fallback leaves the pool in the bucket with the pool as its source.
  /// Negative direct cost counts as none, and a pool with no teams at all stays unallocated.
  @Test func poolsWhoseTargetsHaveNoDirectCost() throws {
    let configuration = try S.configuration(
      """
      allocation:
        shared:
          - name: fallback-even
            when: { service: [A] }
            split: proportional
            targets: [research, ops]
          - name: fallback-none
            when: { service: [B] }
            split: proportional
            targets: [research, ops]
            fallback: unallocated
          - name: negative
            when: { service: [C] }
            split: proportional
            targets: [refunded, busy]
      """)
    let allocation = try Allocator(configuration: configuration).allocate([
      S.group(service: "A", nanos: 5), S.group(service: "B", nanos: 7),
      S.group(service: "C", nanos: 6), S.group(team: .team("refunded"), nanos: -10),
      S.group(team: .team("busy"), nanos: 10),
    ])
    #expect(
      S.totals(allocation) == [
        "research": 3, "ops": 2, "(unallocated)": 7, "refunded": -10, "busy": 16,
      ])
    let fallback = allocation.entries.first { $0.team == "research" }
    #expect(fallback?.share?.method == .evenFallback)
    #expect(allocation.entries.contains { $0.team == nil && $0.source == "fallback-none" })

    let empty = try Allocator(configuration: configuration).allocate([
      S.group(service: "A", nanos: 5)
    ])
    #expect(S.totals(empty) == ["research": 3, "ops": 2])
    let noTeams = try Allocator(
      configuration: S.configuration(
        "allocation: { shared: [ { name: p, when: { service: [A] }, split: even } ] }")
    ).allocate([S.group(service: "A", nanos: 5)])
    #expect(S.totals(noTeams) == ["(unallocated)": 5])
  }

  /// A pool is split by direct cost in its own currency: `a` has only EUR direct cost, so the
  /// USD pool of 5 nanos all goes to `b`; the EUR pool of 9 nanos all goes to `a`.
  @Test func currenciesAreNeverMixed() throws {
    let configuration = try S.configuration(
      "allocation: { shared: [ { name: p, when: { service: [S] }, split: proportional } ] }")
    let allocation = try Allocator(configuration: configuration).allocate([
      S.group(team: .team("a"), currency: "EUR", nanos: 100),
      S.group(team: .team("b"), currency: "USD", nanos: 10),
      S.group(service: "S", currency: "USD", nanos: 5),
      S.group(service: "S", currency: "EUR", nanos: 9),
    ])
    #expect(S.totals(allocation, currency: "USD") == ["b": 15])
    #expect(S.totals(allocation, currency: "EUR") == ["a": 109])
  }

  /// Credits (-4 in total) under each treatment. Direct usage: a 30 (resource 1), b 10.
  /// follow: the tagged credit -1 stays with b, the untagged credit on resource 1 (-2) follows
  ///   it to a, the untagged credit without a resource (-1) reaches the account rule (c).
  /// proportional: all three spread over a and b by direct cost 30:10 of -4 → -3 and -1, and
  ///   the tagged credit is no longer b's own.
  /// unallocated: all -4 stay in the bucket, with `credits` as the source.
  @Test func creditTreatments() throws {
    let groups = [
      S.group(team: .team("a"), resource: (1, "i-1"), nanos: 30),
      S.group(team: .team("b"), nanos: 10),
      S.group(team: .team("b"), category: "Credit", nanos: -1),
      S.group(category: "Credit", resource: (1, "i-1"), nanos: -2),
      S.group(account: "5", category: "Credit", nanos: -1),
    ]
    func allocate(_ treatment: String) throws -> Allocation {
      try Allocator(
        configuration: S.configuration(
          """
          allocation:
            credits: \(treatment)
            rules: [ { name: account-5, when: { account: ["5"] }, team: c } ]
          """)
      ).allocate(groups)
    }
    let follow = try allocate("follow")
    #expect(S.totals(follow) == ["a": 28, "b": 9, "c": -1])
    #expect(follow.entries.contains { $0.team == "a" && $0.step == .resource })
    #expect(S.totals(try allocate("proportional")) == ["a": 27, "b": 9])
    let unallocated = try allocate("unallocated")
    #expect(S.totals(unallocated) == ["a": 30, "b": 10, "(unallocated)": -4])
    #expect(unallocated.entries.contains { $0.team == nil && $0.source == "credits" })
  }

  /// Each basis is split on its own: billed 10 and effective 0 for the same purchase give shares
  /// in billed only (60/40 of 10 nanos: 6 and 4).
  @Test func everyBasisIsAllocated() throws {
    let configuration = try S.configuration(
      """
      allocation:
        shared: [ { name: c, when: { charge_category: [Purchase] }, split: { fixed: { p: 60, s: 40 } } } ]
      """)
    let allocation = try Allocator(configuration: configuration).allocate([
      S.group(category: "Purchase", nanos: 0, billed: 10, list: 20)
    ])
    #expect(S.totals(allocation, basis: .billed) == ["p": 6, "s": 4])
    #expect(S.totals(allocation, basis: .list) == ["p": 12, "s": 8])
    #expect(S.totals(allocation, basis: .effective) == [:])
  }
}
