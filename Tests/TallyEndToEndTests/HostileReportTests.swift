import Foundation
import Testing

/// Hostile tag values, resource ids and team names through the built binary: `tally import`
/// then `tally report` (which runs the policy and allocation stages itself, since the
/// configuration has both sections). Every HTML file must carry the escaped forms and never the
/// raw ones, every CSV cell that a spreadsheet would run as a formula must be neutralised, and
/// every file written must be inside the output folder.
@Suite struct HostileReportTests {
  static let script = "<script>alert(1)</script>"
  static let attribute = "\" onmouseover=\"x"
  static let formula = "=HYPERLINK(\"http://x\")"
  static let plus = "+1+1"
  static let traversal = "../../etc"

  /// The configuration: `team` required with any value (so every hostile value is a team),
  /// `env` required with two allowed values (so every hostile value is a violation).
  static let configuration = """
    policy:
      tags:
        - key: team
          required: true
        - key: env
          required: true
          values: [prod, staging]
    allocation:
      by: team
      cost: effective
    """

  /// One October line per hostile value, as team and env tags and (but the traversal) as the
  /// resource id, and an untagged line whose resource id is a formula, which stays unallocated.
  static func bill() throws -> String {
    var text =
      "ProviderName,BillingAccountId,SubAccountId,SubAccountName,BillingPeriodStart,"
      + "BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,"
      + "EffectiveCost,ListCost,ContractedCost,BillingCurrency,ServiceName,RegionId,ResourceId,"
      + "ResourceType,Tags\n"
    func line(resource: String, tags: [String: String], cost: Int) throws -> String {
      let json = try JSONSerialization.data(
        withJSONObject: tags, options: [.sortedKeys, .withoutEscapingSlashes])
      return [
        "AWS", "999900000000", "111100000001", "prod", "2026-10-01", "2026-11-01", "2026-10-02",
        "2026-10-03", "Usage", "\(cost)", "\(cost)", "\(cost)", "\(cost)", "USD", "Amazon EC2",
        "us-east-1", field(resource), "Instance", field(String(decoding: json, as: UTF8.self)),
      ].joined(separator: ",") + "\n"
    }
    func field(_ value: String) -> String {
      "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    text += try line(resource: "i-etc", tags: ["team": traversal, "env": "prod"], cost: 10)
    for (index, value) in [script, attribute, formula, plus].enumerated() {
      text += try line(resource: value, tags: ["team": value, "env": value], cost: 5 - index)
    }
    text += try line(resource: "@SUM(A1)", tags: [:], cost: 1)
    return text
  }

  @Test func reportsEscapeNeutraliseAndStayInsideTheFolder() throws {
    let directory = try ScratchDirectory()
    let database = directory.file("t.sqlite")
    let config = directory.file("tally.yaml")
    let bill = directory.file("bill.csv")
    let out = directory.file("out")
    try Data(Self.configuration.utf8).write(to: URL(fileURLWithPath: config))
    try Data(try Self.bill().utf8).write(to: URL(fileURLWithPath: bill))
    let imported = try TallyBinary.run(["--db", database, "--config", config, "import", bill])
    #expect(imported.status == 0, "\(imported.stderr)")
    let report = try TallyBinary.run([
      "--db", database, "--config", config, "report", "--month", "2026-10", "--out", out,
    ])
    #expect(report.status == 0, "\(report.stderr)")

    // Nothing outside the output folder: the scratch folder holds only what the test wrote,
    // the database and `out`, and no `etc` appeared beside or above it.
    let outside = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter {
        !["t.sqlite", "t.sqlite-wal", "t.sqlite-shm", "tally.yaml", "bill.csv", "out"].contains($0)
      }
    #expect(outside.isEmpty, "written outside the output folder: \(outside)")
    let parent = (directory.path as NSString).deletingLastPathComponent
    for folder in [out, directory.path, parent] {
      #expect(
        !FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("etc")))
    }
    let files = try Self.files(under: out)
    let root = URL(fileURLWithPath: out).resolvingSymlinksInPath().path + "/"
    for file in files {
      let resolved = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
      #expect(resolved.hasPrefix(root), "\(file) resolves outside \(out)")
    }

