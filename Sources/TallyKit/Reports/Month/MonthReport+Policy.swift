/// The stored tag-policy results a month report shows, on effective cost (the basis of
/// `tally check` and of the nightly run's figures): per currency, compliance over every key
/// and per policy key, the non-compliant resources, and the overall compliance of the six
/// months ending with the reported one.
struct PolicyInputs {
  /// The basis compliance is weighed on.
  static let basis = ComplianceBasis.effective

  /// The month's currencies with compliance results, most lines first.
  var currencies: [String]
  /// Per currency: the overall slice, over every key (key "") and then each key.
  var compliance: [String: [ComplianceRow]]
  /// Per currency: every non-compliant resource, the costliest first.
  var resources: [String: [NoncompliantResource]]
  /// Per currency: the raw spellings of each canonical key that the bill writes more than one
  /// way (`Team`, `team`, `user:team`), by key and then the costliest spelling first.
  var collisions: [String: [KeyVariant]]
  /// Per currency: the other tag keys (no policy key's spellings) that the bill writes in
  /// spellings differing only by case, separators or the `user:` prefix.
  var otherCollisions: [String: [TagKeySpelling]]
  /// The six months ending with the reported one, oldest first, with their stored overall
  /// compliance per currency (a month never evaluated has none).
  var history: [(month: BillingMonth, compliance: [String: ComplianceRow])]

  /// The month's stored policy results; nil when the month has no current evaluation.
  init?(store: Store, month: BillingMonth) throws {
    guard try store.policyRuns()[month] != nil else { return nil }
    currencies = try store.complianceCurrencies(in: month)
    var compliance: [String: [ComplianceRow]] = [:]
    var resources: [String: [NoncompliantResource]] = [:]
    var collisions: [String: [KeyVariant]] = [:]
    for currency in currencies {
      let variants = try store.keyVariants(in: month, currency: currency, basis: Self.basis)
      let spellings = Dictionary(grouping: variants, by: \.key).mapValues(\.count)
      collisions[currency] = variants.filter { spellings[$0.key, default: 0] > 1 }
      compliance[currency] = try store.complianceRows(in: month, currency: currency)
        .filter { $0.dimension == .overall }
      resources[currency] = try store.noncompliantResources(
        in: month, currency: currency, basis: Self.basis, limit: nil)
    }
    self.compliance = compliance
    self.resources = resources
    self.collisions = collisions
    let policySpellings = Set(
      collisions.flatMap { currency, variants in variants.map { [currency, $0.rawKey] } })
    let spellings = try store.tagKeyCollisions(in: month)
    var otherCollisions: [String: [TagKeySpelling]] = [:]
    for group in Dictionary(grouping: spellings, by: { [$0.currency, $0.matchKey] }).values
    where !group.allSatisfy({ policySpellings.contains([$0.currency, $0.rawKey]) }) {
      otherCollisions[group[0].currency, default: []] += group
    }
    self.otherCollisions = otherCollisions.mapValues { group in
      group.sorted {
        ($0.matchKey, -$0.effective.nanos, $0.rawKey) < (
          $1.matchKey, -$1.effective.nanos, $1.rawKey
        )
      }
    }
    let months = MonthReport.sixMonths(endingWith: month)
    let stored = try store.overallCompliance()
    history = months.map { month in
      (
        month,
        Dictionary(
          stored.filter { $0.month == month }.map { ($0.compliance.currency, $0.compliance) },
          uniquingKeysWith: { first, _ in first })
      )
    }
  }

  /// `policy-violations.csv`: one row per problem of each non-compliant resource, by currency
  /// and then the costliest resource first. A resource with two problems has two rows, each
  /// with the resource's whole non-compliant cost, so the cost column is not summed across
  /// problems (the HTML table and `tally check` give one row per resource).
  var violationsTable: ResultTable {
    ResultTable(
      columns: [
        "currency", "resource", "account", "service", "team", "key", "problem", "value",
        "suggestion", "resource_noncompliant_effective_cost", "resource_noncompliant_billed_cost",
        "first_noncompliant_month",
      ], numeric: [9, 10],
      rows: currencies.flatMap { currency in
        (resources[currency] ?? []).flatMap { resource in
          resource.problems.map { problem in
            [
              currency, resource.resourceID ?? "", resource.accountID, resource.service,
              resource.team, problem.key, problem.problem, problem.detail,
              problem.suggestion ?? "", resource.cost.effective.description,
              resource.cost.billed.description, resource.firstNoncompliant.description,
            ]
          }
        }
      })
  }
}

extension MonthReport {
  /// How many non-compliant resources the page lists by name; the rest are one row.
  static let topResources = 10

