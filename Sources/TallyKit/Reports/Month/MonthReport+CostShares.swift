/// A month's cost by service or account, with the previous month's for the difference.
struct CostShares {
  /// This month's, costliest first within each currency.
  var current: [CostShare]
  /// The previous month's; nil when its line groups do not add up to its bill.
  var previous: [CostShare]?

  /// Reads both months; nil when this month's line groups do not add up to its bill.
  init?(store: Store, by dimension: CostDimension, month: BillingMonth) throws {
    guard let current = try store.costShares(by: dimension, in: month) else { return nil }
    self.current = current
    previous = try store.costShares(by: dimension, in: month.previous)
  }
}

extension MonthReport {
  /// How many services or accounts a table names before folding the rest into one row.
  static let topShares = 15

  /// "Cost by service" or "Cost by account": effective cost per currency, costliest first,
  /// against the previous month; rounded so that the rows add up to the rounded total.
  func costSharesSection(_ dimension: CostDimension) throws -> HTMLPage.Section {
    let (id, heading, noun) =
      switch dimension {
      case .service: ("services", "Cost by service", "service")
      case .account: ("accounts", "Cost by account", "usage account")
      }
    var section = HTMLPage.Section(id: id, heading: heading)
    guard let shares = dimension == .service ? serviceShares : accountShares else {
      section.text =
        "Not available: the stored line groups of \(month) do not add up to its bill (a store "
        + "upgraded from before schema version 8 records them again when `tally check` or "
        + "`tally allocate` next reads the month). Nothing here is estimated."
      return section
    }
    let previous = month.previous
    section.text =
      "Effective cost per \(noun), costliest first, against \(previous); the "
      + "\(Self.topShares) costliest by name, the others as one row."
    for currency in Set(shares.current.map(\.currency)).sorted() {
      let before = shares.previous.map { rows in
        Dictionary(
          rows.filter { $0.currency == currency }.map { ($0.name, $0.effective) },
          uniquingKeysWith: { first, _ in first })
      }
      var columns: [(name: String, numeric: Bool)] = [
        (dimension == .service ? "Service" : "Account", false)
      ]
      if dimension == .account { columns.append(("Name", false)) }
      columns += [
        ("Effective \(previous)", true), ("Δ effective", true), ("Effective \(month)", true),
      ]
      section.tables.append(
        try HTMLPage.Table.costliest(
          shares.current.filter { $0.currency == currency }, limit: Self.topShares,
          caption: "\(heading) (\(currency)), \(month) against \(previous)", columns: columns,
          emptyText: "No cost in \(currency).", amount: \.effective
        ) { (share) throws(MoneyError) in
          var cells: [HTMLPage.Cell] = [.text(share.name.isEmpty ? "(no \(noun))" : share.name)]
          if dimension == .account { cells.append(.text(share.label)) }
          guard let before else { return cells + [.missing, .missing] }
          let earlier = before[share.name]
          return cells + [
            earlier.map(HTMLPage.Cell.amount) ?? .missing,
            .amount(try share.effective.subtracting(earlier ?? .zero)),
          ]
        })
    }
    return section
  }
}
