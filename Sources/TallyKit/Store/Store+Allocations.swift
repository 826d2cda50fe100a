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
  /// A month's lines grouped by everything allocation looks at, with their costs summed in SQL
  /// (thousands of groups, not millions of lines), and the attributes rule conditions test.
  ///
  /// - Parameters:
  ///   - tags: The resolved tags of each tag group; groups not in it get `GroupTags.none`.
  ///   - resourceNames: Whether to look up resource ids and types (only rules that test them
  ///     need them).
  public func costGroups(
    in month: BillingMonth, tags: [TagGroupKey: GroupTags], resourceNames: Bool
  ) throws(SQLiteError) -> [CostGroup] {
    let accounts = try names("SELECT id, account_id FROM accounts")
    let services = try names("SELECT id, name FROM services")
    let regions = try names("SELECT id, name FROM regions")
    let statement = try connection.prepare(
      """
      SELECT tag_set, coalesce(sub_account, billing_account), billing_account, provider, service,
        region, charge_category, x_line_item_type, resource, billing_currency,
        sum(billed_cost), sum(effective_cost), sum(list_cost)
      FROM cost_lines WHERE billing_period = ?
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
      """)
    statement.bind(month.description, at: 1)
    var groups: [CostGroup] = []
    while try statement.step() {
      let account = statement.int64(at: 1)
      let groupTags = tags[TagGroupKey(tagSet: statement.int64(at: 0), account: account)] ?? .none
      var attributes = LineAttributes()
      attributes.account = accounts[account] ?? ""
      attributes.billingAccount = accounts[statement.int64(at: 2)] ?? ""
      attributes.provider = statement.text(at: 3)
      let service = statement.optionalInt64(at: 4)
      attributes.service = service.flatMap { services[$0] } ?? ""
      attributes.region = statement.optionalInt64(at: 5).flatMap { regions[$0] } ?? ""
      attributes.chargeCategory = statement.text(at: 6)
      attributes.lineType = statement.text(at: 7)
      attributes.tags = groupTags.valid
      groups.append(
        CostGroup(
          attributes: attributes, account: account, service: service,
          resource: statement.optionalInt64(at: 8), currency: statement.text(at: 9),
          costs: CostTotals(
            billed: Money(nanos: statement.int64(at: 10)),
            effective: Money(nanos: statement.int64(at: 11)),
            list: Money(nanos: statement.int64(at: 12))),
          teamTag: groupTags.team))
    }
    if resourceNames { try fillResourceNames(&groups) }
    return groups
  }

  /// Sets the resource id and type of every group that names a resource.
  private func fillResourceNames(_ groups: inout [CostGroup]) throws(SQLiteError) {
    let lookup = try connection.prepare(
      "SELECT resource_id, coalesce(resource_type, '') FROM resources WHERE id = ?")
    var known: [Int64: (id: String, type: String)] = [:]
    for index in groups.indices {
      guard let resource = groups[index].resource else { continue }
      if known[resource] == nil {
        lookup.bind(resource, at: 1)
        if try lookup.step() { known[resource] = (lookup.text(at: 0), lookup.text(at: 1)) }
        lookup.reset()
      }
      groups[index].attributes.resourceID = known[resource]?.id ?? ""
      groups[index].attributes.resourceType = known[resource]?.type ?? ""
    }
  }

  /// id → text of a two-column query.
  func names(_ sql: String) throws(SQLiteError) -> [Int64: String] {
    let statement = try connection.prepare(sql)
    var result: [Int64: String] = [:]
    while try statement.step() { result[statement.int64(at: 0)] = statement.text(at: 1) }
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

  /// The months that have lines, oldest first.
  public func monthsWithData() throws(SQLiteError) -> [BillingMonth] {
    let statement = try connection.prepare(
      "SELECT DISTINCT billing_period FROM import_totals ORDER BY billing_period")
    var months: [BillingMonth] = []
    while try statement.step() {
      if let month = BillingMonth(statement.text(at: 0)) { months.append(month) }
    }
    return months
  }

  /// Replaces a month's stored allocation. Call inside a transaction.
  public func replaceAllocation(
    _ allocation: Allocation, run: AllocationRunRecord, methods: [AllocationMethod]
  ) throws(SQLiteError) {
    let month = run.month.description
    for table in [
      "allocations", "allocation_resources", "allocation_pool_parts", "allocation_methods",
      "allocation_runs",
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
