import Foundation
import Testing

@testable import TallyKit

/// The finance summary's cost by service and by account, read from the line groups each import
/// records, checked against the cost lines summed by SQL (another route to the same figures)
/// and against the fixture's hand-worked October total.
@Suite struct CostSharesTests {
  let october = BillingMonth(year: 2026, month: 10)

  func importedFixture(in directory: TemporaryDirectory) throws -> Store {
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("allocation/two-months.csv"))
    return store
  }

  /// `currency name → effective nanos` of a query over `cost_lines`.
  func sums(_ sql: String, in store: Store) throws -> [String: Int64] {
    let statement = try store.connection.prepare(sql)
    var result: [String: Int64] = [:]
    while try statement.step() {
      result["\(statement.text(at: 0)) \(statement.text(at: 1))"] = statement.int64(at: 2)
    }
    return result
  }

  @Test func sharesEqualTheLinesSummedBySQL() throws {
    let directory = try TemporaryDirectory()
    let store = try importedFixture(in: directory)
    let services = try #require(try store.costShares(by: .service, in: october))
    let byService = try sums(
      """
      SELECT c.billing_currency, coalesce(s.name, ''), sum(c.effective_cost)
      FROM detailed_cost_lines c LEFT JOIN services s ON s.id = c.service
      WHERE c.billing_period = '2026-10' GROUP BY 1, 2
      """, in: store)
    #expect(
      Dictionary(
        uniqueKeysWithValues: services.map { ("\($0.currency) \($0.name)", $0.effective.nanos) })
        == byService)
    let accounts = try #require(try store.costShares(by: .account, in: october))
    let byAccount = try sums(
      """
      SELECT c.billing_currency, a.account_id, sum(c.effective_cost)
      FROM detailed_cost_lines c
      JOIN accounts a ON a.id = coalesce(c.sub_account, c.billing_account)
      WHERE c.billing_period = '2026-10' GROUP BY 1, 2
      """, in: store)
    #expect(
      Dictionary(
        uniqueKeysWithValues: accounts.map { ("\($0.currency) \($0.name)", $0.effective.nanos) })
        == byAccount)
    // By hand from the fixture (AllocationFixtureTests): October's USD effective cost is
    // 198.000000001.
    let usd = try Money.sum(services.filter { $0.currency == "USD" }.map(\.effective))
    #expect(usd == (try Money(parsing: "198.000000001")))
    // Costliest first within a currency.
    for currency in Set(services.map(\.currency)) {
      let amounts = services.filter { $0.currency == currency }.map(\.effective)
      #expect(amounts == amounts.sorted(by: >))
    }
  }

  /// A group lost from the store makes the breakdown unavailable, said in words, rather than
  /// a table that does not add up to the bill.
  @Test func groupsThatDoNotAddUpAreNotShown() throws {
    let directory = try TemporaryDirectory()
    let store = try importedFixture(in: directory)
    try store.connection.execute(
      """
      DELETE FROM line_groups WHERE rowid =
        (SELECT max(rowid) FROM line_groups WHERE billing_period = '2026-10')
      """)
    #expect(try store.costShares(by: .service, in: october) == nil)
    let section = try MonthReport(store: store, month: october).costSharesSection(.service)
    #expect(section.text?.hasPrefix("Not available") == true)
    #expect(section.tables.isEmpty)
  }
}
