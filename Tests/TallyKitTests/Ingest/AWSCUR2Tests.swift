import Foundation
import Testing

@testable import TallyKit

/// AWS CUR 2.0 (Data Exports): the same lines as the legacy fixture, written in CUR 2.0's
/// columns, give the same costs; the map columns hold the tags and product attributes; a
/// Data Exports delivery (manifest, `BILLING_PERIOD=` folders, gzip parts) is one import.
@Suite struct AWSCUR2Tests {
  static let fixture = TestPaths.fixture("cur2/every-line-item-type.csv")
  static let manifest = TestPaths.fixture(
    "cur2/data-exports/my-cur2/metadata/BILLING_PERIOD=2026-10/my-cur2-Manifest.json")

  /// Billed and effective cost per line equal the legacy fixture's hand-worked values
  /// (`AWSCURMapperTests.expected`), line for line.
  @Test func effectiveCostOfEveryLineItemType() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: Self.fixture)
    #expect(outcome.format == "aws-cur 2.0")
    #expect(outcome.source == "aws-cur:000111222333")
    let rows = try store.connection.prepare(
      "SELECT billed_cost, effective_cost FROM cost_lines ORDER BY id")
    var index = 0
    while try rows.step() {
      index += 1
      let expected = try #require(AWSCURMapperTests.expected[String(format: "l%02d", index)])
      #expect(rows.int64(at: 0) == expected.billed, "billed cost of l\(index)")
      #expect(rows.int64(at: 1) == expected.effective, "effective cost of l\(index)")
    }
    #expect(index == 14)
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(curFile: Self.fixture))
  }

  /// `resource_tags` keys are kept exactly as CUR 2.0 writes them (`user_team`, `user_Team`);
  /// `product` gives the service name, operating system and tenancy; the account names come
  /// from their own columns.
  @Test func mapColumnsAndAccountNames() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: Self.fixture)
    let items = try store.connection.prepare(
      """
      SELECT i.raw_key, i.raw_value FROM detailed_cost_lines l
      JOIN tag_set_items i ON i.tag_set_id = l.tag_set WHERE l.x_usage_type = 'Requests-Tier1' ORDER BY i.raw_key
      """)
    var pairs: [String] = []
    while try items.step() { pairs.append("\(items.text(at: 0))=\(items.text(at: 1))") }
    #expect(pairs == ["user_Team=Payments", "user_team=payments"])
    let line = try store.connection.prepare(
      """
      SELECT s.name, l.x_platform, l.x_tenancy, l.x_instance_type FROM detailed_cost_lines l
      JOIN services s ON s.id = l.service WHERE l.x_usage_type = 'BoxUsage:m5.large'
      ORDER BY l.id LIMIT 1
      """)
    #expect(try line.step())
    #expect(line.text(at: 0) == "Amazon Elastic Compute Cloud")
    #expect(line.text(at: 1) == "Linux")
    #expect(line.text(at: 2) == "Shared")
    #expect(line.text(at: 3) == "m5.large")
    line.reset()
    #expect(
      try store.connection.scalarText(
        "SELECT name FROM accounts WHERE account_id = '000111222333' AND name IS NOT NULL")
        == "Example Payer")
  }

  /// The Data Exports delivery: the manifest names two gzip parts by S3 URI; they are found
  /// under `data/BILLING_PERIOD=2026-10/` beside `metadata/`, imported as one delivery, and a
  /// directory import leaves them to the manifest.
  @Test func dataExportsDeliveryThroughItsManifest() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: Self.manifest)
    #expect(outcome.format == "aws-cur 2.0")
    #expect(outcome.rowCount == 14)
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(curFile: Self.fixture))
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM import_files WHERE import_id = \(outcome.importID)") == 2)
    let paths = try expandImportPaths([TestPaths.fixture("cur2/data-exports")])
    #expect(paths.map { ($0 as NSString).lastPathComponent } == ["my-cur2-Manifest.json"])
    // The same month of the same payer from the plain CSV replaces the delivery.
    let again = try Importer(store: store).importDelivery(at: Self.fixture)
    #expect(again.status == .replaced)
  }

  @Test func headersAreToldApart() {
    let cur2 = Header(
      ["line_item_line_item_type", "line_item_unblended_cost", "resource_tags", "product"])
    let athena = Header(["line_item_line_item_type", "line_item_unblended_cost"])
    let legacy = Header(["lineItem/LineItemType", "lineItem/UnblendedCost"])
    #expect(AWSCURMapper.recognisesCUR2(cur2))
    #expect(!AWSCURMapper.recognises(cur2))
    #expect(!AWSCURMapper.recognisesCUR2(athena))
    #expect(AWSCURMapper.recognises(athena))
    #expect(AWSCURMapper.recognises(legacy))
  }
}
