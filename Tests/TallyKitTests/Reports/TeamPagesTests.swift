import Foundation
import Testing

@testable import TallyKit

/// Team pages of the allocation fixture (`allocation/two-months.csv` with `allocation/tally.yaml`,
/// worked out by hand in `AllocationFixtureTests`), against committed snapshots. Re-record them
/// with `RECORD_SNAPSHOTS=1 swift test --filter TeamPagesTests`; a recording run fails on purpose.
@Suite struct TeamPagesTests {
  static let month = BillingMonth(year: 2026, month: 10)
  static let snapshots = TestPaths.repository.appendingPathComponent(
    "Tests/TallyKitTests/Snapshots/team-pages")

  /// The fixture imported and allocated in `directory`.
  static func store(in directory: TemporaryDirectory) throws -> Store {
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("allocation/two-months.csv"))
    let configuration = try Configuration.load(from: TestPaths.fixture("allocation/tally.yaml"))
    _ = try Allocator(configuration: configuration).allocate(nil, all: false, in: store)
    return store
  }

  static func teamFiles(_ store: Store) throws -> [String: String] {
    let files = try MonthReport(store: store, month: month).files()
    return Dictionary(
      files.filter { $0.path.hasPrefix("teams/") }.map { ($0.path, $0.contents) },
      uniquingKeysWith: { first, _ in first })
  }

  @Test func matchesTheSnapshots() throws {
    let directory = try TemporaryDirectory()
    let files = try Self.teamFiles(try Self.store(in: directory))
    let chosen = ["teams/payments.html", "teams/unallocated.html"]
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try FileManager.default.createDirectory(
        at: Self.snapshots, withIntermediateDirectories: true)
      for path in chosen {
        try Data((files[path] ?? "").utf8).write(
          to: Self.snapshots.appendingPathComponent((path as NSString).lastPathComponent))
      }
      Issue.record(
        "snapshots recorded in \(Self.snapshots.path); run again without RECORD_SNAPSHOTS")
      return
    }
    for path in chosen {
      let snapshot = Self.snapshots.appendingPathComponent((path as NSString).lastPathComponent)
      let actual = try #require(files[path], "no \(path)")
      let expected = try? String(contentsOf: snapshot, encoding: .utf8)
      guard expected != actual else { continue }
      let written = directory.file((path as NSString).lastPathComponent)
      try Data(actual.utf8).write(to: URL(fileURLWithPath: written))
      Issue.record(
        "\(path) differs from its snapshot:\n\(MonthReportTests.diff(snapshot.path, written))")
    }
  }

  /// Every team of the month and the bucket has a page, linked from the month's index.
  @Test func everyTeamHasAPageLinkedFromTheIndex() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    let root = directory.file("out")
    try MonthReport(store: store, month: Self.month).publish(to: root)
    // The teams, read straight from the stored rows.
    var teams: [String] = []
    try store.connection.prepare(
      """
      SELECT DISTINCT coalesce(team, 'unallocated') FROM allocations
      WHERE billing_period = '2026-10' AND basis = 'effective'
      """
    ).forEachRow { teams.append($0.text(at: 0)) }
    #expect(
      Set(teams) == [
        "payments", "search", "platform", "data", "ml", "research", "ops",
        "unallocated",
      ])
    let pages = try FileManager.default.contentsOfDirectory(atPath: "\(root)/2026-10/teams")
    #expect(Set(pages) == Set(teams.map { "\($0).html" }))
    let index = try String(contentsOfFile: "\(root)/2026-10/index.html", encoding: .utf8)
    for team in teams { #expect(index.contains("href=\"teams/\(team).html\"")) }
  }

  /// Each page's headline totals against a direct SQL sum of the stored rows, and payments'
  /// against the hand-worked figures: USD 82 direct + 15.974025974 support + 3.333333334 tax =
  /// 101.307359308, EUR 20 + 2 = 22.
  @Test func totalsMatchTheStoredAllocation() throws {
    let directory = try TemporaryDirectory()
    let store = try Self.store(in: directory)
    let files = try Self.teamFiles(store)
    var sums: [(String, String, Int64)] = []
    try store.connection.prepare(
      """
      SELECT coalesce(team, 'unallocated'), currency, sum(amount) FROM allocations
      WHERE billing_period = '2026-10' AND basis = 'effective' GROUP BY team, currency
      """
    ).forEachRow { sums.append(($0.text(at: 0), $0.text(at: 1), $0.int64(at: 2))) }
    #expect(sums.count >= 9)
    for (team, currency, nanos) in sums {
      let page = try #require(files["teams/\(team).html"])
      let figure =
        "<span class=\"label\">Total (\(currency))</span><span class=\"value\">"
        + "\(Money(nanos: nanos).groupedCents) \(currency)</span>"
      #expect(page.contains(figure), "\(team) \(currency)")
    }
    let payments = try #require(files["teams/payments.html"])
    #expect(payments.contains("<span class=\"value\">101.31 USD</span>"))
    #expect(payments.contains("<span class=\"value\">22.00 EUR</span>"))
    // The waterfall: tag 80, the credit −5, the rule 7, the two pool shares.
    for row in ["80.00", "-5.00", "7.00", "rule payments-account", "pool support", "pool tax"] {
      #expect(payments.contains(row), "\(row)")
    }
  }

  @Test func twoRendersAreByteIdentical() throws {
    let first = try Self.teamFiles(try Self.store(in: try TemporaryDirectory()))
    let second = try Self.teamFiles(try Self.store(in: try TemporaryDirectory()))
    #expect(!first.isEmpty)
    #expect(first == second)
  }
}

