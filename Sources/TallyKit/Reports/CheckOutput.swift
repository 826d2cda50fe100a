import Foundation

/// The compliance figures of one slice of spend, as `tally check` prints them.
public struct ComplianceFigures: Encodable, Sendable {
  /// Compliant cost, decimal string.
  public var compliantCost: String
  /// Non-compliant cost.
  public var noncompliantCost: String
  /// Exempt cost.
  public var exemptCost: String
  /// compliant ÷ (compliant + non-compliant), 0…1 (see ``ComplianceRow/compliance(_:)``).
  public var compliance: Double
  /// Compliant cost that needed account default tags.
  public var inheritedCost: String
  /// Compliant cost that needed inventory tags.
  public var inventoryCost: String
  /// Cost outside a key's scope; nil for a slice over every key.
  public var outOfScopeCost: String?
  /// Lines.
  public var lines: Int
  /// Distinct resources judged.
  public var resources: Int
  /// Distinct resources with non-compliant lines.
  public var noncompliantResources: Int
  /// The share of judged resources that are compliant, 0…1.
  public var resourceCompliance: Double

  enum CodingKeys: String, CodingKey {
    case compliance, lines, resources
    case compliantCost = "compliant_cost"
    case noncompliantCost = "noncompliant_cost"
    case exemptCost = "exempt_cost"
    case inheritedCost = "inherited_cost"
    case inventoryCost = "inventory_cost"
    case outOfScopeCost = "out_of_scope_cost"
    case noncompliantResources = "noncompliant_resources"
    case resourceCompliance = "resource_compliance"
  }

  init(_ row: ComplianceRow, basis: ComplianceBasis) {
    compliantCost = row.compliant.amount(basis).description
    noncompliantCost = row.noncompliant.amount(basis).description
    exemptCost = row.exempt.amount(basis).description
    compliance = rounded(row.compliance(basis))
    inheritedCost = row.inherited.amount(basis).description
    inventoryCost = row.inventory.amount(basis).description
    outOfScopeCost = row.key.isEmpty ? nil : row.outOfScope.amount(basis).description
    lines = row.lines
    resources = row.resources
    noncompliantResources = row.noncompliantResources
    resourceCompliance = rounded(row.resourceCompliance)
  }
}

/// `tally check`: a month's tag compliance weighted by cost, overall, per key, and per team,
/// account and service. The JSON shape is DESIGN.md's "Machine-readable output".
public struct CheckOutput: Encodable, Sendable {
  /// One key's figures.
  public struct Key: Encodable, Sendable {
    /// The canonical key.
    public var key: String
    /// Whether the policy requires it.
    public var required: Bool
    /// Its figures.
    public var figures: ComplianceFigures

    enum CodingKeys: String, CodingKey { case key, required }

