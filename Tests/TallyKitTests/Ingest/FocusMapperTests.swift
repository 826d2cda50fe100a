import Foundation
import Testing

@testable import TallyKit

/// `focus/old-names-and-quirks.csv`: FOCUS 0.5 names (AmortizedCost, ChargeType, Region,
/// UsageQuantity), literal NULLs, timestamps with a space and no Z, a Tags object with keys
/// that differ by case and by a leading space, a valueless tag, a number, an extra column.
@Suite struct FocusMapperTests {
  @Test func oldNamesAndQuirks() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("focus/old-names-and-quirks.csv"))
    #expect(outcome.format == "focus 0.5")
    // By hand: EUR billed 12.5 + 0.12 = 12.62, effective 11.25 + 0.12 = 11.37, list 13 + NULL = 13,
    // contracted 12.75 + NULL = 12.75; USD billed 1 nano, effective 0.5 nano → 0 (half-even).
    let totals = try store.monthTotals()
    #expect(totals.map(\.month.description) == ["2026-09", "2026-09"])
    let eur = try #require(totals.first { $0.currency == "EUR" })
    #expect(eur.rowCount == 2)
    #expect(eur.totals.billed.nanos == 12_620_000_000)
    #expect(eur.totals.effective.nanos == 11_370_000_000)
    #expect(eur.totals.list.nanos == 13_000_000_000)
    #expect(eur.totals.contracted.nanos == 12_750_000_000)
    let usd = try #require(totals.first { $0.currency == "USD" })
    #expect(usd.totals.billed.nanos == 1)
    #expect(usd.totals.effective.nanos == 0)

    let tags = try store.connection.prepare(
      """
      SELECT i.raw_key, i.raw_value FROM tag_set_items i
      WHERE i.tag_set_id = (SELECT tag_set FROM cost_lines ORDER BY id LIMIT 1) ORDER BY i.raw_key
      """)
    var pairs: [String] = []
    try tags.forEachRow { pairs.append("\($0.text(at: 0))=\($0.text(at: 1))") }
    #expect(pairs == [" org=x", "Team=Payments", "env=", "size=500", "team=payments"])

    // NULL is null, not the text "NULL"; 2026-09-03 00:00:00 is UTC midnight.
    #expect(
      try store.connection.scalarInt64("SELECT count(*) FROM cost_lines WHERE sub_account IS NULL")
        == 2)
    #expect(
      try store.connection.scalarInt64("SELECT count(*) FROM services WHERE name = 'NULL'") == 0)
    #expect(
      try store.connection.scalarInt64(
        "SELECT charge_period_start FROM cost_lines ORDER BY id LIMIT 1")
        == Int64(Timestamp(year: 2026, month: 9, day: 3).secondsSinceEpoch))
    #expect(
      try store.connection.scalarText("SELECT account_id FROM accounts ORDER BY id LIMIT 1")
        == "000042")
  }
}
