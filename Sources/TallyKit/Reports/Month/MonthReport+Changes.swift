extension MonthReport {
  /// "What changed": the deliveries the run imported or replaced and every figure that differs
  /// from the previous successful run, from the run's stored figures (nothing is recomputed,
  /// and the only time shown is the run's start as stored).
  func changesSection() -> HTMLPage.Section {
    var section = HTMLPage.Section(id: "changes", heading: "What changed")
    guard let changes, let run = changes.run else {
      section.text =
        "No run of `tally nightly` is recorded yet; each run lists here what it imported and "
        + "which totals changed."
      return section
    }
    let against = changes.previousRun.map { "run #\($0)" } ?? "no earlier run"
    let restated = changes.restatedMonths
    section.text =
      "Run #\(run.id) of tally nightly (started \(run.startedAt)) against \(against)"
      + (restated.isEmpty ? "" : "; restated months: \(restated.joined(separator: ", "))")
      + ". Team totals are on each month's allocation basis; compliance is the share of "
      + "effective cost whose tags pass the policy."
    section.tables = [
      .init(
        caption: "Deliveries imported or replaced by run #\(run.id)",
        columns: [("File", false), ("Status", false), ("Lines", true)],
        rows: changes.deliveries.map {
          [.text(Self.fileName($0.path)), .text($0.status), .number($0.lines)]
        },
        emptyText: "No new or replacing delivery."),
      .init(
        caption: "Figures that changed since \(against)",
        columns: [
          ("Figure", false), ("Team", false), ("Month", false), ("Currency", false),
          ("Before", true), ("After", true), ("Change", true),
        ],
        rows: changes.changes.map(Self.changeRow),
        emptyText: "No figure changed."),
    ]
    return section
  }

  /// One changed figure: amounts to the cent, compliance in percent (change in points).
  private static func changeRow(_ change: RunDiff.Change) -> [HTMLPage.Cell] {
    let figure =
      switch change.kind {
      case "billed": "Billed cost"
      case "effective": "Effective cost"
      case "team": "Team total"
      case "compliance": "Tag compliance"
      default: change.kind
      }
    let cells: [HTMLPage.Cell]
    if change.kind == "compliance" {
      let ratio = { (value: Int64?) in value.map { Double($0) / 1_000_000 } }
      let points = Double((change.after ?? 0) - (change.before ?? 0)) / 10_000
      cells = [
        .ratio(ratio(change.before)), .ratio(ratio(change.after)),
        HTMLPage.Cell(
          text: "\(points >= 0 ? "+" : "")\(formatPoints(points)) pts", sortKey: String(points),
          numeric: true),
      ]
    } else {
      let amount = { (value: Int64?) in value.map { HTMLPage.Cell.amount(Money(nanos: $0)) } }
      cells = [
        amount(change.before) ?? .missing, amount(change.after) ?? .missing,
        .amount(Money(nanos: (change.after ?? 0) &- (change.before ?? 0))),
      ]
    }
    return [
      .text(figure), .text(change.name), .text(change.month), .text(change.currency),
    ] + cells
  }

  /// Percentage points with one decimal: `2.5`, `-0.4`.
  private static func formatPoints(_ points: Double) -> String {
    let tenths = Int((points * 10).rounded())
    return "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10)"
  }
}
