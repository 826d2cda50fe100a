import Foundation
import Testing

@testable import TallyKit

/// Hostile tag values and team names in report pages, charts, CSV cells and file names.
@Suite struct HostileInputTests {
  static let hostile = [
    "<script>alert(1)</script>", "\" onmouseover=\"x", "=HYPERLINK(\"http://x\")", "+1+1",
    "../../etc",
  ]

  @Test func pagesEscapeEveryValue() {
    var section = HTMLPage.Section(id: "s", heading: Self.hostile[0], text: Self.hostile[1])
    section.figures = [.init(label: Self.hostile[1], value: Self.hostile[0], note: Self.hostile[2])]
    section.tables = [
      .init(
        caption: Self.hostile[0], columns: [(Self.hostile[1], false), ("cost", true)],
        rows: Self.hostile.map {
          [.link($0, href: "teams/\(Slug.make($0)).html"), .amount(Money(nanos: 1))]
        })
    ]
    section.charts = [
      SVGChart.stackedColumns(
        title: Self.hostile[0], categories: [Self.hostile[1]],
        series: [.init(name: Self.hostile[0], values: [5])], format: { String($0) })
    ]
    let html = HTMLPage(
      title: Self.hostile[0], subtitle: Self.hostile[1],
      navigation: [(Self.hostile[0], "index.html")],
      sections: [section]
    ).rendered()
    #expect(!html.contains("<script>alert"))
    #expect(!html.contains("\" onmouseover=\"x"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("&quot; onmouseover=&quot;x"))
    // The only <script> is tally's own sorting code, and nothing is fetched from anywhere.
    #expect(html.components(separatedBy: "<script>").count == 2)
    #expect(html.contains("default-src 'none'"))
    #expect(!html.contains("src=\"http"))
    #expect(!html.contains("href=\"http"))
  }

  @Test func csvCellsAreNeutralised() {
    #expect(CSVCell.escaped("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
    #expect(CSVCell.escaped("+1+1") == "'+1+1")
    #expect(CSVCell.escaped("@SUM(A1)") == "'@SUM(A1)")
    #expect(CSVCell.escaped("\tx") == "'\tx")
    #expect(CSVCell.escaped("-12.50") == "-12.50")  // a plain negative amount stays a number
    #expect(CSVCell.escaped("-1+1") == "'-1+1")
    #expect(CSVCell.escaped("a,b") == "\"a,b\"")
  }

  @Test func slugsStayInsideTheFolder() {
    #expect(Slug.make("../../etc") == "etc")
    #expect(Slug.make("..") == "team-\(Slug.digest(".."))")
    #expect(Slug.make("Data Eng/ML") == "data-eng-ml")
    #expect(Slug.make("<script>alert(1)</script>") == "script-alert-1-script")
    let slugs = ReportSlugs(["web app", "Web-App", "web_app"])
    #expect(Set(slugs.byName.values).count == 3 && slugs["Web-App"] == "web-app")
    for name in Self.hostile {
      let slug = Slug.make(name)
      #expect(!slug.contains("/") && !slug.contains(".") && !slug.isEmpty)
    }
  }

  @Test func amountsAreGroupedForFinance() {
    #expect(Money(nanos: 12_345_675_000_000).groupedCents == "12,345.68")
    #expect(Money(nanos: -500_000_000).groupedCents == "-0.50")
    #expect(Money(nanos: 999_994_999_999).groupedCents == "999.99")
    #expect(formatPercent(0.875) == "87.5%")
  }
}

/// Publishing swaps a finished folder into place; a run that never publishes leaves the old one.
@Suite struct ReportPublisherTests {
  @Test func publishReplacesWholeFolders() throws {
    let directory = try TemporaryDirectory()
    let publisher = try ReportPublisher(root: directory.path)
    let first = try publisher.makeStagingFolder(for: "2026-10")
    try "old".write(toFile: first + "/index.html", atomically: true, encoding: .utf8)
    try "stale".write(toFile: first + "/gone.csv", atomically: true, encoding: .utf8)
    try publisher.publish(first, as: "2026-10")
    let second = try publisher.makeStagingFolder(for: "2026-10")
    try "new".write(toFile: second + "/index.html", atomically: true, encoding: .utf8)
    // Until publish, readers see the old report whole.
    #expect(
      try String(contentsOfFile: directory.file("2026-10/index.html"), encoding: .utf8) == "old")
    try publisher.publish(second, as: "2026-10")
    #expect(
      try String(contentsOfFile: directory.file("2026-10/index.html"), encoding: .utf8) == "new")
    #expect(!FileManager.default.fileExists(atPath: directory.file("2026-10/gone.csv")))
    let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(left == ["2026-10"])
  }

  @Test func abandonedStagingIsCleanedUp() throws {
    let directory = try TemporaryDirectory()
    let publisher = try ReportPublisher(root: directory.path)
    _ = try publisher.makeStagingFolder(for: "2026-10")
    publisher.removeAbandonedStaging()
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }

  /// A staging folder of another running process (pid 1 always runs) is that process's work in
  /// progress and stays; one of a process that no longer runs (a pid above Linux's largest,
  /// 4,194,304) is abandoned and goes.
  @Test func stagingOfARunningProcessIsKept() throws {
    let directory = try TemporaryDirectory()
    let publisher = try ReportPublisher(root: directory.path)
    for name in [".staging-2026-10-1-abcd1234", ".staging-2026-10-2147483646-abcd1234"] {
      try FileManager.default.createDirectory(
        atPath: directory.file(name), withIntermediateDirectories: false)
    }
    publisher.removeAbandonedStaging()
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path)
        == [".staging-2026-10-1-abcd1234"])
  }
}
