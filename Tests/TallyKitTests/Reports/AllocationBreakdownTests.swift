import Foundation
import Testing

@testable import TallyKit

/// `allocation.csv`: the stored allocation by team, account and service, pool shares spread
/// over what the pools held.
@Suite struct AllocationBreakdownTests {
  /// Worked by hand: each part is total × w / Σw rounded down, the leftover nanos to the largest
  /// remainders.
  @Test func signedSplitsAreExact() throws {
    // 10 × 3/2 = 15, 10 × −1/2 = −5.
    #expect(try Money.split(Money(nanos: 10), signedWeights: [3, -1]).map(\.nanos) == [15, -5])
    // Σw = −1: 7 × 2/−1 = −14, 7 × −3/−1 = 21.
    #expect(try Money.split(Money(nanos: 7), signedWeights: [2, -3]).map(\.nanos) == [-14, 21])
    // −10 / 3 = −3.33…: floors −4, −4, −4 with remainders 2, 2, 2; two nanos go back, first two.
    #expect(
      try Money.split(Money(nanos: -10), signedWeights: [1, 1, 1]).map(\.nanos) == [-3, -3, -4])
    // 4 × 10/6 = 6.67 and 4 × −4/6 = −2.67: floors 6 and −3, remainders 4 and 2; one nano left.
    #expect(try Money.split(Money(nanos: 4), signedWeights: [10, -4]).map(\.nanos) == [7, -3])
    #expect(throws: MoneyError.invalidWeights) {
      try Money.split(Money(nanos: 4), signedWeights: [2, -2])
    }
    #expect(throws: MoneyError.overflow) {
      try Money.split(Money(nanos: .max), signedWeights: [2, -1])
    }
  }

  /// A pool holding 10 in account A and a credit of −4 in account B, claimed 4 by x and 2 by y:
  /// x takes 7 and −3 (above); y what is left, 3 and −1. Rows add up to the claims, and each
  /// account to what the pool held there.
  @Test func poolSharesAreSpreadOverSignedParts() throws {
    func claim(_ team: String, _ nanos: Int64) -> AllocationCell {
      AllocationCell(
        basis: .effective, currency: "USD", team: team, step: .shared, source: "p",
        accountID: nil, accountName: nil, service: nil, amount: Money(nanos: nanos))
    }
    func part(_ account: String, _ nanos: Int64) -> PoolCell {
      PoolCell(
        basis: .effective, currency: "USD", pool: "p", accountID: account, accountName: nil,
        service: "S", amount: Money(nanos: nanos))
    }
    let breakdown = try AllocationBreakdown(
      cells: [claim("y", 2), claim("x", 4)], pools: [part("B", -4), part("A", 10)],
      unallocated: "unallocated")
    let rows = breakdown.rows.map { [$0.team, $0.accountID, String($0.shared.nanos)] }
    #expect(rows == [["x", "A", "7"], ["x", "B", "-3"], ["y", "A", "3"], ["y", "B", "-1"]])
    #expect(breakdown.rows.allSatisfy { $0.total == $0.shared && $0.direct == .zero })
  }

  /// The allocation fixture's allocation.csv, checked by two independent routes: each team's
  /// rows against a direct SQL sum of the stored allocation rows, and each account and service
  /// against a direct SQL sum of the imported cost lines (every share spread out, nothing lost).
  @Test func rowsAddUpToTheStoredTotalsAndTheBill() throws {
    let directory = try TemporaryDirectory()
    let store = try TeamPagesTests.store(in: directory)
    let root = directory.file("out")
    try MonthReport(store: store, month: TeamPagesTests.month).publish(to: root)
    let rows = try IndependentCSV.rows("\(root)/2026-10/allocation.csv")
    #expect(
      try IndependentCSV.header("\(root)/2026-10/allocation.csv")
        == [
          "basis", "team", "currency", "account_id", "account_name", "service", "direct",
          "shared", "total",
        ])

    var byTeam: [String: (direct: Int64, shared: Int64, total: Int64)] = [:]
    for row in rows {
      let key = [row["basis"], row["team"], row["currency"]].map { $0 ?? "" }.joined(separator: " ")
      let sum = byTeam[key] ?? (0, 0, 0)
      byTeam[key] = (
        sum.direct + IndependentCSV.nanos(row["direct"]),
        sum.shared + IndependentCSV.nanos(row["shared"]),
        sum.total + IndependentCSV.nanos(row["total"])
      )
    }
    var stored: [String: (direct: Int64, shared: Int64, total: Int64)] = [:]
    try store.connection.prepare(
      """
      SELECT basis, coalesce(team, 'unallocated'), currency,
        sum(CASE WHEN step IN ('tag', 'resource', 'rule') THEN amount ELSE 0 END),
        sum(CASE WHEN step = 'shared' THEN amount ELSE 0 END), sum(amount)
      FROM allocations WHERE billing_period = '2026-10' GROUP BY basis, team, currency
      """
    ).forEachRow {
      stored["\($0.text(at: 0)) \($0.text(at: 1)) \($0.text(at: 2))"] = (
        $0.int64(at: 3), $0.int64(at: 4), $0.int64(at: 5)
      )
    }
    #expect(stored.count >= 27)  // 3 bases × (7 teams and the bucket in USD, 2 teams in EUR)
    #expect(Set(byTeam.keys) == Set(stored.keys))
    for (key, sum) in stored {
      #expect(byTeam[key]?.direct == sum.direct, "\(key)")
      #expect(byTeam[key]?.shared == sum.shared, "\(key)")
      #expect(byTeam[key]?.total == sum.total, "\(key)")
    }
    // payments' share of support (15.974025974, worked out in AllocationFixtureTests) sits on
    // the one account and service the pool held.
    let support = rows.filter {
      $0["basis"] == "effective" && $0["team"] == "payments" && $0["currency"] == "USD"
        && $0["service"] == "AWS Support (Business)"
    }
    #expect(support.map { IndependentCSV.nanos($0["shared"]) } == [15_974_025_974])

    // Effective cost per account and service, from the cost lines themselves.
    var bill: [String: Int64] = [:]
    try store.connection.prepare(
      """
      SELECT l.billing_currency, a.account_id, coalesce(s.name, ''), sum(l.effective_cost)
      FROM detailed_cost_lines l
      JOIN accounts a ON a.id = coalesce(l.sub_account, l.billing_account)
      LEFT JOIN services s ON s.id = l.service
      WHERE l.billing_period = '2026-10' GROUP BY 1, 2, 3
      """
    ).forEachRow { bill["\($0.text(at: 0)) \($0.text(at: 1)) \($0.text(at: 2))"] = $0.int64(at: 3) }
    var csv: [String: Int64] = [:]
    for row in rows where row["basis"] == "effective" {
      let key = [row["currency"], row["account_id"], row["service"]].map { $0 ?? "" }
        .joined(separator: " ")
      csv[key, default: 0] += IndependentCSV.nanos(row["total"])
    }
    #expect(!bill.isEmpty)
    #expect(csv.filter { $0.value != 0 } == bill.filter { $0.value != 0 })
  }
}