  /// Tag compliance by cost per currency (over every key and per policy key), its six-month
  /// trend, and the costliest non-compliant resources.
  func policySection() throws -> HTMLPage.Section {
    var section = HTMLPage.Section(id: "policy", heading: "Tag compliance")
    guard let policy else {
      section.text =
        "Not available: no current tag-policy results are stored for \(month), so compliance "
        + "by cost and the non-compliant resources are not shown. Nothing here is estimated; "
        + "`tally check --month \(month)` evaluates the month."
      return section
    }
    section.text =
      "Compliance is the share of judged effective cost whose tags meet the policy (exempt "
      + "cost is not judged; per key, neither is cost outside the key's scope). The resource "
      + "table lists the \(Self.topResources) costliest non-compliant resources; lines without "
      + "a resource id are listed per account and service. policy-violations.csv has every one."
    if policy.currencies.isEmpty {
      section.text = "The policy was evaluated for \(month), but the month judged no cost."
    }
    for currency in policy.currencies {
      let rows = policy.compliance[currency] ?? []
      if let overall = rows.first(where: { $0.key == "" }) {
        let judged = try overall.compliant.effective.adding(overall.noncompliant.effective)
        section.figures.append(
          .init(
            label: "Compliance by cost (\(currency))",
            value: formatPercent(overall.compliance(PolicyInputs.basis)),
            note:
              "\(overall.noncompliant.effective.groupedCents) \(currency) non-compliant of "
              + "\(judged.groupedCents) judged"))
      }
      section.tables.append(
        .init(
          caption: "Compliance by key (\(currency), effective cost)",
          columns: [
            ("Key", false), ("Compliance", true), ("Compliant", true), ("Non-compliant", true),
            ("Exempt", true), ("Out of scope", true), ("Non-compliant resources", true),
          ],
          rows: rows.map { row in
            [
              .text(row.key.isEmpty ? "every key (the line as a whole)" : row.key),
              .ratio(row.compliance(PolicyInputs.basis)), .amount(row.compliant.effective),
              .amount(row.noncompliant.effective), .amount(row.exempt.effective),
              .amount(row.outOfScope.effective), .number(row.noncompliantResources),
            ]
          }))
      section.tables.append(try resourcesTable(policy.resources[currency] ?? [], currency))
    }
    section.charts.append(complianceChart(policy))
    return section
  }

  /// The costliest non-compliant resources, the others as one row, and the total.
  private func resourcesTable(_ resources: [NoncompliantResource], _ currency: String) throws
    -> HTMLPage.Table
  {
    try HTMLPage.Table.costliest(
      resources, limit: Self.topResources,
      caption: "Costliest non-compliant resources (\(currency), effective cost)",
      columns: [
        ("Resource", false), ("Account", false), ("Service", false), ("Team", false),
        ("What is wrong", false), ("Since", false), ("Non-compliant cost", true),
      ], emptyText: "No non-compliant spend in \(currency).", amount: \.cost.effective
    ) { resource in
      [
        .text(resource.resourceID ?? "(no resource id)"), .text(resource.accountID),
        .text(resource.service), .text(resource.team),
        .text(resource.problems.map(\.sentence).joined(separator: "; ")),
        .text(resource.firstNoncompliant.description),
      ]
    }
  }

  /// Overall compliance per currency over the six months, on a 0–100 % axis.
  private func complianceChart(_ policy: PolicyInputs) -> String {
    let currencies = Set(policy.history.flatMap(\.compliance.keys)).sorted()
    let series = currencies.map { currency in
      SVGChart.Series(
        name: currency,
        values: policy.history.map { entry in
          entry.compliance[currency].map {
            Int64(($0.compliance(PolicyInputs.basis) * 1_000_000).rounded())
          }
        })
    }
    return SVGChart.lines(
      title: "Tag compliance by effective cost per month",
      categories: policy.history.map {
        $0.month.description
      }, series: series, ceiling: 1_000_000,
      format: { formatPercent(Double($0) / 1_000_000) })
  }
}

extension MonthReport {
  /// The data-quality section's tag-key collisions: canonical keys the bill writes in more
  /// than one spelling, per currency, from the stored policy results.
  func keyCollisionTables() -> [HTMLPage.Table] {
    guard let policy else { return [] }
    return policy.currencies.flatMap { currency in
      [
        HTMLPage.Table(
          caption: "Policy keys written more than one way (\(currency), effective cost)",
          columns: [
            ("Key", false), ("Spelling in the bill", false), ("Lines", true), ("Cost", true),
          ],
          rows: (policy.collisions[currency] ?? []).map {
            [.text($0.key), .text($0.rawKey), .number($0.lines), .amount($0.cost.effective)]
          },
          emptyText: "Every policy key is written one way."),
        HTMLPage.Table(
          caption:
            "Other tag keys that differ only by case or separators (\(currency), effective cost)",
          columns: [
            ("Key compared as", false), ("Spelling in the bill", false), ("Lines", true),
            ("Cost", true),
          ],
          rows: (policy.otherCollisions[currency] ?? []).map {
            [.text($0.matchKey), .text($0.rawKey), .number($0.lines), .amount($0.effective)]
          },
          emptyText: "No other tag key is written more than one way."),
      ]
    }
  }
}

extension ResourceProblem {
  /// The problem in words: `team missing`, `team="Paymnts" not allowed (did you mean
  /// "payments"?)`, `team in conflict: Team=a, team=b`, `team spelt Team`.
  var sentence: String {
    switch problem {
    case "missing": return "\(key) missing"
    case "invalid":
      let hint = suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""
      return "\(key)=\"\(detail)\" not allowed\(hint)"
    case "conflict": return "\(key) in conflict: \(detail)"
    default: return "\(key) spelt \(detail)"
    }
  }
}
