/// A billed and an effective amount.
public struct CostPair: Sendable, Hashable {
  /// Billed (invoiced) cost.
  public var billed = Money.zero
  /// Effective (amortised) cost.
  public var effective = Money.zero

  /// Creates a pair.
  public init(billed: Money = .zero, effective: Money = .zero) {
    self.billed = billed
    self.effective = effective
  }

  /// The amount on `basis`.
  public func amount(_ basis: ComplianceBasis) -> Money {
    basis == .billed ? billed : effective
  }
}

/// The cost basis compliance is weighed on.
public enum ComplianceBasis: String, CaseIterable, Sendable {
  /// Amortised cost (commitment fees spread over the usage they cover).
  case effective
  /// Invoiced cost.
  case billed
}

/// How a slice of a month's spend is cut.
public enum ComplianceDimension: String, CaseIterable, Sendable {
  /// The whole month.
  case overall
  /// By the valid value of the `allocation.by` key ("" when a line has none).
  case team
  /// By usage account id.
  case account
  /// By service name.
  case service
}

/// The compliance of one slice of a month's spend in one currency, over every key or one key.
public struct ComplianceRow: Sendable, Equatable {
  /// Billing currency.
  public var currency: String
  /// How the slice is cut.
  public var dimension: ComplianceDimension
  /// "" for the overall slice; else the team, account id or service name.
  public var name: String
  /// "" for the line's verdict over every key; else one canonical key.
  public var key: String
  /// How many lines.
  public var lines = 0
  /// Compliant cost (including ``inherited`` and ``inventory``).
  public var compliant = CostPair()
  /// Non-compliant cost.
  public var noncompliant = CostPair()
  /// Cost that matched an exemption.
  public var exempt = CostPair()
  /// Cost outside the key's scope (per key only).
  public var outOfScope = CostPair()
  /// Compliant cost that needed account default tags.
  public var inherited = CostPair()
  /// Compliant cost that needed inventory tags.
  public var inventory = CostPair()
  /// Distinct resources judged (lines without a resource id are not counted).
  public var resources = 0
  /// Distinct resources with non-compliant lines.
  public var noncompliantResources = 0

  /// Creates an empty row.
  public init(currency: String, dimension: ComplianceDimension, name: String, key: String) {
    self.currency = currency
    self.dimension = dimension
    self.name = name
    self.key = key
  }

  /// compliant ÷ (compliant + non-compliant) on `basis`, kept within 0…1. When nothing is
  /// judged (the sum is zero or less, e.g. everything exempt) it is 1 unless the non-compliant
  /// amount is positive.
  public func compliance(_ basis: ComplianceBasis) -> Double {
    let good = Double(compliant.amount(basis).nanos)
    let bad = Double(noncompliant.amount(basis).nanos)
    guard good + bad > 0 else { return bad > 0 ? 0 : 1 }
    return min(1, max(0, good / (good + bad)))
  }

  /// The share of judged resources without non-compliant lines (1 when none is judged).
  public var resourceCompliance: Double {
    resources == 0 ? 1 : Double(resources - noncompliantResources) / Double(resources)
  }
}

/// Non-compliant spend of one resource in a month, or of the lines without a resource id of
/// one account and service.
public struct NoncompliantResource: Sendable, Equatable {
  /// Billing currency.
  public var currency: String
  /// The resource id; nil for lines without one.
  public var resourceID: String?
  /// The usage account id.
  public var accountID: String
  /// The service name ("" when none).
  public var service: String
  /// The valid value of the `allocation.by` key, or "".
  public var team: String
  /// How many non-compliant lines.
  public var lines: Int
  /// Their cost.
  public var cost: CostPair
  /// The earliest month evaluated in which the resource was non-compliant.
  public var firstNoncompliant: BillingMonth
  /// What is wrong, key by key.
  public var problems: [ResourceProblem]
}

/// One key's problem on a resource.
public struct ResourceProblem: Sendable, Hashable {
  /// The canonical key.
  public var key: String
  /// missing, invalid, conflict or miscased.
  public var problem: String
  /// The offending value, conflicting pairs or spellings; "" for a missing key.
  public var detail: String
  /// The nearest allowed value of an invalid one.
  public var suggestion: String?

  /// Creates a problem.
  public init(key: String, problem: String, detail: String, suggestion: String?) {
    self.key = key
    self.problem = problem
    self.detail = detail
    self.suggestion = suggestion
  }
}

