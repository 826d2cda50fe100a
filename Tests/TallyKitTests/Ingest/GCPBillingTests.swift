import Foundation
import Testing

@testable import TallyKit

/// GCP billing export: `cost` is before credits, credits become lines of their own so that net
/// = cost + credits; the JSON-lines and CSV copies of the same rows import to the same lines.
@Suite struct GCPBillingTests {
  static let jsonLines = TestPaths.fixture("gcp/billing-export.jsonl")
  static let csv = TestPaths.fixture("gcp/billing-export-json-style.csv")

  /// By hand from the fixture: costs 1.25 + 0.000123456789 + 0.1 (tax) = 1.350123456789;
  /// credits −0.5 (CUD) − 0.125 (SUD) = −0.625; net 0.725123456789. List: 1.5 (cost_at_list)
  /// + 0.000123456789 + 0.1 = 1.600123456789. Contracted = Σ cost. 3 rows + 2 credit lines.
  static let expected = ExpectedTotals([
    ExpectedTotals.Key(month: "2024-03", currency: "USD"): ExpectedTotals.Sums(
      rows: 5, billed: 725_123_457, effective: 725_123_457, list: 1_600_123_457,
      contracted: 1_350_123_457)
  ])

  @Test(arguments: [jsonLines, csv])
  func creditsAreLinesOfTheirOwnAndTotalsAreNet(_ path: String) throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: path)
    #expect(outcome.format == (path.hasSuffix(".jsonl") ? "gcp-billing jsonl" : "gcp-billing csv"))
    #expect(outcome.source == "gcp-billing:01A2B3-C4D5E6-F7A8B9")
    #expect(try ExpectedTotals(store: store) == Self.expected)
    let credits = try store.connection.prepare(
      """
      SELECT l.x_line_item_type, l.billed_cost, c.commitment_id, s.name FROM detailed_cost_lines l
      LEFT JOIN commitment_discounts c ON c.id = l.commitment_discount
      JOIN services s ON s.id = l.service
      WHERE l.charge_category = 'Credit' ORDER BY l.id
      """)
    var seen: [String] = []
    while try credits.step() {
      seen.append(
        "\(credits.text(at: 0)) \(credits.int64(at: 1)) \(credits.optionalText(at: 2) ?? "-") "
          + credits.text(at: 3))
    }
    #expect(
      seen == [
        "COMMITTED_USAGE_DISCOUNT -500000000 projects/shop-prod/regions/us-central1/commitments/cud-1 Compute Engine",
        "SUSTAINED_USAGE_DISCOUNT -125000000 - Compute Engine",
      ])
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM detailed_cost_lines WHERE charge_category = 'Tax'")
        == 1)
  }

  /// The CSV copy is also checked by the independent route (credits found by a regular
  /// expression), which must agree with the hand-worked totals above.
  @Test func independentRouteAgreesWithTheHandWorkedTotals() throws {
    #expect(try ExpectedTotals(gcpFile: Self.csv) == Self.expected)
  }

  /// Labels, project labels (under `project:`) and system labels make one tag set, raw keys
  /// as written.
  @Test func labelsProjectLabelsAndSystemLabels() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: Self.jsonLines)
    let items = try store.connection.prepare(
      """
      SELECT i.raw_key, i.raw_value FROM tag_set_items i
      WHERE i.tag_set_id = (SELECT tag_set FROM cost_lines ORDER BY id LIMIT 1) ORDER BY i.raw_key
      """)
    var pairs: [String] = []
    while try items.step() { pairs.append("\(items.text(at: 0))=\(items.text(at: 1))") }
    #expect(
      pairs == [
        "compute.googleapis.com/machine_spec=n2-standard-4", "env=prod",
        "project:cost-center=cc-1001", "project:team=payments", "team=checkout",
      ])
  }

  /// Python `repr` (single quotes, `None`) parses like JSON.
  @Test func pythonReprCreditsParse() throws {
    let text =
      "[{'name': 'FreeTrial:Credit', 'amount': -5e-06, 'full_name': None, 'id': 'x', 'type': 'PROMOTION'}]"
    let value = try Array(text.utf8).withUnsafeBytes {
      try JSONReader.parse($0, pythonLiterals: true)
    }
    let credit = try #require(value.array?.first)
    #expect(credit["amount"]?.text == "-5e-06")
    #expect(credit["type"]?.text == "PROMOTION")
    if case .null? = credit["full_name"] {} else { Issue.record("None should read as null") }
    #expect(
      throws: JSONSyntaxError.self,
      "Python literals are not JSON"
    ) {
      try Array(text.utf8).withUnsafeBytes { try JSONReader.parse($0) }
    }
  }
}
