import Foundation

/// The report of one month, assembled from what the store holds: no computation of its own
/// beyond differences with the previous month and per-day normalisation. The same store gives
/// byte-identical files: rows are sorted, and nothing records when the report was made.
///
/// Sections for stages whose results are not stored (allocation, tag policy, commitments) say
/// so in words; they never show estimated figures.
public struct MonthReport {
  /// The month reported.
  public let month: BillingMonth
  let totals: [PeriodTotals]
  private let imports: [MonthImport]
  /// Cost per day of the month's lines, for the daily trend.
  let daily: [DailyCost]
  /// The stored allocation of the month, nil when the month was never allocated.
  let allocation: AllocationInputs?
  /// The month's stored tag-policy results, nil when the month has no current evaluation.
  let policy: PolicyInputs?
  /// The month's unallocated bucket by resource, nil when the month was never allocated.
  let unallocated: [UnallocatedResource]?
  /// The stored commitment results of the month, nil when the stage never ran for it.
  let commitments: CommitmentReport?
  /// The stored allocation by team, account and service, when the month was allocated.
  let breakdown: AllocationBreakdown?
  /// The teams' pages, when the month was allocated.
  let teamPages: TeamPages?
  /// What the nightly run behind the report changed; nil when no run is recorded.
  let changes: RunDiff?
  /// Cost by service and by usage account; nil when the line groups do not add up to the bill.
  let serviceShares: CostShares?
  let accountShares: CostShares?

  /// Reads the month's inputs from the store; `changes` is the diff of the nightly run that
  /// publishes the report (by default the stored diff of the latest successful run).
  public init(store: Store, month: BillingMonth, changes: RunDiff? = nil) throws {
    self.month = month
    totals = try store.monthTotals()
    (imports, daily) = try store.monthLines(in: month)
    allocation = try AllocationInputs(store: store, month: month)
    policy = try PolicyInputs(store: store, month: month)
    unallocated = allocation == nil ? nil : try store.unallocatedResources(in: month)
    commitments = try store.commitmentResults(of: month)
    breakdown = try allocation.map {
      try AllocationBreakdown(store: store, month: month, unallocated: $0.run.unallocated)
    }
    teamPages = try allocation.map { try TeamPages(store: store, allocation: $0) }
    self.changes = try changes ?? RunDiff.latest(in: store)
    serviceShares = try CostShares(store: store, by: .service, month: month)
    accountShares = try CostShares(store: store, by: .account, month: month)
  }

  /// The latest month with cost lines; nil for an empty store.
  public static func latestMonth(in store: Store) throws -> BillingMonth? {
    try store.monthTotals().map(\.month).max()
  }

  /// The files of the month's folder: paths relative to it, and their contents.
  public func files() throws -> [(path: String, contents: String)] {
    let tables = try csvFiles()
    var files = tables + [("index.html", try indexPage(csvNames: tables.map(\.path)).rendered())]
    if let allocation, let breakdown, let teamPages {
      files += try teamPages.files(allocation: allocation, breakdown: breakdown)
    }
    return files
  }

  /// The month's CSV files, in the order the page's header links them: those of the stages
  /// whose results are stored.
  private func csvFiles() throws -> [(path: String, contents: String)] {
    var files = [
      ("month-totals.csv", try totalsTable().renderedAsCSV()),
      ("imports.csv", importsTable.renderedAsCSV()),
    ]
    if let breakdown { files.append(("allocation.csv", breakdown.table.renderedAsCSV())) }
    if let unallocatedCSV {
      files.append(("unallocated-resources.csv", unallocatedCSV.renderedAsCSV()))
    }
    if let policy {
      files.append(("policy-violations.csv", policy.violationsTable.renderedAsCSV()))
    }
    if let commitments {
      let output = RecommendOutput(commitments)
      files.append(("owned-commitments.csv", output.ownedCommitmentsTable().renderedAsCSV()))
      files.append(("recommendations.csv", output.recommendationsTable().renderedAsCSV()))
    }
    return files
  }

