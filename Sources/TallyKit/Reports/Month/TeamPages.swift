/// `teams/<slug>.html`: one page per team of the month, and one for the unallocated bucket, read
/// from the stored allocation on the run's basis — its totals against the month before, its
/// waterfall (the lineage `tally explain` prints), its services and accounts, the resources it
/// pays for without a valid team tag, its non-compliant resources when the tag policy's results
/// are stored, and its six-month trend. Nothing is recomputed.
struct TeamPages {
  /// One team's (or the bucket's) stored results.
  struct Team {
    /// The team; nil is the unallocated bucket.
    var team: String?
    /// The name shown: the team, or the bucket's name.
    var name: String
    /// The waterfall, per currency.
    var explain: ExplainOutput
    /// The most expensive resources that reached it without a valid team tag, per currency,
    /// and how many there are.
    var untagged: (top: [UntaggedResource], counts: [String: Int])
    /// Its non-compliant resources by the tag policy, costliest first (empty for the bucket).
    var noncompliant: [NoncompliantResource]
  }

  /// How many resources each table lists per currency.
  static let resourceLimit = 20

  /// File names of the teams' pages.
  let slugs: ReportSlugs
  /// Sorted by name; the bucket among them.
  let teams: [Team]
  /// Whether the tag policy's results of the month are stored.
  let hasPolicyResults: Bool

  /// Reads every team's stored results of `allocation`'s month.
  init(store: Store, allocation: AllocationInputs) throws {
    let month = allocation.run.month
    let basis = allocation.run.defaultBasis
    var names = Set((allocation.teams[basis] ?? []).compactMap(\.team))
    names.insert(allocation.run.unallocated)
    slugs = ReportSlugs(Array(names))
    // Non-compliant resources by the team tag's valid value; the policy weighs billed or
    // effective cost, list cost is weighed as effective.
    let policyBasis: ComplianceBasis = basis == .billed ? .billed : .effective
    let currencies = try store.complianceCurrencies(in: month)
    hasPolicyResults = !currencies.isEmpty
    var noncompliant: [String: [NoncompliantResource]] = [:]
    for currency in currencies {
      var listed: [String: Int] = [:]
      for resource in try store.noncompliantResources(
        in: month, currency: currency, basis: policyBasis, limit: nil)
      where !resource.team.isEmpty && listed[resource.team, default: 0] < Self.resourceLimit {
        listed[resource.team, default: 0] += 1
        noncompliant[resource.team, default: []].append(resource)
      }
    }
    teams = try names.sorted().map { name in
      let team = name == allocation.run.unallocated ? nil : name
      return Team(
        team: team, name: name,
        explain: try ExplainOutput.load(
          team: team, name: name, month: month, basis: basis, from: store),
        untagged: try team.map {
          try store.untaggedResources(of: $0, in: month, basis: basis, limit: Self.resourceLimit)
        } ?? ([], [:]),
        noncompliant: team.flatMap { noncompliant[$0] } ?? [])
    }
  }

  /// The pages, as paths relative to the month's folder and their contents.
  func files(allocation: AllocationInputs, breakdown: AllocationBreakdown) throws
    -> [(path: String, contents: String)]
  {
    try teams.map { team in
      let rows = breakdown.rows(of: team.team, basis: allocation.run.defaultBasis)
      return (
        "teams/\(slugs[team.name]).html",
        try page(team, rows: rows, allocation: allocation).rendered()
      )
    }
  }

  // MARK: - A page

  private func page(
    _ team: Team, rows breakdown: [AllocationBreakdown.Row], allocation: AllocationInputs
  ) throws -> HTMLPage {
    let run = allocation.run
    let basis = run.defaultBasis
    let bucket = team.team == nil
    var totals = HTMLPage.Section(
      id: "totals", heading: "Totals",
      text: bucket
        ? "The cost no tag, rule or pool gave to a team, on the \(basis.rawValue) basis."
        : "What \(team.name) carries on the \(basis.rawValue) basis: direct cost (its \(run.byKey) "
          + "tag, credits following their resources, rules) and its shares of shared pools.")
    let current = allocation.teams[basis]?.filter { $0.team == team.team } ?? []
    let previous = allocation.history.dropLast().last?.teams.filter { $0.team == team.team } ?? []
    var rows: [[HTMLPage.Cell]] = []
    for total in current {
      let before = previous.first { $0.currency == total.currency }?.total
      totals.figures.append(
        .init(
          label: "Total (\(total.currency))",
          value: "\(total.total.groupedCents) \(total.currency)",
          note: bucket
            ? "unallocated"
            : "direct \(total.direct.groupedCents), shared \(total.shared.groupedCents)"
        ))
      rows.append(
        [.text(total.currency)]
          + (bucket ? [] : [.amount(total.direct), .amount(total.shared)])
          + [
            .amount(total.total), before.map(HTMLPage.Cell.amount) ?? .missing,
            .amount(try total.total.subtracting(before ?? .zero)),
          ])
    }
    let month = run.month
    totals.tables = [
      .init(
        caption: "\(team.name), \(month) against \(month.previous)",
        columns: [("Currency", false)]
          + (bucket ? [] : [("Direct", true), ("Shared", true)])
          + [("Total", true), ("Total \(month.previous)", true), ("Δ total", true)],
        rows: rows, emptyText: "\(team.name) carries nothing in \(month).")
    ]
    let trendCurrencies = allocation.history.flatMap {
      $0.teams.filter { $0.team == team.team }.map(\.currency)
    }
    totals.charts = Set(trendCurrencies).sorted().map {
      trendChart(team, currency: $0, allocation: allocation)
    }
    return HTMLPage(
      title: "\(team.name) · \(month)",
      subtitle: bucket
        ? "Unallocated cost of \(month), from the stored allocation"
        : "Team cost of \(month), from the stored allocation",
      navigation: [
        ("Month summary", "../index.html"), ("Totals", "#totals"), ("Waterfall", "#waterfall"),
        ("Services", "#services"), ("Accounts", "#accounts"),
        bucket
          ? ("Unallocated resources", "../index.html#unallocated") : ("Resources", "#resources"),
      ],
      sections: [
        totals, try waterfallSection(team), try breakdownSection(team, breakdown, by: "service"),
        try breakdownSection(team, breakdown, by: "account"),
        try resourcesSection(team, basis: basis),
      ])
  }