    /// Encodes the key's name beside its figures, in one object.
    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(key, forKey: .key)
      try container.encode(required, forKey: .required)
      try figures.encode(to: encoder)
    }
  }

  /// One team, account or service.
  public struct Slice: Encodable, Sendable {
    /// `team`, `account` or `service`.
    public var dimension: ComplianceDimension
    /// Its name ("" for lines without a team, or without a service).
    public var name: String
    /// Its figures over every key.
    public var figures: ComplianceFigures
    /// Its figures per key.
    public var keys: [Key]

    struct NameKey: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    /// `{"team": "payments", …figures, "keys": […]}`.
    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: NameKey.self)
      try container.encode(name, forKey: NameKey(stringValue: dimension.rawValue))
      try container.encode(keys, forKey: NameKey(stringValue: "keys"))
      try figures.encode(to: encoder)
    }
  }

  /// `YYYY-MM`.
  public var month: String
  /// `effective` or `billed`.
  public var costBasis: String
  /// The currency of the figures.
  public var currency: String
  /// Every currency the month has.
  public var currencies: [String]
  /// Every key over the whole month.
  public var overall: ComplianceFigures
  /// Per key, in policy order.
  public var keys: [Key]
  /// Per team (the valid value of `allocation.by`; "" for lines without one).
  public var teams: [Slice]
  /// Per usage account.
  public var accounts: [Slice]
  /// Per service.
  public var services: [Slice]
  /// `--fail-under` as a ratio, when given.
  public var failUnder: Double?
  /// Whether overall compliance met `--fail-under`, when given.
  public var passed: Bool?

  enum CodingKeys: String, CodingKey {
    case month, currency, currencies, overall, keys, teams, accounts, services, passed
    case costBasis = "cost_basis"
    case failUnder = "fail_under"
  }

  /// Builds the output from a month's stored rows in one currency.
  ///
  /// - Parameters:
  ///   - rules: The policy's rules, for key order and `required`.
  ///   - failUnder: The `--fail-under` threshold as a ratio.
  public init(
    month: BillingMonth, currency: String, currencies: [String], rows: [ComplianceRow],
    rules: [TagRule], basis: ComplianceBasis, failUnder: Double?
  ) {
    self.month = month.description
    self.currency = currency
    self.currencies = currencies
    costBasis = basis.rawValue
    let overallRow =
      rows.first { $0.dimension == .overall && $0.key.isEmpty }
      ?? ComplianceRow(currency: currency, dimension: .overall, name: "", key: "")
    overall = ComplianceFigures(overallRow, basis: basis)
    func keyFigures(of dimension: ComplianceDimension, _ name: String) -> [Key] {
      rules.compactMap { rule in
        rows.first { $0.dimension == dimension && $0.name == name && $0.key == rule.key }.map {
          Key(key: rule.key, required: rule.required, figures: ComplianceFigures($0, basis: basis))
        }
      }
    }
    keys = keyFigures(of: .overall, "")
    func slices(_ dimension: ComplianceDimension) -> [Slice] {
      rows.filter { $0.dimension == dimension && $0.key.isEmpty }.map {
        Slice(
          dimension: dimension, name: $0.name, figures: ComplianceFigures($0, basis: basis),
          keys: keyFigures(of: dimension, $0.name))
      }
    }
    teams = slices(.team)
    accounts = slices(.account)
    services = slices(.service)
    self.failUnder = failUnder
    passed = failUnder.map { overall.compliance >= $0 }
  }

  /// The output in `format`: `by` picks the table of teams, accounts or services instead of
  /// the keys for the table and CSV forms (JSON always holds everything).
  public func rendered(as format: OutputFormat, by: ComplianceDimension = .overall) throws -> String
  {
    switch format {
    case .json: return try renderJSON(self)
    case .csv:
      return table(by: by, amount: { $0 }, ratio: { String(format: "%.6f", $0) }).renderedAsCSV()
    case .table:
      let heading =
        "Tag compliance \(month), \(currency), \(costBasis) cost"
        + (currencies.count > 1
          ? " (also in \(currencies.filter { $0 != currency }.joined(separator: ", ")); see --currency)"
          : "")
      var text = heading + "\n\n"
      text += table(by: by, amount: cents, ratio: percent).renderedAsText()
      if let failUnder, let passed {
        text +=
          "\n" + (passed ? "passed" : "FAILED")
          + ": overall compliance \(percent(overall.compliance)) "
          + (passed ? "≥" : "<") + " \(percent(failUnder))\n"
      }
      return text
    }
  }

  private func table(
    by dimension: ComplianceDimension, amount: (String) -> String, ratio: (Double) -> String
  ) -> ResultTable {
    let first = dimension == .overall ? "key" : dimension.rawValue
    var table = ResultTable(
      columns: [
        first, "compliance", "compliant", "noncompliant", "exempt", "out_of_scope", "inherited",
        "inventory", "resources", "noncompliant_resources",
      ],
      numeric: Set(1...9))
    func row(_ name: String, _ figures: ComplianceFigures) -> [String] {
      [
        name, ratio(figures.compliance), amount(figures.compliantCost),
        amount(figures.noncompliantCost), amount(figures.exemptCost),
        figures.outOfScopeCost.map(amount) ?? "", amount(figures.inheritedCost),
        amount(figures.inventoryCost), String(figures.resources),
        String(figures.noncompliantResources),
      ]
    }
    switch dimension {
    case .overall:
      table.rows.append(row("(all keys)", overall))
      for key in keys {
        table.rows.append(row(key.key + (key.required ? "" : " (optional)"), key.figures))
      }
    case .team, .account, .service:
      let slices = dimension == .team ? teams : dimension == .account ? accounts : services
      for slice in slices.sorted(by: {
        $0.figures.compliance < $1.figures.compliance
          || ($0.figures.compliance == $1.figures.compliance && $0.name < $1.name)
      }) {
        table.rows.append(row(slice.name.isEmpty ? "(none)" : slice.name, slice.figures))
      }
    }
    return table
  }
}

