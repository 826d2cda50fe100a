extension MonthReport {
  /// Unallocated spend per currency on the allocation's basis, and the resources it comes
  /// from: the costliest by name, the others as one row, rounded so the rows add up to the
  /// rounded total.
  func unallocatedSection() throws -> HTMLPage.Section {
    var section = HTMLPage.Section(id: "unallocated", heading: "Unallocated spend")
    guard let allocation, let unallocated else {
      section.text =
        "Not available: no allocation results are stored for \(month). Nothing here is "
        + "estimated."
      return section
    }
    let basis = allocation.run.defaultBasis
    let rows = unallocated.filter { $0.basis == basis }
    let currencies = Set(
      (allocation.teams[basis] ?? []).filter { $0.team == nil }.map(\.currency)
        + rows.map(\.currency)
    ).sorted()
    section.text =
      "Cost that no team tag, rule or shared pool claimed (\(allocation.run.unallocated)), on "
      + "the \(basis.rawValue) basis. Lines without a resource id are listed per account and "
      + "service. unallocated-resources.csv has every resource, on every basis."
      + (currencies.isEmpty ? " Every cost of \(month) reached a team." : "")
    for currency in currencies {
      let resources = rows.filter { $0.currency == currency }
      let total = try Money.sum(resources.map(\.amount))
      let bucket = try Money.sum(
        (allocation.teams[basis] ?? []).filter { $0.team == nil && $0.currency == currency }
          .map(\.total))
      guard total == bucket else {
        // An allocation stored before the bucket was kept by resource (migration 10).
        section.figures.append(
          .init(
            label: "Unallocated (\(currency))", value: "\(bucket.groupedCents) \(currency)",
            note: "not broken down by resource: run `tally allocate --month \(month)`"))
        continue
      }
      section.figures.append(
        .init(
          label: "Unallocated (\(currency))", value: "\(total.groupedCents) \(currency)",
          note: resources.count == 1
            ? "one resource or group" : "\(resources.count) resources or groups"))
      section.tables.append(try unallocatedTable(resources, currency))
    }
    return section
  }

  /// The costliest unallocated resources of one currency, the others as one row, and the total.
  private func unallocatedTable(_ resources: [UnallocatedResource], _ currency: String) throws
    -> HTMLPage.Table
  {
    try HTMLPage.Table.costliest(
      resources, limit: Self.topResources,
      caption: "Costliest unallocated resources (\(currency))",
      columns: [
        ("Resource", false), ("Account", false), ("Service", false), ("Why", false),
        ("Cost", true),
      ], emptyText: "Nothing is unallocated in \(currency).", amount: \.amount
    ) { resource in
      [
        .text(resource.resourceID ?? "(no resource id)"), .text(resource.accountID ?? ""),
        .text(resource.service), .text(Self.reason(resource.source)),
      ]
    }
  }

  /// Why an amount is unallocated, from its stored source.
  static func reason(_ source: String) -> String {
    switch source {
    case "": "no team tag, rule or pool matched"
    case "credits": "a credit (credits: unallocated)"
    default: "shared pool \(source) had no team to split over"
    }
  }

  /// `unallocated-resources.csv`: every part of the unallocated bucket, by basis, currency and
  /// then the costliest first; per basis and currency the amounts add up to the bucket.
  var unallocatedCSV: ResultTable? {
    unallocated.map { rows in
      ResultTable(
        columns: ["basis", "currency", "resource", "account", "service", "source", "amount"],
        numeric: [6],
        rows: rows.map {
          [
            $0.basis.rawValue, $0.currency, $0.resourceID ?? "", $0.accountID ?? "", $0.service,
            $0.source, $0.amount.description,
          ]
        })
    }
  }
}
