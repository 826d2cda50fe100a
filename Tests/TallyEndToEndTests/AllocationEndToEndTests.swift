import Foundation
import Testing

/// `tally allocate`, `teams`, `team` and `explain` as a user runs them, on the allocation
/// fixture of the library tests (`allocation/two-months.csv` and its `tally.yaml`, whose
/// amounts are worked out by hand in `AllocationFixtureTests`).
@Suite struct AllocationEndToEndTests {
  let directory: ScratchDirectory
  let database: String
  let config: String

  init() throws {
    directory = try ScratchDirectory()
    database = directory.file("t.sqlite")
    config = directory.file("tally.yaml")
    try FileManager.default.copyItem(
      atPath: TallyBinary.fixture("allocation/tally.yaml"), toPath: config)
    let imported = try TallyBinary.run([
      "--db", database, "--config", config, "import",
      TallyBinary.fixture("allocation/two-months.csv"),
    ])
    #expect(imported.status == 0, "\(imported.stderr)")
  }

  func tally(_ arguments: String...) throws -> TallyBinary.Result {
    try TallyBinary.run(["--db", database, "--config", config] + arguments)
  }

  @Test func allocateReportsConservationPerCurrencyAndBasis() throws {
    let result = try tally("allocate", "--format", "json")
    #expect(result.status == 0, "\(result.stderr)")
    let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    let months = try #require((document as? [String: Any])?["months"] as? [[String: Any]])
    // Two months; October has USD and EUR, September USD: 3 currencies × 3 bases.
    #expect(months.count == 9)
    #expect(months.allSatisfy { $0["conserved"] as? Bool == true })
    let again = try tally("allocate")
    #expect(again.stdout.contains("Nothing to allocate") || again.stdout.isEmpty)
  }

  /// The CSV waterfall's parts add up to its total row, which is payments' total in `teams`.
  @Test func explainAddsUpToTheTeamsTotal() throws {
    let explain = try tally("explain", "--team", "payments", "--format", "csv")
    #expect(explain.status == 0, "\(explain.stderr)")
    let rows = explain.stdout.split(separator: "\r\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    let usd = rows.filter { $0.first == "USD" }
    let parts = try usd.filter { $0[1] != "total" }.map { try TestDecimal.nanos($0[7]) }
    let total = try #require(usd.first { $0[1] == "total" })[7]
    #expect(parts.reduce(0, +) == (try TestDecimal.nanos(total)))

    let teams = try tally("teams", "--format", "json")
    let document = try JSONSerialization.jsonObject(with: Data(teams.stdout.utf8))
    let entries = try #require((document as? [String: Any])?["teams"] as? [[String: Any]])
    let payments = try #require(
      entries.first { $0["team"] as? String == "payments" && $0["currency"] as? String == "USD" })
    #expect(payments["total"] as? String == total)
    #expect(total == "101.307359308")
  }

  @Test func tableViewsRoundToCentsThatAddUp() throws {
    let teams = try tally("teams")
    #expect(teams.status == 0, "\(teams.stderr)")
    #expect(teams.stdout.contains("unallocated"))
    #expect(teams.stdout.contains("In USD, converted at EUR at 1.10"))
    let team = try tally("team", "payments", "--format", "table")
    #expect(team.status == 0)
    #expect(team.stdout.contains("i-pay2"))
    #expect(team.stdout.contains("101.31"))
  }

  @Test func mistakesExitWithCodeTwo() throws {
    let unknown = try tally("team", "paymnts")
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("did you mean \"payments\""))

    let broken = directory.file("broken.yaml")
    try "allocation:\n  rules:\n    - name: r\n      teem: x\n".write(
      toFile: broken, atomically: true, encoding: .utf8)
    let bad = try TallyBinary.run(["--db", database, "--config", broken, "allocate"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("broken.yaml:4"))
    #expect(bad.stderr.contains("did you mean \"team\""))
  }

  /// A rule edited in tally.yaml: reading commands warn that the stored allocation is from
  /// another configuration; `tally allocate` redoes it without any import.
  @Test func changingARuleAndAllocatingAgain() throws {
    #expect(try tally("allocate").status == 0)
    let text = try String(contentsOfFile: config, encoding: .utf8)
    try text.replacingOccurrences(of: "team: platform", with: "team: ops").write(
      toFile: config, atomically: true, encoding: .utf8)
    let stale = try tally("teams", "--format", "json")
    #expect(stale.stderr.contains("another configuration"))
    #expect(stale.stdout.contains("\"platform\""))
    #expect(try tally("allocate").status == 0)
    let fresh = try tally("teams", "--format", "json")
    #expect(fresh.stderr.isEmpty)
    #expect(!fresh.stdout.contains("\"platform\""))
    #expect(fresh.stdout.contains("\"ops\""))
  }

  /// `tally nightly` allocates every month it processes: the reading commands then find the
  /// stored allocation current and have nothing to say on stderr.
  @Test func nightlyStoresTheAllocation() throws {
    let scratch = try ScratchDirectory()
    try FileManager.default.copyItem(
      atPath: TallyBinary.fixture("allocation/two-months.csv"), toPath: scratch.file("bill.csv"))
    let text = try String(contentsOfFile: config, encoding: .utf8)
    try ("database: tally.sqlite\nsources:\n  - name: bills\n    paths: [\"*.csv\"]\n" + text)
      .write(toFile: scratch.file("tally.yaml"), atomically: true, encoding: .utf8)
    let nightly = try TallyBinary.run(["nightly"], in: scratch.path)
    #expect(nightly.status == 0, "\(nightly.stderr)")
    let teams = try TallyBinary.run(["teams", "--format", "json"], in: scratch.path)
    #expect(teams.status == 0)
    #expect(teams.stderr.isEmpty, "\(teams.stderr)")
    #expect(teams.stdout.contains("\"101.307359308\""))
  }
}
