#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// What a tag group's resolved tags give the allocation: the valid canonical tags (for rule
/// conditions) and what they say about the team.
public struct GroupTags: Sendable {
  /// Canonical key → canonical value, valid values only.
  public var valid: [String: String]
  /// The team tag.
  public var team: TeamTag

  /// Creates group tags.
  public init(valid: [String: String], team: TeamTag) {
    self.valid = valid
    self.team = team
  }

  /// A line without tags.
  public static let none = GroupTags(valid: [:], team: .missing)
}

/// What a stored month's allocation was computed from.
public struct AllocationRunRecord: Sendable, Equatable {
  /// The month.
  public var month: BillingMonth
  /// `Configuration.allocationFingerprint` of the config used.
  public var configFingerprint: String
  /// The month's imports when it was allocated (`Store.dataFingerprint(of:)`).
  public var dataFingerprint: String
  /// `allocation.by`.
  public var byKey: String
  /// `allocation.cost`.
  public var defaultBasis: CostBasis
  /// The unallocated bucket's name.
  public var unallocated: String
  /// `allocation.reporting_currency`.
  public var reportingCurrency: String?

  /// Creates a record.
  public init(
    month: BillingMonth, configFingerprint: String, dataFingerprint: String, byKey: String,
    defaultBasis: CostBasis, unallocated: String, reportingCurrency: String?
  ) {
    self.month = month
    self.configFingerprint = configFingerprint
    self.dataFingerprint = dataFingerprint
    self.byKey = byKey
    self.defaultBasis = defaultBasis
    self.unallocated = unallocated
    self.reportingCurrency = reportingCurrency
  }
}

/// A rule or pool as it stood when a month was allocated.
public struct AllocationMethod: Sendable, Equatable {
  /// `rule` or `pool`.
  public var kind: String
  /// Its name.
  public var name: String
  /// Its place in the config.
  public var position: Int
  /// What it does, in words.
  public var detail: String

  /// Creates a method.
  public init(kind: String, name: String, position: Int, detail: String) {
    self.kind = kind
    self.name = name
    self.position = position
    self.detail = detail
  }
}

extension Store {
  /// A month's cost groups: its lines summed by everything allocation looks at (tag set, usage
  /// account, service, resource, charge category, currency, and those of billing account,
  /// provider, region and line type that `fields` names), each with its tag group's resolved
  /// `tags` (a group not in `tags` has none). A field left out reads as empty; resource ids
  /// and types are read only when `resources` is true.
  ///
  /// The groups come from `line_groups` (``lineGroups(in:fields:)``), which each import
  /// records: a million-line month is read as tens of thousands of rows.
  ///
  /// - Throws: ``SQLiteError``, or ``MoneyError/overflow`` when a group's sum leaves the
  ///   range of ``Money``.
  func costGroups(
    in month: BillingMonth, fields: Set<LineField>, tags: [TagGroupKey: GroupTags],
    resources: Bool
  ) throws -> [CostGroup] {
    let lineGroups = try lineGroups(in: month, fields: fields.union([.chargeCategory]))
    let accounts = try dimensionNames(.accounts)
    let services = try dimensionNames(.services)
    let regions = try dimensionNames(.regions)
    let resourceNames =
      resources
      ? try self.resourceNames(Set(lineGroups.keys.map(\.resource).filter { $0 > 0 })) : [:]
    var groups: [CostGroup] = []
    groups.reserveCapacity(lineGroups.count)
    for (index, key) in lineGroups.keys.enumerated() {
      let groupTags = tags[TagGroupKey(tagSet: key.tagSet, account: key.account)] ?? .none
      var attributes = LineAttributes()
      attributes.account = accounts[key.account] ?? ""
      attributes.billingAccount = accounts[key.billingAccount] ?? ""
      attributes.provider = lineGroups.texts[Int(key.provider)]
      attributes.service = services[key.service] ?? ""
      attributes.region = regions[key.region] ?? ""
      attributes.chargeCategory = lineGroups.texts[Int(key.chargeCategory)]
      attributes.lineType = lineGroups.texts[Int(key.lineType)]
      attributes.resourceID = resourceNames[key.resource]?.id ?? ""
      attributes.resourceType = resourceNames[key.resource]?.type ?? ""
      attributes.tags = groupTags.valid
      groups.append(
        CostGroup(
          attributes: attributes, account: key.account,
          service: key.service == 0 ? nil : key.service,
          resource: key.resource == 0 ? nil : key.resource,
          currency: lineGroups.texts[Int(key.currency)], costs: try lineGroups.costs(at: index),
          teamTag: groupTags.team))
    }
    return groups
  }