/// `tally check --list`: the non-compliant resources, costliest first.
public struct OffendersOutput: Encodable, Sendable {
  /// One resource, or the lines without a resource id of one account and service.
  public struct Offender: Encodable, Sendable {
    /// The resource id; null for lines without one.
    public var resourceID: String?
    /// Usage account id.
    public var account: String
    /// Service name.
    public var service: String
    /// The valid `allocation.by` value, or "".
    public var team: String
    /// Non-compliant lines.
    public var lines: Int
    /// Their cost on the basis.
    public var noncompliantCost: String
    /// `YYYY-MM`.
    public var firstNoncompliantMonth: String
    /// What is wrong.
    public var problems: [Problem]

    enum CodingKeys: String, CodingKey {
      case account, service, team, lines, problems
      case resourceID = "resource_id"
      case noncompliantCost = "noncompliant_cost"
      case firstNoncompliantMonth = "first_noncompliant_month"
    }
  }

  /// One key's problem.
  public struct Problem: Encodable, Sendable {
    /// The canonical key.
    public var key: String
    /// missing, invalid, conflict or miscased.
    public var problem: String
    /// The offending value, pairs or spellings ("" when missing).
    public var value: String
    /// The nearest allowed value.
    public var suggestion: String?
  }

  /// `YYYY-MM`.
  public var month: String
  /// `effective` or `billed`.
  public var costBasis: String
  /// The currency.
  public var currency: String
  /// The offenders, costliest first.
  public var offenders: [Offender]

  enum CodingKeys: String, CodingKey {
    case month, currency, offenders
    case costBasis = "cost_basis"
  }

  /// Builds the list from stored rows.
  public init(
    month: BillingMonth, currency: String, basis: ComplianceBasis, resources: [NoncompliantResource]
  ) {
    self.month = month.description
    self.currency = currency
    costBasis = basis.rawValue
    offenders = resources.map { resource in
      Offender(
        resourceID: resource.resourceID, account: resource.accountID, service: resource.service,
        team: resource.team, lines: resource.lines,
        noncompliantCost: resource.cost.amount(basis).description,
        firstNoncompliantMonth: resource.firstNoncompliant.description,
        problems: resource.problems.map {
          Problem(key: $0.key, problem: $0.problem, value: $0.detail, suggestion: $0.suggestion)
        })
    }
  }

  /// The list in `format`.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json: return try renderJSON(self)
    case .csv: return table(amount: { $0 }).renderedAsCSV()
    case .table:
      guard !offenders.isEmpty else { return "No non-compliant spend in \(month) (\(currency)).\n" }
      return "Non-compliant spend \(month), \(currency), \(costBasis) cost, costliest first\n\n"
        + table(amount: cents).renderedAsText()
    }
  }

  private func table(amount: (String) -> String) -> ResultTable {
    ResultTable(
      columns: [
        "resource", "account", "service", "team", "noncompliant_cost", "since", "problems",
      ],
      numeric: [4],
      rows: offenders.map { offender in
        [
          offender.resourceID ?? "(no resource id)", offender.account, offender.service,
          offender.team, amount(offender.noncompliantCost), offender.firstNoncompliantMonth,
          offender.problems.map(describe).joined(separator: "; "),
        ]
      })
  }

  private func describe(_ problem: Problem) -> String {
    ResourceProblem(
      key: problem.key, problem: problem.problem, detail: problem.value,
      suggestion: problem.suggestion
    ).sentence
  }
}

