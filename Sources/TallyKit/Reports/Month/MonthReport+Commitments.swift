import Foundation

extension MonthReport {
  /// How many recommendations the section lists and charts; `recommendations.csv` has them all.
  static let shownRecommendations = 10

  /// The stored commitment results: owned commitments' utilisation and unused cost per
  /// currency (rounded rows that add up to the rounded totals), what ends in the next twelve
  /// months, the top recommendations by estimated savings (their savings curves follow in
  /// ``savingsCurvesSection()``).
  func commitmentsSection() throws -> HTMLPage.Section {
    var section = HTMLPage.Section(id: "commitments", heading: "Commitments")
    guard let commitments else {
      section.text =
        "Not available: no commitment results are stored for \(month), so owned commitments' "
        + "utilisation and the recommendations are not shown. The commitments stage of "
        + "`tally nightly` stores them (so does `tally report` when tally.yaml has a "
        + "`commitments` section). Nothing here is estimated."
      return section
    }
    section.text =
      "Commitments owned in \(month) (those with lines in its bill), and what to buy: sized on "
      + "up to \(commitments.lookbackDays) days of hourly usage ending with \(month), for a "
      + "\(commitments.term.rawValue) \(commitments.payment.rawValue) term. Savings are "
      + "estimates per month of 730 hours; the savings curves below show them from 50 % to "
      + "150 % of each recommended level. All rows are in owned-commitments.csv and "
      + "recommendations.csv."
    let owned = commitments.owned?.commitments ?? []
    for currency in Set(owned.map(\.currency)).sorted() {
      try appendOwned(owned.filter { $0.currency == currency }, currency: currency, to: &section)
    }
    if owned.isEmpty {
      section.tables.append(
        .init(
          caption: "Commitments owned in \(month)", columns: [("Commitment", false)], rows: [],
          emptyText: "The bill of \(month) shows no reservation, savings plan or CUD."))
    }
    if let calendar = commitments.owned?.expiryCalendar, !calendar.isEmpty {
      section.tables.append(
        .init(
          caption: "Commitments ending in the twelve months from \(month)",
          columns: [
            ("Month", false), ("Currency", false), ("Ending", true), ("Monthly cost", true),
            ("On-demand equivalent", true),
          ],
          rows: calendar.map {
            [
              .text($0.month.description), .text($0.currency), .number($0.commitments.count),
              .amount($0.monthlyCost), .amount($0.coveredOnDemandCost),
            ]
          }))
    }
    try appendRecommendations(commitments, to: &section)
    return section
  }

  /// A currency's owned commitments: a table and headline figures.
  private func appendOwned(
    _ rows: [OwnedCommitment], currency: String, to section: inout HTMLPage.Section
  ) throws {
    let used = Money.roundedPreservingTotal(rows.map(\.usedCost), fractionDigits: 2)
    let unused = Money.roundedPreservingTotal(rows.map(\.unusedCost), fractionDigits: 2)
    let savings = Money.roundedPreservingTotal(rows.map(\.netSavings), fractionDigits: 2)
    let usedTotal = try Money.sum(rows.map(\.usedCost))
    let unusedTotal = try Money.sum(rows.map(\.unusedCost))
    let cost = try usedTotal.adding(unusedTotal)
    section.figures.append(
      .init(
        label: "Unused commitment cost (\(currency))",
        value: "\(unusedTotal.groupedCents) \(currency)",
        note: cost.nanos > 0
          ? "utilisation \(formatPercent(usedTotal.units / cost.units)) of \(cost.groupedCents)"
          : nil))
    section.tables.append(
      .init(
        caption: "Commitments owned in \(month) (\(currency))",
        columns: [
          ("Commitment", false), ("Type", false), ("Ends", false), ("Utilisation", true),
          ("Coverage", true), ("Used", true), ("Unused", true), ("Net savings", true),
        ],
        rows: rows.enumerated().map { index, item in
          [
            .text(item.id), .text(item.type),
            .text(item.end.map { String($0.description.prefix(10)) } ?? "not in the bill"),
            .ratio(item.utilization), .ratio(item.coverage), .amount(used[index]),
            .amount(unused[index]), .amount(savings[index]),
          ]
        },
        footer: [
          [
            .text("Total"), .text(""), .text(""), .text(""), .text(""),
            .amount(try Money.sum(used)), .amount(try Money.sum(unused)),
            .amount(try Money.sum(savings)),
          ]
        ]))
  }