/// Team names are untrusted: their file names come only through `Slug` and `ReportSlugs`.
@Suite struct SlugTests {
  static let hostile = [
    "../../etc", "a/b", ".", "..", ".hidden", "CON", "con", "Lpt1", "nul", "a\u{0}b",
    "\\windows\\system32", "日本", "中国", "Équipe", "equipe", "ops😀", "ops", "", " ",
    String(repeating: "x", count: 500), "web app", "Web-App", "web_app", "team",
  ]

  @Test func slugsAreSafeFileNames() {
    let reserved: Set<String> = Set(
      ["con", "prn", "aux", "nul"] + (1...9).flatMap { ["com\($0)", "lpt\($0)"] })
    for name in Self.hostile {
      let slug = Slug.make(name)
      // Only a-z, 0-9 and single inner dashes: no `/`, `\`, `.`, NUL, leading dot or space.
      let pieces = slug.split(separator: "-", omittingEmptySubsequences: false)
      #expect(!slug.isEmpty && slug.count <= 100, "\(name) → \(slug)")
      #expect(
        pieces.allSatisfy {
          !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        },
        "\(name) → \(slug)")
      #expect(!reserved.contains(slug), "\(name) → \(slug)")
    }
    #expect(Slug.make("../../etc") == "etc")
    #expect(Slug.make("a/b") == "a-b")
    #expect(Slug.make("Équipe") == "equipe")
    #expect(Slug.make("CON").hasPrefix("con-"))
    // Names that lose characters keep them apart by their digest.
    #expect(Slug.make("日本") != Slug.make("中国"))
    #expect(Slug.make("ops😀") != Slug.make("ops"))
  }

  @Test func slugsAreUniqueAndIndependentOfOrder() {
    let slugs = ReportSlugs(Self.hostile)
    #expect(Set(slugs.byName.values).count == Set(Self.hostile).count)
    #expect(ReportSlugs(Self.hostile.reversed()).byName == slugs.byName)
    // The first name in byte order keeps the plain slug; the others get their digest.
    #expect(slugs["Web-App"] == "web-app")
    #expect(slugs["web app"] == "web-app-\(Slug.digest("web app"))")
    #expect(slugs["Équipe"] != slugs["equipe"])
  }

  /// Teams named `../../etc` and `<script>…` (given by rules) get pages inside the report's
  /// `teams/` folder, with escaped names, and nothing is written anywhere else.
  @Test func hostileTeamsStayInsideTheReportFolder() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("allocation/two-months.csv"))
    let configuration = try Configuration(
      yaml: """
        allocation:
          by: team
          rules:
            - name: up
              when: { account: ["111100000003"] }
              team: "../../etc"
            - name: script
              when: { account: ["111100000002"] }
              team: "<script>alert(1)</script>"
        """, file: "hostile.yaml")
    _ = try Allocator(configuration: configuration).allocate(nil, all: false, in: store)
    let root = directory.file("out/reports")
    try MonthReport(store: store, month: TeamPagesTests.month).publish(to: root)
    let pages = try FileManager.default.contentsOfDirectory(atPath: "\(root)/2026-10/teams")
    // The tag values of the fixture's lines are teams too (no policy restricts them).
    #expect(
      Set(pages).isSuperset(of: ["etc.html", "script-alert-1-script.html", "unallocated.html"]))
    #expect(pages.allSatisfy { !$0.hasPrefix(".") && !$0.contains("/") })
    let page = try String(
      contentsOfFile: "\(root)/2026-10/teams/script-alert-1-script.html", encoding: .utf8)
    #expect(!page.contains("<script>alert"))
    #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    let written = FileManager.default.subpaths(atPath: directory.path) ?? []
    #expect(
      Set(written.filter { !$0.hasPrefix("out/reports") })
        .isSubset(of: ["out", "t.sqlite", "t.sqlite-wal", "t.sqlite-shm"]))
  }
}