/// The one pass over a month's lines behind the data-quality list and the daily chart.
@Suite struct MonthLinesTests {
  /// The days of the CUR fixture add up to the bill, summed by the independent CSV route
  /// (`ExpectedTotals`: a plain CSV splitter and Foundation's Decimal), per currency; the
  /// imports' line counts to its rows.
  @Test func daysAddUpToTheBill() throws {
    let directory = try TemporaryDirectory()
    let store = try MonthReportTests.store(in: directory)
    let lines = try store.monthLines(in: MonthReportTests.month)
    let expected = try ExpectedTotals(curFile: MonthReportTests.fixture).sums
    let october = expected.filter { $0.key.month == "2026-10" }
    #expect(!october.isEmpty)
    for (key, sums) in october {
      let days = lines.daily.filter { $0.currency == key.currency }
      #expect(days.reduce(0) { $0 + $1.cost.billed.nanos } == sums.billed, "\(key.currency)")
      #expect(days.reduce(0) { $0 + $1.cost.effective.nanos } == sums.effective)
    }
    #expect(
      lines.imports.reduce(0) { $0 + $1.lineCount } == october.values.reduce(0) { $0 + $1.rows })
    #expect(lines.daily == lines.daily.sorted { ($0.day, $0.currency) < ($1.day, $1.currency) })
  }
}