/// `tally check --variants`: the raw key spellings folded into each canonical key, and the
/// invalid values (with near-miss suggestions), conflicts and miscased keys found.
public struct VariantsOutput: Encodable, Sendable {
  /// A canonical key and its raw spellings.
  public struct Key: Encodable, Sendable {
    /// The canonical key.
    public var key: String
    /// Its raw spellings, costliest first.
    public var rawKeys: [RawKey]

    enum CodingKeys: String, CodingKey {
      case key
      case rawKeys = "raw_keys"
    }
  }

  /// One raw spelling.
  public struct RawKey: Encodable, Sendable {
    /// As the bill writes it.
    public var rawKey: String
    /// Lines carrying it.
    public var lines: Int
    /// Their cost.
    public var cost: String

    enum CodingKeys: String, CodingKey {
      case lines, cost
      case rawKey = "raw_key"
    }
  }

  /// An invalid value, conflict or miscased key.
  public struct Finding: Encodable, Sendable {
    /// The canonical key.
    public var key: String
    /// invalid, conflict or miscased.
    public var kind: String
    /// The value, the pairs or the spellings.
    public var value: String
    /// The nearest allowed value.
    public var suggestion: String?
    /// Lines.
    public var lines: Int
    /// Distinct resources.
    public var resources: Int
    /// Their cost.
    public var cost: String
  }

  /// `YYYY-MM`.
  public var month: String
  /// `effective` or `billed`.
  public var costBasis: String
  /// The currency.
  public var currency: String
  /// Canonical keys with their spellings.
  public var keys: [Key]
  /// Findings, costliest first.
  public var findings: [Finding]

  enum CodingKeys: String, CodingKey {
    case month, currency, keys, findings
    case costBasis = "cost_basis"
  }

  /// Builds the report from stored rows.
  public init(
    month: BillingMonth, currency: String, basis: ComplianceBasis, variants: [KeyVariant],
    findings: [PolicyFinding]
  ) {
    self.month = month.description
    self.currency = currency
    costBasis = basis.rawValue
    var keys: [Key] = []
    for variant in variants {
      let raw = RawKey(
        rawKey: variant.rawKey, lines: variant.lines,
        cost: variant.cost.amount(basis).description)
      if keys.last?.key == variant.key {
        keys[keys.count - 1].rawKeys.append(raw)
      } else {
        keys.append(Key(key: variant.key, rawKeys: [raw]))
      }
    }
    self.keys = keys
    self.findings = findings.map {
      Finding(
        key: $0.key, kind: $0.kind, value: $0.detail,
        suggestion: $0.suggestion.isEmpty ? nil : $0.suggestion, lines: $0.lines,
        resources: $0.resources, cost: $0.cost.amount(basis).description)
    }
  }

  /// The report in `format`. Table and CSV list the spellings of keys that have more than one,
  /// then the findings.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json: return try renderJSON(self)
    case .csv: return table(amount: { $0 }).renderedAsCSV()
    case .table:
      return "Tag keys and values \(month), \(currency), \(costBasis) cost\n\n"
        + table(amount: cents).renderedAsText()
    }
  }

  private func table(amount: (String) -> String) -> ResultTable {
    var table = ResultTable(
      columns: ["key", "kind", "value", "suggestion", "lines", "resources", "cost"],
      numeric: [4, 5, 6])
    for key in keys where key.rawKeys.count > 1 {
      for raw in key.rawKeys {
        table.rows.append([
          key.key, "spelling", raw.rawKey, "", String(raw.lines), "", amount(raw.cost),
        ])
      }
    }
    for finding in findings {
      table.rows.append([
        finding.key, finding.kind, finding.value, finding.suggestion ?? "", String(finding.lines),
        String(finding.resources), amount(finding.cost),
      ])
    }
    return table
  }
}

/// An amount rounded to cents for a table.
private func cents(_ text: String) -> String {
  (try? Money(parsing: text).formatted(fractionDigits: 2)) ?? text
}

/// A ratio as a percentage with one decimal.
private func percent(_ ratio: Double) -> String {
  String(format: "%.1f%%", ratio * 100)
}

/// A ratio rounded to six decimals, so that JSON prints it briefly.
private func rounded(_ ratio: Double) -> Double {
  (ratio * 1_000_000).rounded() / 1_000_000
}