/// One raw key spelling folded into a canonical key, with what it carries.
public struct KeyVariant: Sendable, Equatable {
  /// Billing currency.
  public var currency: String
  /// The canonical key.
  public var key: String
  /// The raw key as the bill writes it.
  public var rawKey: String
  /// Lines carrying it.
  public var lines: Int
  /// Their cost.
  public var cost: CostPair
}

/// An invalid value, a conflict or a miscased key, with what it costs.
public struct PolicyFinding: Sendable, Equatable {
  /// Billing currency.
  public var currency: String
  /// The canonical key.
  public var key: String
  /// invalid, conflict or miscased.
  public var kind: String
  /// The value, the conflicting pairs or the spellings.
  public var detail: String
  /// The nearest allowed value ("" when none).
  public var suggestion: String
  /// Lines affected.
  public var lines: Int
  /// Distinct resources affected.
  public var resources: Int
  /// Their cost.
  public var cost: CostPair
}

/// A non-compliant resource as stored: row ids rather than names.
struct StoredNoncompliantResource {
  var currency: String
  var resource: Int64?
  var account: Int64
  var service: Int64?
  var team: String
  var lines: Int
  var cost: CostPair
  var firstNoncompliant: BillingMonth
  var problems: [ResourceProblem]
}

/// Everything a month's evaluation stores.
struct PolicyResults {
  var compliance: [ComplianceRow] = []
  var resources: [StoredNoncompliantResource] = []
  var variants: [KeyVariant] = []
  var findings: [PolicyFinding] = []
}

/// The record of a month's evaluation.
struct PolicyRunRecord: Equatable {
  var fingerprint: String
  var lastImport: Int64
  var lastInventory: Int64
}

extension Store {
  /// The newest inventory snapshot imported (0 when none).
  func lastInventorySnapshot() throws(SQLiteError) -> Int64 {
    try connection.scalarInt64("SELECT coalesce(max(id), 0) FROM inventory_snapshots") ?? 0
  }

  /// The inventory tag set of each resource of a month's line groups that an inventory lists:
  /// from the newest snapshot that lists it, matched by resource key (`ResourceKey`).
  func inventoryTagSets(ofResourcesIn month: BillingMonth) throws(SQLiteError) -> [Int64: Int64] {
    let statement = try connection.prepare(
      """
      SELECT r.id, i.tag_set FROM resources r JOIN inventory_resources i
        ON i.resource_key = r.resource_key
      WHERE r.id IN (SELECT resource FROM line_groups WHERE billing_period = ?)
        AND i.snapshot_id = (
          SELECT max(n.snapshot_id) FROM inventory_resources n WHERE n.resource_key = r.resource_key)
      """)
    statement.bind(month.description, at: 1)
    var result: [Int64: Int64] = [:]
    while try statement.step() { result[statement.int64(at: 0)] = statement.int64(at: 1) }
    return result
  }

  /// The newest import that delivered lines of `month` (0 when none).
  func lastImport(of month: BillingMonth) throws(SQLiteError) -> Int64 {
    let statement = try connection.prepare(
      "SELECT coalesce(max(import_id), 0) FROM import_totals WHERE billing_period = ?")
    statement.bind(month.description, at: 1)
    return try statement.step() ? statement.int64(at: 0) : 0
  }

  /// Every month's evaluation record.
  func policyRuns() throws(SQLiteError) -> [BillingMonth: PolicyRunRecord] {
    let statement = try connection.prepare(
      "SELECT billing_period, fingerprint, last_import, last_inventory FROM policy_runs")
    var runs: [BillingMonth: PolicyRunRecord] = [:]
    while try statement.step() {
      guard let month = BillingMonth(statement.text(at: 0)) else { continue }
      runs[month] = PolicyRunRecord(
        fingerprint: statement.text(at: 1), lastImport: statement.int64(at: 2),
        lastInventory: statement.int64(at: 3))
    }
    return runs
  }

  /// The first month each resource (and each account and service, for lines without a
  /// resource id) was stored as non-compliant, among months before `month`.
  func firstNoncompliantMonths(before month: BillingMonth) throws(SQLiteError) -> (
    resources: [Int64: BillingMonth], unidentified: [PairKey: BillingMonth]
  ) {
    let statement = try connection.prepare(
      """
      SELECT resource, account, coalesce(service, 0), min(first_noncompliant) FROM policy_resources
      WHERE billing_period < ? GROUP BY resource, account, coalesce(service, 0)
      """)
    statement.bind(month.description, at: 1)
    var resources: [Int64: BillingMonth] = [:]
    var unidentified: [PairKey: BillingMonth] = [:]
    while try statement.step() {
      guard let first = BillingMonth(statement.text(at: 3)) else { continue }
      if let resource = statement.optionalInt64(at: 0) {
        resources[resource] = min(resources[resource] ?? first, first)
      } else {
        unidentified[PairKey(statement.int64(at: 1), statement.int64(at: 2))] = first
      }
    }
    return (resources, unidentified)
  }

