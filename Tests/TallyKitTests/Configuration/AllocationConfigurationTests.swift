import Testing

@testable import TallyKit

/// The `allocation` section is read strictly: every mistake names its line.
@Suite struct AllocationConfigurationTests {
  @Test func readsRulesPoolsCreditsAndRates() throws {
    let configuration = try Configuration(
      yaml: """
        allocation:
          by: owner
          cost: billed
          unallocated: nobody
          credits: unallocated
          rules:
            - name: a
              when: { account: ["1"] }
              team: payments
            - name: b
              team_from_tag: cost-owner
            - name: c
              team_from_account: { "2": search }
          shared:
            - name: p
              when: { charge_category: [Tax] }
              split: proportional
              targets: [payments]
              fallback: unallocated
            - name: f
              when: { service: [Support] }
              split: { fixed: { payments: 33.34, search: 66.66 } }
          reporting_currency: USD
          exchange_rates:
            EUR: 1.0825
            GBP: { "2026-10": "1.26" }
        """, file: "t.yaml")
    let allocation = configuration.allocation
    #expect(allocation.by == "owner" && allocation.cost == .billed)
    #expect(allocation.unallocated == "nobody" && allocation.credits == .unallocated)
    #expect(
      allocation.rules.map(\.team) == [
        .named("payments"), .fromTag("cost-owner"), .fromAccount(["2": "search"]),
      ])
    #expect(allocation.rules[0].when == .field(.account, ["1"]))
    #expect(allocation.rules[1].when == nil)
    #expect(allocation.shared[0].targets == ["payments"])
    #expect(allocation.shared[0].fallback == .unallocated)
    #expect(
      allocation.shared[1].split
        == .fixed([
          FixedShare(team: "payments", percent: Money(nanos: 33_340_000_000)),
          FixedShare(team: "search", percent: Money(nanos: 66_660_000_000)),
        ]))
    let october = BillingMonth(year: 2026, month: 10)
    #expect(allocation.exchangeRates["EUR"]?.rate(for: october) == Money(nanos: 1_082_500_000))
    #expect(allocation.exchangeRates["GBP"]?.rate(for: october) == Money(nanos: 1_260_000_000))
    #expect(allocation.exchangeRates["GBP"]?.rate(for: october.previous) == nil)
  }

  /// Each bad config and the line (1-based) its error must name.
  @Test(arguments: [
    (
      "allocation:\n  rules:\n    - name: a\n      team: x\n    - name: a\n      team: y\n", 5,
      "used twice"
    ),
    (
      "allocation:\n  rules:\n    - name: a\n      team: x\n      team_from_tag: y\n", 3,
      "exactly one"
    ),
    ("allocation:\n  rules:\n    - name: a\n      teem: x\n", 4, "did you mean \"team\""),
    (
      "allocation:\n  shared:\n    - name: p\n      when: { service: [S] }\n"
        + "      split: { fixed: { a: 60, b: 30 } }\n", 5, "add up to 90.00, not 100"
    ),
    (
      "allocation:\n  shared:\n    - name: p\n      when: { service: [S] }\n      split: halves\n",
      5, "expected one of proportional, even"
    ),
    ("allocation:\n  exchange_rates: { EUR: 1.1 }\n", 2, "need a reporting_currency"),
    (
      "allocation:\n  reporting_currency: USD\n  exchange_rates: { EUR: -1 }\n", 3,
      "positive exchange rate"
    ),
    ("allocation:\n  rules:\n    - name: a\n      team: unallocated\n", 3, "bucket's name"),
    (
      "policy:\n  tags:\n    - key: team\n      values: [payments, search]\n"
        + "allocation:\n  rules:\n    - name: a\n      team: paymnts\n", 7,
      "did you mean \"payments\""
    ),
  ])
  func mistakesNameTheirLine(yaml: String, line: Int, message: String) throws {
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: yaml, file: "t.yaml")
    }
    #expect(error.line == line, "\(error)")
    #expect(error.message.contains(message), "\(error)")
  }

  /// Comments and layout do not change the fingerprint; a rule does.
  @Test func fingerprintFollowsMeaningNotLayout() throws {
    let plain = try Configuration(
      yaml: "allocation:\n  rules: [ { name: a, team: x } ]\n", file: "a.yaml")
    let commented = try Configuration(
      yaml: "# team rules\nallocation:\n  rules:\n    - name: a   # the only one\n      team: x\n",
      file: "b.yaml")
    let changed = try Configuration(
      yaml: "allocation:\n  rules: [ { name: a, team: y } ]\n", file: "c.yaml")
    #expect(plain.allocationFingerprint == commented.allocationFingerprint)
    #expect(plain.allocationFingerprint != changed.allocationFingerprint)
    #expect(plain.allocationFingerprint != Configuration().allocationFingerprint)
  }

  @Test func conditionsReadAsWords() throws {
    let configuration = try Configuration(
      yaml: """
        allocation:
          rules:
            - name: a
              when: { any: [ { account: ["1", "2"] }, { not: { tags: { env: "*" } } } ] }
              team: x
        """, file: "t.yaml")
    #expect(
      configuration.allocation.rules[0].when?.description
        == "account in [1, 2] or not tag env present")
  }
}
