import Foundation
import Testing

/// `tally team` and `tally teams` while `tally nightly` replaces a month: every query succeeds
/// (no SQLITE_BUSY) and prints exactly what it printed before the run or exactly what it prints
/// after it, never a mix (each reads one snapshot, and does not reallocate under the run).
@Suite struct NightlyConcurrencyTests {
  static let lines = 30_000

  /// A CUR of October with `lines` usage lines of `cost` each, the teams taking turns
  /// (payments, search, data), built from the fixture's first line.
  static func bill(cost: String) throws -> String {
    let fixture = try String(
      contentsOfFile: TallyBinary.fixture("cur/every-line-item-type.csv"), encoding: .utf8)
    let rows = fixture.split(separator: "\n")
    let template = String(rows[1])  // l01: usage of i-0aaa, 10.00 USD, team payments
    var text = String(rows[0]) + "\n"
    let teams = ["payments", "search", "data"]
    for index in 0..<lines {
      text +=
        template.replacingOccurrences(of: "l01,", with: "g\(index),")
        .replacingOccurrences(of: "i-0aaa", with: "i-\(index)")
        .replacingOccurrences(of: ",USD,10.00,", with: ",USD,\(cost),")
        .replacingOccurrences(of: ",payments,", with: ",\(teams[index % 3]),") + "\n"
    }
    return text
  }

  @Test func readersSeeTheOldOrTheNewTotalsNeverAMix() throws {
    let scratch = try ScratchDirectory()
    try FileManager.default.createDirectory(
      atPath: scratch.file("exports"), withIntermediateDirectories: true)
    try """
    database: tally.sqlite
    sources:
      - name: aws
        paths: ["exports/*.csv"]
    reports:
      out: reports
    """.write(toFile: scratch.file("tally.yaml"), atomically: true, encoding: .utf8)
    let bill = scratch.file("exports/cur.csv")
    try Self.bill(cost: "1.00").write(toFile: bill, atomically: true, encoding: .utf8)
    #expect(try TallyBinary.run(["nightly"], in: scratch.path).status == 0)
    let queries = [["team", "payments", "--format", "json"], ["teams", "--format", "json"]]
    func ask(_ arguments: [String]) throws -> TallyBinary.Result {
      try TallyBinary.run(arguments, in: scratch.path)
    }
    let old = try queries.map { try ask($0).stdout }
    // 10,000 lines of 1.00 each.
    #expect(old[0].contains("\"total\" : \"10000.00\""))

    // The month restated: every line now 2.00.
    try Self.bill(cost: "2.00").write(toFile: bill, atomically: true, encoding: .utf8)
    let nightly = try BackgroundTally(["nightly"], in: scratch.path, pausingAt: "import")
    #expect(nightly.waitForPause())
    // Stopped with the replacing delivery written but not committed: the old totals.
    for (index, query) in queries.enumerated() {
      let answer = try ask(query)
      #expect(answer.status == 0, "\(answer.stderr)")
      #expect(answer.stdout == old[index])
      #expect(answer.stderr.contains("nightly run #2"))
    }
    nightly.resume()
    var during: [(query: Int, answer: TallyBinary.Result)] = []
    while nightly.process.isRunning {
      let query = during.count % queries.count
      during.append((query, try ask(queries[query])))
    }
    let finished = nightly.finish()
    #expect(finished.status == 0, "\(finished.stderr)")
    let new = try queries.map { try ask($0).stdout }
    #expect(new[0].contains("\"total\" : \"20000.00\""))
    #expect(!during.isEmpty)
    for (query, answer) in during {
      #expect(answer.status == 0, "\(answer.stderr)")
      #expect(answer.stdout == old[query] || answer.stdout == new[query], "\(answer.stdout)")
    }
  }
}