  /// Replaces a month's policy results and records the run. Call inside a transaction.
  func replacePolicyResults(
    in month: BillingMonth, _ results: PolicyResults, run: PolicyRunRecord,
    counts: (lines: Int, tagGroups: Int, evaluations: Int)
  ) throws(SQLiteError) {
    let period = month.description
    for table in [
      "policy_compliance", "policy_resources", "policy_key_variants", "policy_findings",
    ] {
      let delete = try connection.prepare("DELETE FROM \(table) WHERE billing_period = ?")
      delete.bind(period, at: 1)
      try delete.run()
    }
    let compliance = try connection.prepare(
      """
      INSERT INTO policy_compliance (billing_period, billing_currency, dimension, name, key, lines,
        compliant_billed, compliant_effective, noncompliant_billed, noncompliant_effective,
        exempt_billed, exempt_effective, out_of_scope_billed, out_of_scope_effective,
        inherited_billed, inherited_effective, inventory_billed, inventory_effective,
        resources, noncompliant_resources) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      """)
    for row in results.compliance {
      compliance.bind(period, at: 1)
      compliance.bind(row.currency, at: 2)
      compliance.bind(row.dimension.rawValue, at: 3)
      compliance.bind(row.name, at: 4)
      compliance.bind(row.key, at: 5)
      compliance.bind(Int64(row.lines), at: 6)
      var column: Int32 = 7
      for pair in [
        row.compliant, row.noncompliant, row.exempt, row.outOfScope, row.inherited, row.inventory,
      ] {
        compliance.bind(pair.billed.nanos, at: column)
        compliance.bind(pair.effective.nanos, at: column + 1)
        column += 2
      }
      compliance.bind(Int64(row.resources), at: 19)
      compliance.bind(Int64(row.noncompliantResources), at: 20)
      try compliance.run()
    }
    let resource = try connection.prepare(
      """
      INSERT INTO policy_resources (billing_period, billing_currency, resource, account, service,
        team, lines, noncompliant_billed, noncompliant_effective, first_noncompliant, problems)
      VALUES (?,?,?,?,?,?,?,?,?,?,?)
      """)
    for row in results.resources {
      resource.bind(period, at: 1)
      resource.bind(row.currency, at: 2)
      resource.bind(row.resource, at: 3)
      resource.bind(row.account, at: 4)
      resource.bind(row.service, at: 5)
      resource.bind(row.team, at: 6)
      resource.bind(Int64(row.lines), at: 7)
      resource.bind(row.cost.billed.nanos, at: 8)
      resource.bind(row.cost.effective.nanos, at: 9)
      resource.bind(row.firstNoncompliant.description, at: 10)
      resource.bind(Store.encoded(row.problems), at: 11)
      try resource.run()
    }
    let variant = try connection.prepare(
      """
      INSERT INTO policy_key_variants (billing_period, billing_currency, key, raw_key, lines, billed,
        effective) VALUES (?,?,?,?,?,?,?)
      """)
    for row in results.variants {
      variant.bind(period, at: 1)
      variant.bind(row.currency, at: 2)
      variant.bind(row.key, at: 3)
      variant.bind(row.rawKey, at: 4)
      variant.bind(Int64(row.lines), at: 5)
      variant.bind(row.cost.billed.nanos, at: 6)
      variant.bind(row.cost.effective.nanos, at: 7)
      try variant.run()
    }
    let finding = try connection.prepare(
      """
      INSERT INTO policy_findings (billing_period, billing_currency, key, kind, detail, suggestion,
        lines, resources, billed, effective) VALUES (?,?,?,?,?,?,?,?,?,?)
      """)
    for row in results.findings {
      finding.bind(period, at: 1)
      finding.bind(row.currency, at: 2)
      finding.bind(row.key, at: 3)
      finding.bind(row.kind, at: 4)
      finding.bind(row.detail, at: 5)
      finding.bind(row.suggestion, at: 6)
      finding.bind(Int64(row.lines), at: 7)
      finding.bind(Int64(row.resources), at: 8)
      finding.bind(row.cost.billed.nanos, at: 9)
      finding.bind(row.cost.effective.nanos, at: 10)
      try finding.run()
    }
    // Later months' first-seen months may depend on this one: their results go stale.
    let stale = try connection.prepare("DELETE FROM policy_runs WHERE billing_period >= ?")
    stale.bind(period, at: 1)
    try stale.run()
    let record = try connection.prepare(
      """
      INSERT INTO policy_runs (billing_period, fingerprint, last_import, last_inventory, lines,
        tag_groups, evaluations) VALUES (?,?,?,?,?,?,?)
      """)
    record.bind(period, at: 1)
    record.bind(run.fingerprint, at: 2)
    record.bind(run.lastImport, at: 3)
    record.bind(run.lastInventory, at: 4)
    record.bind(Int64(counts.lines), at: 5)
    record.bind(Int64(counts.tagGroups), at: 6)
    record.bind(Int64(counts.evaluations), at: 7)
    try record.run()
  }