  /// Writes the month's folder under `root` in full, swaps it into place as `root/YYYY-MM`,
  /// then rewrites `root/index.html`, the list of published months, the same way.
  /// - Returns: the path of the month's `index.html`.
  @discardableResult
  public func publish(to root: String) throws -> String {
    let publisher = try ReportPublisher(root: root)
    publisher.removeAbandonedStaging()
    let staging = try publisher.makeStagingFolder(for: month.description)
    for file in try files() {
      let path = (staging as NSString).appendingPathComponent(file.path)
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path))
    }
    PausePoint.reach("report")
    try publisher.publish(staging, as: month.description)
    try MonthIndex.publish(with: publisher)
    return ((root as NSString).appendingPathComponent(month.description) as NSString)
      .appendingPathComponent("index.html")
  }

  // MARK: - Inputs by currency

  private struct Comparison {
    var currency: String
    var current: PeriodTotals?
    var previous: PeriodTotals?
  }

  /// One row per currency of this month or the previous one, sorted by currency.
  private var comparisons: [Comparison] {
    let current = totals.filter { $0.month == month }
    let previous = totals.filter { $0.month == month.previous }
    let currencies = Set(current.map(\.currency) + previous.map(\.currency)).sorted()
    return currencies.map { currency in
      Comparison(
        currency: currency, current: current.first { $0.currency == currency },
        previous: previous.first { $0.currency == currency })
    }
  }

  /// The six months of the trend charts, oldest first, ending with `month`.
  static func sixMonths(endingWith month: BillingMonth) -> [BillingMonth] {
    var months = [month]
    while months.count < 6 { months.insert(months[0].previous, at: 0) }
    return months
  }

  /// Days in a month (calendar).
  static func days(in month: BillingMonth) -> Int64 {
    Timestamp.daysFromCivil(year: month.next.year, month: month.next.month, day: 1)
      - Timestamp.daysFromCivil(year: month.year, month: month.month, day: 1)
  }

  /// An amount per day of `month`, truncated to whole nanos.
  static func perDay(_ amount: Money, in month: BillingMonth) -> Money {
    Money(nanos: amount.nanos / days(in: month))
  }

  // MARK: - Pages

  private func indexPage(csvNames: [String]) throws -> HTMLPage {
    let previous = month.previous
    var totalsSection = HTMLPage.Section(
      id: "totals", heading: "Totals",
      text:
        "Billed cost is the invoice view; effective cost spreads commitment fees over the usage "
        + "they cover. Deltas compare with \(previous) by calendar month and per day "
        + "(\(Self.days(in: month)) days against \(Self.days(in: previous))).")
    var rows: [[HTMLPage.Cell]] = []
    for comparison in comparisons {
      if let current = comparison.current?.totals {
        totalsSection.figures.append(
          .init(
            label: "Billed cost (\(comparison.currency))",
            value: "\(current.billed.groupedCents) \(comparison.currency)",
            note: "effective \(current.effective.groupedCents)"))
      }
      rows.append(
        [.text(comparison.currency)]
          + (try deltaCells(comparison, \.billed)) + (try deltaCells(comparison, \.effective))
          + (try perDayCells(comparison)))
    }
    totalsSection.tables = [
      .init(
        caption: "Cost per currency, \(month) against \(previous)",
        columns: [
          ("Currency", false), ("Billed", true), ("Billed \(previous)", true), ("Δ billed", true),
          ("Effective", true), ("Effective \(previous)", true), ("Δ effective", true),
          ("Billed per day", true), ("Per day \(previous)", true), ("Δ per day", true),
        ], rows: rows)
    ]
    totalsSection.charts = [trendChart(), dailyChart()]
    return HTMLPage(
      title: "Cloud cost \(month)",
      subtitle: "Finance summary from the bills imported into tally",
      navigation: [
        ("All months", "../index.html"), ("Totals", "#totals"), ("What changed", "#changes"),
        ("Teams", "#allocation"), ("Services", "#services"), ("Accounts", "#accounts"),
        ("Unallocated", "#unallocated"),
        ("Tag compliance", "#policy"), ("Commitments", "#commitments"),
        ("Data quality", "#data-quality"),
      ] + csvNames.map { ($0, $0) },
      sections: [
        totalsSection,
        changesSection(),
        try allocationSection(),
        try costSharesSection(.service),
        try costSharesSection(.account),
        try unallocatedSection(),
        try policySection(),
        try commitmentsSection(),
        savingsCurvesSection(),
        dataQualitySection(),
      ].compactMap { $0 })
  }

  /// Current, previous and difference of one cost basis; "–" where a month has no lines.
  private func deltaCells(_ comparison: Comparison, _ basis: KeyPath<CostTotals, Money>) throws
    -> [HTMLPage.Cell]
  {
    let current = comparison.current?.totals[keyPath: basis]
    let previous = comparison.previous?.totals[keyPath: basis]
    return [
      current.map(HTMLPage.Cell.amount) ?? .missing,
      previous.map(HTMLPage.Cell.amount) ?? .missing,
      .amount(try (current ?? .zero).subtracting(previous ?? .zero)),
    ]
  }

  /// Billed cost per day of this and the previous month, and the difference; "–" where a
  /// month has no lines.
  private func perDayCells(_ comparison: Comparison) throws -> [HTMLPage.Cell] {
    let current = comparison.current.map { Self.perDay($0.totals.billed, in: month) }
    let previous = comparison.previous.map { Self.perDay($0.totals.billed, in: month.previous) }
    return [
      current.map(HTMLPage.Cell.amount) ?? .missing,
      previous.map(HTMLPage.Cell.amount) ?? .missing,
      .amount(try (current ?? .zero).subtracting(previous ?? .zero)),
    ]
  }

  /// Billed cost per currency over the six months ending with this one.
  private func trendChart() -> String {
    let months = MonthReport.sixMonths(endingWith: month)
    let currencies = Set(totals.filter { months.contains($0.month) }.map(\.currency)).sorted()
    let series = currencies.map { currency in
      SVGChart.Series(
        name: currency,
        values: months.map { month in
          totals.first { $0.month == month && $0.currency == currency }?.totals.billed.nanos
        })
    }
    return SVGChart.lines(
      title: "Billed cost per month and currency", categories: months.map(\.description),
      series: series, format: { Money(nanos: $0).groupedCents })
  }

  private func dataQualitySection() -> HTMLPage.Section {
    var section = HTMLPage.Section(
      id: "data-quality", heading: "Data quality",
      text:
        "The current deliveries holding lines of \(month) (superseded deliveries are not "
        + "counted), the currencies billed, and the policy's tag keys that the bill writes in "
        + "more than one spelling (folded into one key by the policy's aliases and case rules)."
        + (policy == nil
          ? " Tag-key collisions are not available: no current tag-policy results are stored "
            + "for \(month)." : ""))
    let lines = imports.reduce(0) { $0 + $1.lineCount }
    section.tables =
      [
        .init(
          caption: "Files imported for \(month)",
          columns: [("File", false), ("Format", false), ("Lines", true), ("Currencies", false)],
          rows: imports.map {
            [
              .text(Self.fileName($0.path)), .text($0.format), .number($0.lineCount),
              .text($0.currencies.joined(separator: " ")),
            ]
          },
          footer: imports.isEmpty
            ? [] : [[.text("Total"), .text(""), .number(lines), .text("")]],
          emptyText: "No file holds lines of \(month).")
      ] + keyCollisionTables()
    section.figures = [
      .init(label: "Files", value: String(imports.count), note: "current deliveries"),
      .init(label: "Lines", value: String(lines), note: "cost lines of \(month)"),
      .init(
        label: "Currencies", value: String(Set(imports.flatMap(\.currencies)).count),
        note: Set(imports.flatMap(\.currencies)).sorted().joined(separator: " ")),
    ]
    return section
  }

  // MARK: - CSV files

  private var importsTable: ResultTable {
    ResultTable(
      columns: ["file", "format", "lines", "currencies"], numeric: [2],
      rows: imports.map {
        [
          Self.fileName($0.path), $0.format, String($0.lineCount),
          $0.currencies.joined(separator: " "),
        ]
      })
  }

  private func totalsTable() throws -> ResultTable {
    ResultTable(
      columns: [
        "currency", "lines", "billed_cost", "effective_cost", "list_cost", "contracted_cost",
        "previous_billed_cost", "previous_effective_cost",
      ], numeric: Set(1...7),
      rows: comparisons.map { comparison in
        let current = comparison.current?.totals ?? CostTotals()
        let previous = comparison.previous?.totals ?? CostTotals()
        return [
          comparison.currency, String(comparison.current?.rowCount ?? 0),
          current.billed.description, current.effective.description, current.list.description,
          current.contracted.description, previous.billed.description,
          previous.effective.description,
        ]
      })
  }

  /// The last component of an imported path: where the file was when imported is not part of
  /// the report (it would make reports of the same bills differ between machines).
  static func fileName(_ path: String) -> String {
    (path as NSString).lastPathComponent
  }
}