  /// The steps of the waterfall with their reasons, rounded to cents so that they add up to
  /// the rounded total.
  private func waterfallSection(_ team: Team) throws -> HTMLPage.Section {
    var section = HTMLPage.Section(
      id: "waterfall", heading: "Waterfall",
      text: "Where the cost comes from, step by step, as \"tally explain --team\" prints it: "
        + "each step's amount, and why it reached \(team.name).")
    for currency in team.explain.currencies {
      let exact = try currency.steps.map { try Money(parsing: $0.amount) }
      let amounts = Money.roundedPreservingTotal(exact, fractionDigits: 2)
      section.charts.append(
        SVGChart.waterfall(
          title: "\(team.name): from each step to the total (\(currency.currency))",
          steps: zip(currency.steps, exact).map { step, amount in
            (step.source.isEmpty ? step.step : "\(step.step) \(step.source)", amount.nanos)
          }, totalLabel: "total", format: { Money(nanos: $0).groupedCents }))
      section.tables.append(
        .init(
          caption: "Waterfall (\(currency.currency))",
          columns: [("Step", false), ("Source", false), ("Why", false), ("Amount", true)],
          rows: zip(currency.steps, amounts).map { step, amount in
            [.text(step.step), .text(step.source), .text(step.why), .amount(amount)]
          },
          footer: [
            [.text("Total"), .text(""), .text(""), .amount(try Money.sum(amounts))]
          ]))
    }
    return section
  }

  /// The team's rows summed by a key, per currency, rounded so that the rows add up to the
  /// rounded total: direct, shared and total for a team, the amount for the bucket.
  private func breakdownTables(
    _ team: Team, _ rows: [AllocationBreakdown.Row], caption: String,
    columns: [(name: String, numeric: Bool)], key: (AllocationBreakdown.Row) -> [String]
  ) throws -> [HTMLPage.Table] {
    let bucket = team.team == nil
    return try Set(rows.map(\.currency)).sorted().map { currency in
      var sums: [[String]: (direct: Money, shared: Money, total: Money)] = [:]
      for row in rows where row.currency == currency {
        let sum = sums[key(row)] ?? (.zero, .zero, .zero)
        sums[key(row)] = (
          try sum.direct.adding(row.direct), try sum.shared.adding(row.shared),
          try sum.total.adding(row.total)
        )
      }
      let ordered = sums.sorted {
        $0.value.total.nanos.magnitude != $1.value.total.nanos.magnitude
          ? $0.value.total.nanos.magnitude > $1.value.total.nanos.magnitude
          : $0.key.lexicographicallyPrecedes($1.key)
      }
      let amounts = [\(direct: Money, shared: Money, total: Money).direct, \.shared, \.total]
        .map { path in
          Money.roundedPreservingTotal(ordered.map { $0.value[keyPath: path] }, fractionDigits: 2)
        }
      let shown = bucket ? [2] : [0, 1, 2]
      let names = ["Direct", "Shared", bucket ? "Amount" : "Total"]
      return HTMLPage.Table(
        caption: "\(caption) (\(currency))",
        columns: columns + shown.map { (names[$0], true) },
        rows: ordered.indices.map { index in
          ordered[index].key.map { .text($0) } + shown.map { .amount(amounts[$0][index]) }
        },
        footer: [
          [.text("Total")] + Array(repeating: .text(""), count: columns.count - 1)
            + (try shown.map { .amount(try Money.sum(amounts[$0])) })
        ])
    }
  }