  /// The month's cost totals per currency as recorded by its imports (read from the files, so
  /// independent of the stored lines).
  public func importedTotals(of month: BillingMonth) throws(SQLiteError) -> [String: CostTotals] {
    let statement = try connection.prepare(
      """
      SELECT billing_currency, sum(billed_cost), sum(effective_cost), sum(list_cost)
      FROM import_totals WHERE billing_period = ? GROUP BY 1
      """)
    statement.bind(month.description, at: 1)
    var result: [String: CostTotals] = [:]
    while try statement.step() {
      result[statement.text(at: 0)] = CostTotals(
        billed: Money(nanos: statement.int64(at: 1)),
        effective: Money(nanos: statement.int64(at: 2)), list: Money(nanos: statement.int64(at: 3)))
    }
    return result
  }

  /// The identity of a month's data: its current imports, in order. A new delivery changes it.
  public func dataFingerprint(of month: BillingMonth) throws(SQLiteError) -> String {
    let statement = try connection.prepare(
      """
      SELECT DISTINCT import_id FROM import_totals WHERE billing_period = ? ORDER BY import_id
      """)
    statement.bind(month.description, at: 1)
    var ids: [String] = []
    while try statement.step() { ids.append(String(statement.int64(at: 0))) }
    return ids.joined(separator: ",")
  }

