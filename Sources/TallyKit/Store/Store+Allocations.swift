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
  /// A month's lines grouped by everything allocation looks at (tag set, usage account,
  /// service, resource, charge category, currency, and those of billing account, provider,
  /// region and line type that `fields` names), with their billed, effective and list costs
  /// summed. A field left out reads as empty.
  ///
  /// The lines are read once, in row-id order, and summed in a hash table keyed by interned
  /// ids: a million-line month is a few thousand groups. This is about three times faster than
  /// `GROUP BY`, whose sorter orders every line first (docs/performance.md).
  ///
  /// - Throws: ``SQLiteError``, or ``MoneyError/overflow`` when a group's sum leaves the
  ///   range of ``Money``.
  public func costGroupSums(in month: BillingMonth, fields: Set<LineField>) throws
    -> CostGroupSums
  {
    func column(_ name: String, for field: LineField) -> String {
      fields.contains(field) ? name : "NULL"
    }
    // The month's lines lie in the row-id ranges of the imports that delivered it: scanning
    // those ranges reads the table in order, where the `billing_period` index would look every
    // row up on its own (`+` keeps the planner off that index).
    let ranges = try connection.prepare(
      """
      SELECT first_line_id, last_line_id FROM imports
      WHERE id IN (SELECT import_id FROM import_totals WHERE billing_period = ?)
        AND first_line_id IS NOT NULL
      ORDER BY first_line_id
      """)
    ranges.bind(month.description, at: 1)
    let statement = try connection.prepare(
      """
      SELECT tag_set, coalesce(sub_account, billing_account), service, resource, billed_cost,
        effective_cost, list_cost, charge_category, billing_currency,
        \(column("billing_account", for: .billingAccount)), \(column("provider", for: .provider)),
        \(column("region", for: .region)), \(column("x_line_item_type", for: .lineType))
      FROM cost_lines WHERE id BETWEEN ? AND ? AND +billing_period = ?
      """)
    statement.bind(month.description, at: 3)
    var sums = CostGroupSums()
    var index: [CostGroupSums.Key: Int] = [:]
    // Columns no condition tests are not read at all (each read is a call into SQLite).
    let billingAccounts = fields.contains(.billingAccount)
    let providers = fields.contains(.provider)
    let regions = fields.contains(.region)
    let lineTypes = fields.contains(.lineType)
    if !providers { _ = sums.providers.id(of: UnsafeRawBufferPointer(start: nil, count: 0)) }
    if !lineTypes { _ = sums.lineTypes.id(of: UnsafeRawBufferPointer(start: nil, count: 0)) }
    while try ranges.step() {
      statement.bind(ranges.int64(at: 0), at: 1)
      statement.bind(ranges.int64(at: 1), at: 2)
      while try statement.step() {
        // Row ids start at 1, so 0 stands for NULL.
        let key = CostGroupSums.Key(
          tagSet: statement.int64(at: 0), account: statement.int64(at: 1),
          service: statement.int64(at: 2), resource: statement.int64(at: 3),
          category: statement.withText(at: 7) { sums.categories.id(of: $0) },
          currency: statement.withText(at: 8) { sums.currencies.id(of: $0) },
          billingAccount: billingAccounts ? statement.int64(at: 9) : 0,
          provider: providers ? statement.withText(at: 10) { sums.providers.id(of: $0) } : 0,
          region: regions ? statement.int64(at: 11) : 0,
          lineType: lineTypes ? statement.withText(at: 12) { sums.lineTypes.id(of: $0) } : 0)
        let costs = (statement.int64(at: 4), statement.int64(at: 5), statement.int64(at: 6))
        if let position = index[key] {
          try sums.add(costs, at: position)
        } else {
          index[key] = sums.keys.count
          sums.keys.append(key)
          sums.costs.append(costs)
        }
      }
      statement.reset()
    }
    sums.accounts = try names("SELECT id, account_id FROM accounts")
    sums.services = try names("SELECT id, name FROM services")
    sums.regions = try names("SELECT id, name FROM regions")
    return sums
  }

  /// Sets the resource id and type of every group that names a resource (for rules that test
  /// them).
  public func fillResourceNames(_ groups: inout [CostGroup]) throws(SQLiteError) {
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

/// A month's lines summed by group (`Store.costGroupSums(in:fields:)`), before their tags are
/// known.
public struct CostGroupSums: Sendable {
  /// What makes a group: interned ids of everything allocation looks at (0: none).
  struct Key: Hashable {
    var tagSet: Int64
    var account: Int64
    var service: Int64
    var resource: Int64
    var category: Int
    var currency: Int
    var billingAccount: Int64
    var provider: Int
    var region: Int64
    var lineType: Int

    /// Two mixed words rather than ten fields: this runs once per line. Groups that differ only
    /// in the rarely varying fields collide and are told apart by `==`.
    func hash(into hasher: inout Hasher) {
      hasher.combine(tagSet ^ (resource &* -0x61C8_8646_80B5_83EB))
      hasher.combine(
        account ^ (service &<< 24) ^ (Int64(category) &<< 48) ^ (Int64(currency) &<< 56))
    }
  }

  var keys: [Key] = []
  var costs: [(billed: Int64, effective: Int64, list: Int64)] = []
  var categories = TextInterner()
  var currencies = TextInterner()
  var providers = TextInterner()
  var lineTypes = TextInterner()
  var accounts: [Int64: String] = [:]
  var services: [Int64: String] = [:]
  var regions: [Int64: String] = [:]

  mutating func add(_ more: (Int64, Int64, Int64), at position: Int) throws(MoneyError) {
    let (billed, o1) = costs[position].billed.addingReportingOverflow(more.0)
    let (effective, o2) = costs[position].effective.addingReportingOverflow(more.1)
    let (list, o3) = costs[position].list.addingReportingOverflow(more.2)
    guard !(o1 || o2 || o3) else { throw MoneyError.overflow }
    costs[position] = (billed, effective, list)
  }

  /// The groups with the attributes conditions test, given each tag group's resolved tags
  /// (groups not in `tags` get `GroupTags.none`).
  public func groups(tags: [TagGroupKey: GroupTags]) -> [CostGroup] {
    var groups: [CostGroup] = []
    groups.reserveCapacity(keys.count)
    for (key, sum) in zip(keys, costs) {
      let groupTags = tags[TagGroupKey(tagSet: key.tagSet, account: key.account)] ?? .none
      var attributes = LineAttributes()
      attributes.account = accounts[key.account] ?? ""
      attributes.billingAccount = accounts[key.billingAccount] ?? ""
      attributes.provider = providers.values[key.provider]
      attributes.service = services[key.service] ?? ""
      attributes.region = regions[key.region] ?? ""
      attributes.chargeCategory = categories.values[key.category]
      attributes.lineType = lineTypes.values[key.lineType]
      attributes.tags = groupTags.valid
      groups.append(
        CostGroup(
          attributes: attributes, account: key.account,
          service: key.service == 0 ? nil : key.service,
          resource: key.resource == 0 ? nil : key.resource,
          currency: currencies.values[key.currency],
          costs: CostTotals(
            billed: Money(nanos: sum.billed), effective: Money(nanos: sum.effective),
            list: Money(nanos: sum.list)),
          teamTag: groupTags.team))
    }
    return groups
  }
}

/// Numbers the few distinct values of a text column as they are met, comparing bytes so that
/// a `String` is made once per value, not once per line.
struct TextInterner: Sendable {
  /// The values, by id.
  private(set) var values: [String] = []
  private var bytes: [[UInt8]] = []

  private var last = 0

  /// The id of `text` (NULL reads as empty). Lines come in runs of the same value, so the last
  /// value met is tried first.
  mutating func id(of text: UnsafeRawBufferPointer) -> Int {
    if last < bytes.count, equal(bytes[last], text) { return last }
    for (id, known) in bytes.enumerated() where equal(known, text) {
      last = id
      return id
    }
    bytes.append(Array(text))
    values.append(String(decoding: text, as: UTF8.self))
    last = values.count - 1
    return last
  }

  private func equal(_ known: [UInt8], _ text: UnsafeRawBufferPointer) -> Bool {
    guard known.count == text.count else { return false }
    guard let base = text.baseAddress else { return true }
    return known.withUnsafeBytes { known in
      guard let start = known.baseAddress else { return false }
      return memcmp(start, base, text.count) == 0
    }
  }
}