  /// The top recommendations by estimated monthly savings and the recommender's notes.
  private func appendRecommendations(
    _ commitments: CommitmentReport, to section: inout HTMLPage.Section
  ) throws {
    let ranked = rankedRecommendations
    let top = Array(ranked.prefix(Self.shownRecommendations))
    for currency in Set(commitments.recommendations.map(\.currency)).sorted() {
      let savings = try Money.sum(
        commitments.recommendations.filter { $0.currency == currency }.map(
          \.estimate.monthlySavings))
      section.figures.append(
        .init(
          label: "Estimated savings per month (\(currency))",
          value: "\(savings.groupedCents) \(currency)",
          note: "buying every recommendation below"))
    }
    let more = ranked.count - top.count
    section.tables.append(
      .init(
        caption: "Recommendations by estimated savings"
          + (more > 0 ? " (top \(top.count); \(more) more in recommendations.csv)" : ""),
        columns: [
          ("Kind", false), ("Buy", false), ("For", false), ("Currency", false),
          ("Discount", true), ("Savings per month", true), ("Utilisation", true),
          ("Coverage", true), ("Break-even (months)", true),
        ],
        rows: top.map { item in
          [
            .text(item.kind.rawValue), .text(item.purchaseText), .text(item.scopeText),
            .text(item.currency), .ratio(item.discount), .amount(item.estimate.monthlySavings),
            .ratio(item.estimate.utilization), .ratio(item.estimate.coverage),
            item.estimate.breakEvenMonths.map {
              HTMLPage.Cell(text: String(format: "%.1f", $0), sortKey: String($0), numeric: true)
            } ?? .text("never"),
          ]
        },
        emptyText: "Nothing to buy: no commitment would save money over the window."))
    let remarks =
      commitments.notes
      + commitments.recommendations.compactMap { item in
        item.staleDataGuard.map { "\(item.purchaseText) \(item.scopeText): \($0.reason)" }
      }
    if !remarks.isEmpty {
      section.tables.append(
        .init(
          caption: "Notes from the recommender", columns: [("Note", false)],
          rows: remarks.map { [.text($0)] }))
    }
  }

  /// The top recommendations' savings curves, after the commitments section's tables; nil
  /// when there is no recommendation to chart.
  func savingsCurvesSection() -> HTMLPage.Section? {
    let top = rankedRecommendations.prefix(Self.shownRecommendations)
    guard !top.isEmpty else { return nil }
    var section = HTMLPage.Section(
      id: "savings-curves", heading: "Savings curves",
      text:
        "Estimated net savings per month against the level bought, from 50 % to 150 % of each "
        + "recommended level (100 %), in the order of the recommendations above. Levels are "
        + "rounded to what can be bought, so neighbouring points can be equal.")
    section.charts = top.map(savingsCurve)
    return section
  }

  /// The stored recommendations by estimated monthly savings, highest first (ties in the
  /// recommender's order).
  private var rankedRecommendations: [Recommendation] {
    (commitments?.recommendations ?? []).enumerated().sorted {
      ($1.element.estimate.monthlySavings, $0.offset) < (
        $0.element.estimate.monthlySavings, $1.offset
      )
    }.map(\.element)
  }

  /// Net savings per month against the level bought, from 50 % to 150 % of the recommended one.
  private func savingsCurve(_ item: Recommendation) -> String {
    SVGChart.lines(
      title: "Savings curve: \(item.purchaseText), \(item.scopeText)",
      categories: item.savingsCurve.map { point in
        "\(Int((point.fraction * 100).rounded()))%"
      },
      series: [
        .init(
          name: "Net savings (\(item.currency)/month)",
          values: item.savingsCurve.map(\.monthlySavings.nanos))
      ], format: { Money(nanos: $0).groupedCents })
  }
}
