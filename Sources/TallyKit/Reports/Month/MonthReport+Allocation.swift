/// The stored allocation results a month report shows: the run's settings, every team's totals
/// per basis, and the six months ending with the reported one (for the trend chart).
struct AllocationInputs {
  var run: AllocationRunRecord
  /// Team totals of the month per cost basis.
  var teams: [CostBasis: [TeamTotal]]
  /// Team totals on the run's basis, per month, oldest first: the six months ending with the
  /// reported one (months never allocated have none).
  var history: [(month: BillingMonth, teams: [TeamTotal])]

  /// The month's stored allocation; nil when the month was never allocated.
  init?(store: Store, month: BillingMonth) throws {
    guard let run = try store.allocationRun(of: month) else { return nil }
    self.run = run
    var teams: [CostBasis: [TeamTotal]] = [:]
    for basis in CostBasis.allCases { teams[basis] = try store.teamTotals(in: month, basis: basis) }
    self.teams = teams
    let months = MonthReport.sixMonths(endingWith: month)
    history = try months.map { ($0, try store.teamTotals(in: $0, basis: run.defaultBasis)) }
  }

  /// A team's display name: the bucket's name for unallocated cost.
  func name(_ total: TeamTotal) -> String { total.team ?? run.unallocated }
}

extension MonthReport {
  /// Cost by team on the run's basis, per currency: rounded rows that add up to the rounded
  /// total, the previous month's total and the difference, the reconciliation with the bill,
  /// and a six-month chart.
  func allocationSection() throws -> HTMLPage.Section {
    var section = HTMLPage.Section(id: "allocation", heading: "Cost by team")
    guard let allocation else {
      section.text =
        "Not available: no allocation results are stored for \(month), so cost by team, "
        + "service and account, unallocated spend and the reconciliation of allocated plus "
        + "unallocated cost with the bill are not shown. Nothing here is estimated."
      return section
    }
    let basis = allocation.run.defaultBasis
    section.text =
      "Allocated on the \(basis.rawValue) basis by the tag \(allocation.run.byKey); "
      + "\(allocation.run.unallocated) holds the cost no rule claimed. Rows are rounded so that "
      + "they add up to the rounded total."
    let current = allocation.teams[basis] ?? []
    let previous = allocation.history.dropLast().last?.teams ?? []
    for currency in Set(current.map(\.currency)).sorted() {
      let rows = current.filter { $0.currency == currency }
      let direct = Money.roundedPreservingTotal(rows.map(\.direct), fractionDigits: 2)
      let shared = Money.roundedPreservingTotal(rows.map(\.shared), fractionDigits: 2)
      let total = Money.roundedPreservingTotal(rows.map(\.total), fractionDigits: 2)
      var cells: [[HTMLPage.Cell]] = []
      for (index, row) in rows.enumerated() {
        let before = previous.first { $0.team == row.team && $0.currency == currency }?.total
        let name = allocation.name(row)
        cells.append([
          teamPages.map { .link(name, href: "teams/\($0.slugs[name]).html") } ?? .text(name),
          .amount(direct[index]), .amount(shared[index]),
          .amount(total[index]), before.map(HTMLPage.Cell.amount) ?? .missing,
          .amount(try row.total.subtracting(before ?? .zero)),
        ])
      }
      let allocated = try Money.sum(rows.filter { $0.team != nil }.map(\.total))
      let unallocated = try Money.sum(rows.filter { $0.team == nil }.map(\.total))
      let bill = billTotal(currency: currency, basis: basis)
      let difference = try bill.subtracting(try allocated.adding(unallocated))
      section.figures.append(
        .init(
          label: "Reconciliation (\(currency), \(basis.rawValue))",
          value: "\(allocated.groupedCents) + \(unallocated.groupedCents) = \(bill.groupedCents)",
          note: difference == .zero
            ? "allocated + unallocated = bill, to the nano"
            : "differs from the bill by \(difference.description) \(currency)"))
      section.tables.append(
        .init(
          caption: "Cost by team (\(currency)), \(month) against \(month.previous)",
          columns: [
            ("Team", false), ("Direct", true), ("Shared", true), ("Total", true),
            ("Total \(month.previous)", true), ("Δ total", true),
          ], rows: cells,
          footer: [
            [
              .text("Total"), .amount(try Money.sum(direct)), .amount(try Money.sum(shared)),
              .amount(try Money.sum(total)), .text(""), .text(""),
            ]
          ]))
      section.charts.append(trendChart(allocation, currency: currency))
    }
    return section
  }

  /// The month's bill in `currency` on `basis`, from the stored month totals.
  private func billTotal(currency: String, basis: CostBasis) -> Money {
    guard let period = totals.first(where: { $0.month == month && $0.currency == currency })
    else { return .zero }
    switch basis {
    case .billed: return period.totals.billed
    case .effective: return period.totals.effective
    case .list: return period.totals.list
    }
  }

  /// Stacked columns: each team's total per month over the six months, in one currency.
  private func trendChart(_ allocation: AllocationInputs, currency: String) -> String {
    let names = Set(
      allocation.history.flatMap {
        $0.teams.filter { $0.currency == currency }.map(allocation.name)
      }
    ).sorted()
    let series = names.map { name in
      SVGChart.Series(
        name: name,
        values: allocation.history.map { entry in
          entry.teams.first { allocation.name($0) == name && $0.currency == currency }?.total.nanos
        })
    }
    return SVGChart.stackedColumns(
      title: "Cost by team per month (\(currency))",
      categories: allocation.history.map(\.month.description), series: series,
      format: { Money(nanos: $0).groupedCents })
  }
}