  /// Every month's stored compliance over every key, per currency, oldest month first.
  public func overallCompliance() throws(SQLiteError) -> [(
    month: BillingMonth, compliance: ComplianceRow
  )] {
    let statement = try connection.prepare(
      """
      SELECT billing_period, billing_currency, lines, compliant_billed, compliant_effective,
        noncompliant_billed, noncompliant_effective
      FROM policy_compliance WHERE dimension = 'overall' AND key = ''
      ORDER BY billing_period, billing_currency
      """)
    var rows: [(month: BillingMonth, compliance: ComplianceRow)] = []
    while try statement.step() {
      guard let month = BillingMonth(statement.text(at: 0)) else { continue }
      var row = ComplianceRow(
        currency: statement.text(at: 1), dimension: .overall, name: "", key: "")
      row.lines = Int(statement.int64(at: 2))
      row.compliant = CostPair(
        billed: Money(nanos: statement.int64(at: 3)),
        effective: Money(nanos: statement.int64(at: 4)))
      row.noncompliant = CostPair(
        billed: Money(nanos: statement.int64(at: 5)),
        effective: Money(nanos: statement.int64(at: 6)))
      rows.append((month, row))
    }
    return rows
  }

  /// The currencies of a month's stored compliance, with their line counts, most lines first.
  public func complianceCurrencies(in month: BillingMonth) throws(SQLiteError) -> [String] {
    let statement = try connection.prepare(
      """
      SELECT billing_currency FROM policy_compliance
      WHERE billing_period = ? AND dimension = 'overall' AND key = ''
      ORDER BY lines DESC, billing_currency
      """)
    statement.bind(month.description, at: 1)
    var currencies: [String] = []
    while try statement.step() { currencies.append(statement.text(at: 0)) }
    return currencies
  }

  /// A month's stored compliance rows in one currency, in file order of the keys (overall
  /// first), then by dimension and name.
  public func complianceRows(in month: BillingMonth, currency: String) throws(SQLiteError)
    -> [ComplianceRow]
  {
    let statement = try connection.prepare(
      """
      SELECT dimension, name, key, lines, compliant_billed, compliant_effective,
        noncompliant_billed, noncompliant_effective, exempt_billed, exempt_effective,
        out_of_scope_billed, out_of_scope_effective, inherited_billed, inherited_effective,
        inventory_billed, inventory_effective, resources, noncompliant_resources
      FROM policy_compliance WHERE billing_period = ? AND billing_currency = ?
      ORDER BY dimension, name, key
      """)
    statement.bind(month.description, at: 1)
    statement.bind(currency, at: 2)
    var rows: [ComplianceRow] = []
    while try statement.step() {
      guard let dimension = ComplianceDimension(rawValue: statement.text(at: 0)) else { continue }
      var row = ComplianceRow(
        currency: currency, dimension: dimension, name: statement.text(at: 1),
        key: statement.text(at: 2))
      row.lines = Int(statement.int64(at: 3))
      func pair(_ column: Int32) -> CostPair {
        CostPair(
          billed: Money(nanos: statement.int64(at: column)),
          effective: Money(nanos: statement.int64(at: column + 1)))
      }
      row.compliant = pair(4)
      row.noncompliant = pair(6)
      row.exempt = pair(8)
      row.outOfScope = pair(10)
      row.inherited = pair(12)
      row.inventory = pair(14)
      row.resources = Int(statement.int64(at: 16))
      row.noncompliantResources = Int(statement.int64(at: 17))
      rows.append(row)
    }
    return rows
  }