  /// Cost by service or by usage account (`by`: "service" or "account").
  private func breakdownSection(_ team: Team, _ rows: [AllocationBreakdown.Row], by: String)
    throws -> HTMLPage.Section
  {
    let byService = by == "service"
    var section = HTMLPage.Section(
      id: byService ? "services" : "accounts", heading: byService ? "Services" : "Accounts",
      text: "Cost by \(byService ? "service" : "usage account"). Pool shares are spread over the "
        + "\(by)s the pool held, in proportion, as in allocation.csv.")
    section.tables = try breakdownTables(
      team, rows, caption: "Cost by \(by)",
      columns: byService ? [("Service", false)] : [("Account", false), ("Name", false)]
    ) {
      byService
        ? [$0.service ?? "(no service)"] : [$0.accountID ?? "(no account)", $0.accountName ?? ""]
    }
    return section
  }

  private func resourcesSection(_ team: Team, basis: CostBasis) throws -> HTMLPage.Section {
    var section = HTMLPage.Section(id: "resources", heading: "Resources")
    guard team.team != nil else {
      section.text =
        "The resources behind unallocated cost are listed in the month summary's \"Unallocated "
        + "spend\" section and in unallocated-resources.csv."
      return section
    }
    section.text =
      "Resources whose cost reached \(team.name) without a valid team tag (through a rule, or a "
      + "credit following its resource), and resources tagged \(team.name) that break the tag "
      + "policy, the costliest first, at most \(Self.resourceLimit) per currency."
    for (currency, count) in team.untagged.counts.sorted(by: { $0.key < $1.key }) {
      let untagged = team.untagged.top.filter { $0.currency == currency }
      section.tables.append(
        .init(
          caption: "Without a valid team tag (\(currency)): \(count) resources",
          columns: [("Resource", false), ("Team tag", false), ("Rule", false), ("Cost", true)],
          rows: untagged.map {
            [
              .text($0.resourceID), .text($0.tagStatus),
              .text($0.step == .rule ? $0.source : "credit follows its resource"),
              .amount($0.amount),
            ]
          }))
    }
    if team.untagged.counts.isEmpty {
      section.tables.append(
        .init(
          caption: "Without a valid team tag", columns: [("Resource", false)], rows: [],
          emptyText: "Every resource whose cost reached \(team.name) carries a valid team tag."))
    }
    guard hasPolicyResults else {
      section.text? +=
        " The tag policy's results of this month are not stored (\"tally check\" stores them), "
        + "so non-compliant resources are not shown."
      return section
    }
    let policyBasis: ComplianceBasis = basis == .billed ? .billed : .effective
    for currency in Set(team.noncompliant.map(\.currency)).sorted() {
      section.tables.append(
        .init(
          caption: "Breaking the tag policy (\(currency), \(policyBasis.rawValue) cost)",
          columns: [
            ("Resource", false), ("Account", false), ("Service", false), ("Problems", false),
            ("Since", false), ("Cost", true),
          ],
          rows: team.noncompliant.filter { $0.currency == currency }.map {
            [
              .text($0.resourceID ?? "(lines without a resource id)"), .text($0.accountID),
              .text($0.service), .text(Self.describe($0.problems)),
              .text($0.firstNoncompliant.description), .amount($0.cost.amount(policyBasis)),
            ]
          }))
    }
    if team.noncompliant.isEmpty {
      section.tables.append(
        .init(
          caption: "Breaking the tag policy", columns: [("Resource", false)], rows: [],
          emptyText: "No resource tagged \(team.name) breaks the tag policy."))
    }
    return section
  }

  /// `team missing; env invalid "prd" (prod?)`.
  private static func describe(_ problems: [ResourceProblem]) -> String {
    problems.map { problem in
      var text = "\(problem.key) \(problem.problem)"
      if !problem.detail.isEmpty { text += " \"\(problem.detail)\"" }
      if let suggestion = problem.suggestion, !suggestion.isEmpty { text += " (\(suggestion)?)" }
      return text
    }.joined(separator: "; ")
  }

  /// Stacked columns of the six months: direct and shared cost (the bucket: unallocated).
  private func trendChart(_ team: Team, currency: String, allocation: AllocationInputs)
    -> String
  {
    let totals = allocation.history.map { entry in
      entry.teams.first { $0.team == team.team && $0.currency == currency }
    }
    let series: [SVGChart.Series] =
      team.team == nil
      ? [.init(name: "unallocated", values: totals.map { $0?.total.nanos })]
      : [
        .init(name: "direct", values: totals.map { $0?.direct.nanos }),
        .init(name: "shared", values: totals.map { $0?.shared.nanos }),
      ]
    return SVGChart.stackedColumns(
      title: "\(team.name) per month (\(currency), \(allocation.run.defaultBasis.rawValue))",
      categories: allocation.history.map(\.month.description), series: series,
      format: { Money(nanos: $0).groupedCents })
  }
}