  /// Replaces a month's stored allocation. Call inside a transaction.
  public func replaceAllocation(
    _ allocation: Allocation, run: AllocationRunRecord, methods: [AllocationMethod]
  ) throws(SQLiteError) {
    let month = run.month.description
    for table in [
      "allocations", "allocation_resources", "allocation_pool_parts", "allocation_methods",
      "allocation_unallocated", "allocation_runs",
    ] {
      let delete = try connection.prepare("DELETE FROM \(table) WHERE billing_period = ?")
      delete.bind(month, at: 1)
      try delete.run()
    }
    let insertRun = try connection.prepare(
      """
      INSERT INTO allocation_runs (billing_period, config_fingerprint, data_fingerprint, by_key,
        default_basis, unallocated, reporting_currency, allocated_at)
      VALUES (?,?,?,?,?,?,?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      """)
    insertRun.bind(month, at: 1)
    insertRun.bind(run.configFingerprint, at: 2)
    insertRun.bind(run.dataFingerprint, at: 3)
    insertRun.bind(run.byKey, at: 4)
    insertRun.bind(run.defaultBasis.rawValue, at: 5)
    insertRun.bind(run.unallocated, at: 6)
    insertRun.bind(run.reportingCurrency, at: 7)
    try insertRun.run()

    let insertEntry = try connection.prepare(
      """
      INSERT INTO allocations (billing_period, currency, basis, team, step, source, account,
        service, tag_status, amount, method, weight, weight_total, pool_total)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      """, persistent: true)
    insertEntry.bind(month, at: 1)
    for entry in allocation.entries {
      insertEntry.bind(entry.currency, at: 2)
      insertEntry.bind(entry.basis.rawValue, at: 3)
      insertEntry.bind(entry.team, at: 4)
      insertEntry.bind(entry.step.rawValue, at: 5)
      insertEntry.bind(entry.source, at: 6)
      insertEntry.bind(entry.account, at: 7)
      insertEntry.bind(entry.service, at: 8)
      insertEntry.bind(entry.tagStatus, at: 9)
      insertEntry.bind(entry.amount.nanos, at: 10)
      insertEntry.bind(entry.share?.method.rawValue, at: 11)
      insertEntry.bind(entry.share?.weight, at: 12)
      insertEntry.bind(entry.share?.weightTotal, at: 13)
      insertEntry.bind(entry.share?.poolTotal.nanos, at: 14)
      try insertEntry.run()
    }

    let insertResource = try connection.prepare(
      """
      INSERT INTO allocation_resources (billing_period, currency, basis, team, resource,
        tag_status, step, source, amount) VALUES (?,?,?,?,?,?,?,?,?)
      """, persistent: true)
    insertResource.bind(month, at: 1)
    for charge in allocation.resources {
      insertResource.bind(charge.currency, at: 2)
      insertResource.bind(charge.basis.rawValue, at: 3)
      insertResource.bind(charge.team, at: 4)
      insertResource.bind(charge.resource, at: 5)
      insertResource.bind(charge.tagStatus, at: 6)
      insertResource.bind(charge.step.rawValue, at: 7)
      insertResource.bind(charge.source, at: 8)
      insertResource.bind(charge.amount.nanos, at: 9)
      try insertResource.run()
    }

    let insertPart = try connection.prepare(
      """
      INSERT INTO allocation_pool_parts (billing_period, currency, basis, pool, account, service,
        amount) VALUES (?,?,?,?,?,?,?)
      """)
    insertPart.bind(month, at: 1)
    for part in allocation.poolParts {
      insertPart.bind(part.currency, at: 2)
      insertPart.bind(part.basis.rawValue, at: 3)
      insertPart.bind(part.pool, at: 4)
      insertPart.bind(part.account, at: 5)
      insertPart.bind(part.service, at: 6)
      insertPart.bind(part.amount.nanos, at: 7)
      try insertPart.run()
    }

    let insertUnallocated = try connection.prepare(
      """
      INSERT INTO allocation_unallocated (billing_period, currency, basis, resource, account,
        service, source, amount) VALUES (?,?,?,?,?,?,?,?)
      """)
    insertUnallocated.bind(month, at: 1)
    for charge in allocation.unallocated {
      insertUnallocated.bind(charge.currency, at: 2)
      insertUnallocated.bind(charge.basis.rawValue, at: 3)
      insertUnallocated.bind(charge.resource, at: 4)
      insertUnallocated.bind(charge.account, at: 5)
      insertUnallocated.bind(charge.service, at: 6)
      insertUnallocated.bind(charge.source, at: 7)
      insertUnallocated.bind(charge.amount.nanos, at: 8)
      try insertUnallocated.run()
    }

    let insertMethod = try connection.prepare(
      """
      INSERT INTO allocation_methods (billing_period, kind, name, position, detail)
      VALUES (?,?,?,?,?)
      """)
    insertMethod.bind(month, at: 1)
    for method in methods {
      insertMethod.bind(method.kind, at: 2)
      insertMethod.bind(method.name, at: 3)
      insertMethod.bind(Int64(method.position), at: 4)
      insertMethod.bind(method.detail, at: 5)
      try insertMethod.run()
    }
  }

  /// What a month's stored allocation was computed from; nil when it was never allocated.
  public func allocationRun(of month: BillingMonth) throws(SQLiteError) -> AllocationRunRecord? {
    let statement = try connection.prepare(
      """
      SELECT config_fingerprint, data_fingerprint, by_key, default_basis, unallocated,
        reporting_currency FROM allocation_runs WHERE billing_period = ?
      """)
    statement.bind(month.description, at: 1)
    guard try statement.step() else { return nil }
    return AllocationRunRecord(
      month: month, configFingerprint: statement.text(at: 0),
      dataFingerprint: statement.text(at: 1), byKey: statement.text(at: 2),
      defaultBasis: CostBasis(rawValue: statement.text(at: 3)) ?? .effective,
      unallocated: statement.text(at: 4), reportingCurrency: statement.optionalText(at: 5))
  }
}
