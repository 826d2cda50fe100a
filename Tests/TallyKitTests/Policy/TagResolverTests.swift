import Testing

@testable import TallyKit

/// Tag resolution on the hand-built CUR fixture (`cur/every-line-item-type.csv`): its tag sets
/// are {} (10 lines), {team=payments} (l01), {team=search, Team=Search} (l02, l03),
/// {team=data} (l08) and {team=payments, Team=Payments} (l14), all in account 000111222333.
@Suite struct TagResolverTests {
  @Test func resolvesEveryTagGroupWithAccountDefaults() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("cur/every-line-item-type.csv"))
    var team = TagRule(key: "team")
    team.values = ["payments", "search", "platform"]
    var policy = PolicyConfiguration()
    policy.tags = [team]
    policy.accountDefaults = ["000111222333": ["team": "platform"]]
    let month = try #require(BillingMonth("2026-10"))
    try TagResolver(policy: policy).run(on: store, month: month)

    let resolutions = try store.tagResolutions(in: month)
    #expect(resolutions.count == 5)  // five tag sets, one account
    let byValue = Dictionary(
      grouping: resolutions.values.compactMap { $0.first { $0.key == "team" } }, by: \.value)
    // {} inherits platform from the account; `data` is not an allowed value.
    #expect(byValue["platform"]?.map(\.source) == ["account_default"])
    #expect(byValue["payments"]?.count == 2)
    #expect(byValue["search"]?.first?.rawKeys == ["user:Team", "user:team"])
    #expect(byValue["data"]?.first?.status == "invalid")
    // Running again with another config replaces the month's results: no re-import needed.
    try TagResolver(policy: PolicyConfiguration()).run(on: store, month: month)
    let plain = try store.tagResolutions(in: month)
    #expect(plain.values.flatMap { $0 }.allSatisfy { $0.source == "bill" && $0.status == "valid" })
  }
}
