import Foundation
import Testing

@testable import TallyKit

/// A malformed file of each new format fails with an InputError naming the file, the line and
/// (for CSV) the column, and leaves the database byte for byte as it was.
@Suite struct MalformedInputTests {
  /// One damaged file: the fixture it starts from, the damage, and where the error must point.
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var fixture: String
    /// Which line (0-based, header = 0) to change, and the text to replace on it.
    var line: Int
    var replace: String
    var with: String
    var expectedLine: Int
    /// The column name the error names (nil: none, or only the file and line).
    var column: String?
    var message: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "cur2 bad JSON in resource_tags", fixture: "cur2/every-line-item-type.csv", line: 1,
      replace: #"""user_team"":""payments"""#, with: #"""user_team"":payments"#, expectedLine: 2,
      column: "resource_tags", message: "bad JSON in the tags"),
    Case(
      name: "cur2 missing column", fixture: "cur2/every-line-item-type.csv", line: 0,
      replace: "line_item_usage_start_date", with: "line_item_usage_start", expectedLine: 1,
      column: nil, message: "missing required AWS CUR column line_item_usage_start_date"),
    Case(
      name: "cur2 bad date", fixture: "cur2/every-line-item-type.csv", line: 2,
      replace: "2026-10-01T01:00:00.000Z,2026-10-01T00:00:00.000Z",
      with: "2026-10-01T01:00:00.000Z,2026-10-01T25:00:00.000Z", expectedLine: 3,
      column: "line_item_usage_start_date", message: "expected a timestamp"),
    Case(
      name: "cur bad date after lines with the good one", fixture: "cur/every-line-item-type.csv",
      line: 3, replace: "SavingsPlanNegation,2026-10-01T00:00:00Z,",
      with: "SavingsPlanNegation,2026-10-01T00:00:00Y,", expectedLine: 4,
      column: "lineItem/UsageStartDate", message: "expected a timestamp"),
    Case(
      name: "cur bad quantity", fixture: "cur/every-line-item-type.csv", line: 2,
      replace: "i-0bbb,1,USD", with: "i-0bbb,1.5e,USD", expectedLine: 3,
      column: "lineItem/UsageAmount", message: "expected a number, found \"1.5e\""),
    Case(
      name: "azure bad JSON in Tags", fixture: "azure/EA_ActualCost_Small.csv", line: 2,
      replace: #"""CostCenter"": ""1234"""#, with: #"""CostCenter"" ""1234"""#, expectedLine: 3,
      column: "Tags", message: "bad JSON in the tags"),
    Case(
      name: "azure missing column", fixture: "azure/EA_ActualCost_Small.csv", line: 0,
      replace: ",BillingCurrency,", with: ",Currencies,", expectedLine: 1, column: nil,
      message: "missing required Azure cost details column BillingCurrency"),
    Case(
      name: "azure bad date", fixture: "azure/EA_ActualCost_Small.csv", line: 1,
      replace: ",09/21/2023,", with: ",21/09/2023,", expectedLine: 2, column: "Date",
      message: "expected a date such as 09/30/2023"),
    Case(
      name: "gcp bad labels", fixture: "gcp/koku-gcp-202011_2020-11-08_2020-11-11.csv", line: 4,
      replace: "'goog-resource-type', 'value'", with: "'goog-resource-type' 'value'",
      expectedLine: 5, column: "labels", message: "bad JSON in the labels"),
    Case(
      name: "gcp missing column", fixture: "gcp/koku-gcp-202011_2020-11-08_2020-11-11.csv",
      line: 0, replace: "usage_end_time", with: "usage_end", expectedLine: 1, column: nil,
      message: "missing required GCP billing export column usage_end_time"),
    Case(
      name: "gcp bad date", fixture: "gcp/koku-gcp-202011_2020-11-08_2020-11-11.csv", line: 3,
      replace: "2020-11-10 11:00:00+00:00,2020-11-10 12:00:00",
      with: "2020-11-10 11:00:00+00:00,2020-11-10 24:00:00", expectedLine: 4,
      column: "usage_end_time", message: "expected a timestamp"),
    Case(
      name: "gcp jsonl bad JSON", fixture: "gcp/billing-export.jsonl", line: 1,
      replace: #""cost":0.000123456789,"#, with: #""cost":0.000123456789,,"#, expectedLine: 2,
      column: nil, message: "bad JSON"),
    Case(
      name: "gcp jsonl bad date", fixture: "gcp/billing-export.jsonl", line: 2,
      replace: "2024-03-31 00:00:00 UTC", with: "2024-03-31 00:00 UTC later", expectedLine: 3,
      column: "usage_start_time", message: "expected a timestamp"),
    Case(
      name: "get-resources bad JSON", fixture: "inventory/get-resources-page-2.json", line: 3,
      replace: #""Tags": ["#, with: #""Tags": [,"#, expectedLine: 4, column: nil,
      message: "bad JSON"),
    Case(
      name: "generic inventory bad tags", fixture: "inventory/generic.csv", line: 1,
      replace: #"""team"":""search"""#, with: #"""team"":search"#, expectedLine: 2,
      column: "tags_json", message: "bad JSON in the tags"),
  ]

  @Test(arguments: cases)
  func malformedFileFailsAndChangesNothing(_ damage: Case) throws {
    let directory = try TemporaryDirectory()
    let database = directory.file("t.sqlite")
    do {
      let store = try Store(path: database)
      _ = try Importer(store: store).importDelivery(
        at: TestPaths.fixture("focus/old-names-and-quirks.csv"))
      _ = try Importer(store: store).importDelivery(
        at: TestPaths.fixture("inventory/config-snapshot.json"))
    }
    let before = try Data(contentsOf: URL(fileURLWithPath: database))

    let source = try String(contentsOfFile: TestPaths.fixture(damage.fixture), encoding: .utf8)
    var lines = source.components(separatedBy: "\n")
    try #require(
      lines[damage.line].contains(damage.replace), "the damage must apply to the fixture")
    lines[damage.line] = lines[damage.line].replacingOccurrences(
      of: damage.replace, with: damage.with)
    let bad = directory.file(
      "bad-" + ((damage.fixture as NSString).lastPathComponent))
    try lines.joined(separator: "\n").write(toFile: bad, atomically: true, encoding: .utf8)

    let error = try #require(throws: InputError.self) {
      let store = try Store(path: database)
      _ = try Importer(store: store).importDelivery(at: bad)
    }
    #expect(error.location.file == bad)
    #expect(error.location.line == damage.expectedLine, "\(error)")
    #expect(error.message.contains(damage.message), "\(error)")
    if let column = damage.column {
      #expect(error.location.columnName?.hasPrefix(column) == true, "\(error)")
      if bad.hasSuffix(".csv") {
        // The column number is the field's position in the header.
        let header = try #require(try IndependentCSV.header(bad))
        #expect(error.location.column == (header.firstIndex(of: column) ?? -2) + 1)
      }
    } else if !bad.hasSuffix(".json") && !bad.hasSuffix(".jsonl") {
      #expect(error.location.column == nil, "\(error)")
    }
    let after = try Data(contentsOf: URL(fileURLWithPath: database))
    #expect(after == before, "the database changed after a failed import")
  }
}