    // The stages ran (the report has the policy's and the allocation's files) and each team,
    // hostile names included, has a page whose file name is a plain slug.
    let month = (out as NSString).appendingPathComponent("2026-10")
    let names = Set(files.map { String($0.dropFirst(month.count + 1)) })
    #expect(
      names.isSuperset(of: ["index.html", "policy-violations.csv", "unallocated-resources.csv"]))
    let teamPages = names.filter { $0.hasPrefix("teams/") }
    #expect(teamPages.count >= 5, "team pages: \(teamPages.sorted())")
    for page in teamPages {
      #expect(page.range(of: #"^teams/[a-z0-9-]+\.html$"#, options: .regularExpression) != nil)
    }

    let escaped = [
      "&lt;script&gt;alert(1)&lt;/script&gt;", "&quot; onmouseover=&quot;x",
      "=HYPERLINK(&quot;http://x&quot;)", "+1+1", "../../etc",
    ]
    for file in files where file.hasSuffix(".html") {
      let html = try String(contentsOfFile: file, encoding: .utf8)
      #expect(!html.contains(Self.script), "\(file) holds a raw script tag")
      #expect(!html.contains(Self.attribute), "\(file) holds a raw attribute breaker")
      #expect(!html.contains(Self.formula), "\(file) holds the raw formula")
      // tally's own sorting script is the only script.
      #expect(html.components(separatedBy: "<script").count <= 2, "\(file)")
    }
    let index = try String(
      contentsOfFile: (month as NSString).appendingPathComponent("index.html"), encoding: .utf8)
    for form in escaped { #expect(index.contains(form), "index.html lacks \(form)") }
    // Each hostile team's name is on a team page, escaped there too; the unallocated section
    // lists the untagged resource.
    var pages: [String: String] = [:]
    for page in teamPages {
      pages[page] = try String(
        contentsOfFile: (month as NSString).appendingPathComponent(page), encoding: .utf8)
    }
    for form in escaped {
      #expect(pages.values.contains { $0.contains(form) }, "no team page shows \(form)")
    }
    #expect(index.contains("Costliest unallocated resources") && index.contains("@SUM(A1)"))

    // Every CSV cell a spreadsheet would run is neutralised; plain numbers stay numbers.
    var cells: [String] = []
    for file in files where file.hasSuffix(".csv") {
      cells += try Self.cells(String(contentsOfFile: file, encoding: .utf8))
    }
    for cell in cells {
      guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else {
        continue
      }
      #expect(
        cell.range(of: #"^-[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil,
        "a CSV cell starts a formula: \(cell)")
    }
    for neutral in ["'" + Self.formula, "'" + Self.plus, "'@SUM(A1)"] {
      #expect(cells.contains(neutral), "no CSV cell \(neutral)")
    }
  }

  /// Every regular file under `folder`, as full paths.
  static func files(under folder: String) throws -> [String] {
    let entries = FileManager.default.subpaths(atPath: folder) ?? []
    return entries.map { (folder as NSString).appendingPathComponent($0) }.filter {
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory)
        && !isDirectory.boolValue
    }
  }

  /// The cells of RFC 4180 text, read independently of tally's writer: quoted cells may hold
  /// commas, doubled quotes and line breaks.
  static func cells(_ text: String) -> [String] {
    var cells: [String] = []
    var cell = ""
    var quoted = false
    var scalars = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    while let scalar = pending ?? scalars.next() {
      pending = nil
      if quoted {
        if scalar == "\"" {
          let next = scalars.next()
          if next == "\"" {
            cell.unicodeScalars.append("\"")
          } else {
            quoted = false
            pending = next
          }
        } else {
          cell.unicodeScalars.append(scalar)
        }
      } else if scalar == "\"" && cell.isEmpty {
        quoted = true
      } else if scalar == "," || scalar == "\n" {
        cells.append(cell)
        cell = ""
      } else if scalar != "\r" {
        cell.unicodeScalars.append(scalar)
      }
    }
    return cells
  }
}