  /// A month's non-compliant resources in one currency, the costliest on `basis` first.
  public func noncompliantResources(
    in month: BillingMonth, currency: String, basis: ComplianceBasis, limit: Int?
  ) throws(SQLiteError) -> [NoncompliantResource] {
    let order = basis == .billed ? "p.noncompliant_billed" : "p.noncompliant_effective"
    let statement = try connection.prepare(
      """
      SELECT r.resource_id, a.account_id, coalesce(s.name, ''), p.team, p.lines,
        p.noncompliant_billed, p.noncompliant_effective, p.first_noncompliant, p.problems
      FROM policy_resources p JOIN accounts a ON a.id = p.account
      LEFT JOIN resources r ON r.id = p.resource LEFT JOIN services s ON s.id = p.service
      WHERE p.billing_period = ? AND p.billing_currency = ?
      ORDER BY \(order) DESC, r.resource_id, a.account_id, s.name LIMIT ?
      """)
    statement.bind(month.description, at: 1)
    statement.bind(currency, at: 2)
    statement.bind(Int64(limit ?? -1), at: 3)
    var rows: [NoncompliantResource] = []
    while try statement.step() {
      rows.append(
        NoncompliantResource(
          currency: currency, resourceID: statement.optionalText(at: 0),
          accountID: statement.text(at: 1), service: statement.text(at: 2),
          team: statement.text(at: 3), lines: Int(statement.int64(at: 4)),
          cost: CostPair(
            billed: Money(nanos: statement.int64(at: 5)),
            effective: Money(nanos: statement.int64(at: 6))),
          firstNoncompliant: BillingMonth(statement.text(at: 7)) ?? month,
          problems: Store.decodedProblems(statement.text(at: 8))))
    }
    return rows
  }

  /// A month's key variants in one currency, by key and then by cost on `basis`.
  public func keyVariants(in month: BillingMonth, currency: String, basis: ComplianceBasis)
    throws(SQLiteError) -> [KeyVariant]
  {
    let statement = try connection.prepare(
      """
      SELECT key, raw_key, lines, billed, effective FROM policy_key_variants
      WHERE billing_period = ? AND billing_currency = ?
      ORDER BY key, \(basis == .billed ? "billed" : "effective") DESC, raw_key
      """)
    statement.bind(month.description, at: 1)
    statement.bind(currency, at: 2)
    var rows: [KeyVariant] = []
    while try statement.step() {
      rows.append(
        KeyVariant(
          currency: currency, key: statement.text(at: 0), rawKey: statement.text(at: 1),
          lines: Int(statement.int64(at: 2)),
          cost: CostPair(
            billed: Money(nanos: statement.int64(at: 3)),
            effective: Money(nanos: statement.int64(at: 4)))))
    }
    return rows
  }

  /// A month's findings in one currency, the costliest on `basis` first.
  public func policyFindings(in month: BillingMonth, currency: String, basis: ComplianceBasis)
    throws(SQLiteError) -> [PolicyFinding]
  {
    let statement = try connection.prepare(
      """
      SELECT key, kind, detail, suggestion, lines, resources, billed, effective
      FROM policy_findings WHERE billing_period = ? AND billing_currency = ?
      ORDER BY \(basis == .billed ? "billed" : "effective") DESC, key, kind, detail
      """)
    statement.bind(month.description, at: 1)
    statement.bind(currency, at: 2)
    var rows: [PolicyFinding] = []
    while try statement.step() {
      rows.append(
        PolicyFinding(
          currency: currency, key: statement.text(at: 0), kind: statement.text(at: 1),
          detail: statement.text(at: 2), suggestion: statement.text(at: 3),
          lines: Int(statement.int64(at: 4)), resources: Int(statement.int64(at: 5)),
          cost: CostPair(
            billed: Money(nanos: statement.int64(at: 6)),
            effective: Money(nanos: statement.int64(at: 7)))))
    }
    return rows
  }

  /// Problems as stored: fields joined by U+001F, problems by U+001E.
  static func encoded(_ problems: [ResourceProblem]) -> String {
    problems.map {
      [$0.key, $0.problem, $0.detail, $0.suggestion ?? ""].joined(separator: "\u{1F}")
    }
    .joined(separator: "\u{1E}")
  }

  static func decodedProblems(_ text: String) -> [ResourceProblem] {
    guard !text.isEmpty else { return [] }
    return text.split(separator: "\u{1E}", omittingEmptySubsequences: false).compactMap { record in
      let fields = record.split(separator: "\u{1F}", omittingEmptySubsequences: false)
      guard fields.count == 4 else { return nil }
      return ResourceProblem(
        key: String(fields[0]), problem: String(fields[1]), detail: String(fields[2]),
        suggestion: fields[3].isEmpty ? nil : String(fields[3]))
    }
  }
}

/// Two row ids (an account and a service).
struct PairKey: Hashable {
  var first: Int64
  var second: Int64

  init(_ first: Int64, _ second: Int64) {
    self.first = first
    self.second = second
  }
}
