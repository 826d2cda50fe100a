/// Whether a month's stored allocation still matches its data and the configuration.
public enum AllocationFreshness: Sendable, Equatable {
  /// Allocated with this configuration from the current data.
  case current
  /// Never allocated.
  case missing
  /// Allocated with this configuration, but the month's data changed since (a new delivery).
  case staleData
  /// Allocated with another configuration.
  case staleConfiguration
}

extension Allocator {
  /// Resolves the month's tags (`TagResolver`), allocates its cost groups and stores the
  /// result, replacing the month's earlier allocation. Changing `tally.yaml` and running this
  /// again is all a new rule needs: nothing is re-imported.
  @discardableResult
  public func run(on store: Store, month: BillingMonth) throws -> Allocation {
    try TagResolver(policy: configuration.policy).run(on: store, month: month)
    let conditions = section.rules.compactMap(\.when) + section.shared.map(\.when)
    let key = section.by
    let tags = try store.tagResolutions(in: month).mapValues { resolved in
      GroupTags(resolved: resolved, teamKey: key)
    }
    let groups = try store.costGroups(
      in: month, fields: conditions.reduce(into: []) { $0.formUnion($1.fields) }, tags: tags,
      resources: conditions.contains(where: \.mentionsResources))
    let allocation = try allocate(groups)
    // The groups read must be the lines imported: compare with the totals read from the files.
    let read = allocation.lineTotals.mapValues {
      CostTotals(billed: $0.billed, effective: $0.effective, list: $0.list)
    }
    guard read == (try store.importedTotals(of: month)) else {
      throw AllocationError.doesNotReconcile(month)
    }
    let run = AllocationRunRecord(
      month: month, configFingerprint: configuration.allocationFingerprint,
      dataFingerprint: try store.dataFingerprint(of: month), byKey: key,
      defaultBasis: section.cost, unallocated: section.unallocated,
      reportingCurrency: section.reportingCurrency)
    try store.transaction {
      try store.replaceAllocation(allocation, run: run, methods: methods)
    }
    return allocation
  }

  /// Whether `month`'s stored allocation matches the data and this configuration.
  public func freshness(of month: BillingMonth, in store: Store) throws -> AllocationFreshness {
    guard let run = try store.allocationRun(of: month) else { return .missing }
    if run.configFingerprint != configuration.allocationFingerprint { return .staleConfiguration }
    return run.dataFingerprint == (try store.dataFingerprint(of: month)) ? .current : .staleData
  }

  /// Makes the stored allocation of `months` usable for reading: a month never allocated, or
  /// allocated with this configuration before its data changed, is allocated now. A month
  /// allocated with another configuration is left as it is (the nightly job's config is the
  /// authority, not a reader's), and a note says so.
  ///
  /// - Returns: Notes for standard error, one per month allocated or left stale.
  public func refresh(_ months: [BillingMonth], in store: Store) throws -> [String] {
    var notes: [String] = []
    let withData = Set(try store.monthsWithData())
    for month in months where withData.contains(month) {
      switch try freshness(of: month, in: store) {
      case .current:
        continue
      case .missing:
        notes.append("allocating \(month): it had no stored allocation")
        try run(on: store, month: month)
      case .staleData:
        notes.append("allocating \(month) again: its data changed since it was allocated")
        try run(on: store, month: month)
      case .staleConfiguration:
        notes.append(
          "the stored allocation of \(month) was made with another configuration; "
            + "showing it as stored (run `tally allocate` to redo it with this one)")
      }
    }
    return notes
  }

  /// The rules and pools in words, stored with the month for `tally explain`.
  var methods: [AllocationMethod] {
    var result: [AllocationMethod] = []
    for (index, rule) in section.rules.enumerated() {
      let team: String
      switch rule.team {
      case .named(let name): team = "team \(name)"
      case .fromTag(let key): team = "team from tag \(key)"
      case .fromAccount(let teams):
        team =
          "team from account ("
          + teams.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(
            separator: ", ") + ")"
      }
      let when = rule.when.map { "when \($0): " } ?? ""
      result.append(
        AllocationMethod(kind: "rule", name: rule.name, position: index, detail: when + team))
    }
    for (index, pool) in pools.enumerated() {
      result.append(
        AllocationMethod(kind: "pool", name: pool.name, position: index, detail: pool.detail))
    }
    return result
  }
}

extension SharedPool {
  /// The pool in words: `when service = AWS Support: proportional to direct cost over every
  /// team (fallback: even)`.
  var detail: String {
    let over = targets.map { "over [\($0.joined(separator: ", "))]" } ?? "over every team"
    let how: String
    switch split {
    case .proportional:
      how = "proportional to direct cost \(over) (no direct cost: \(fallback.rawValue))"
    case .even:
      how = "even \(over)"
    case .fixed(let shares):
      how =
        "fixed "
        + shares.map { "\($0.team) \($0.percent.formatted(fractionDigits: 2))%" }
        .joined(separator: ", ")
    }
    return "when \(when): \(how)"
  }
}

extension GroupTags {
  /// The group tags of a tag group's resolved tags, with `teamKey` as the team.
  init(resolved: [ResolvedTag], teamKey: String) {
    var valid: [String: String] = [:]
    var team = TeamTag.missing
    for tag in resolved {
      if tag.status == "valid" { valid[tag.key] = tag.value }
      guard tag.key == teamKey else { continue }
      switch tag.status {
      case "valid": team = .valid(team: tag.value, source: tag.source)
      case "conflict": team = .conflict
      default: team = .invalid
      }
    }
    self.init(valid: valid, team: team)
  }
}

extension Allocator {
  /// Allocates and stores `months`, or, when nil, every month with data (`all`) or every month
  /// whose stored allocation is missing or stale.
  public func allocate(_ months: [BillingMonth]?, all: Bool, in store: Store) throws
    -> AllocateOutput
  {
    let withData = try store.monthsWithData()
    guard !withData.isEmpty else { throw AllocationError.emptyStore }
    var selected = months ?? []
    if months == nil {
      for month in withData where try all || freshness(of: month, in: store) != .current {
        selected.append(month)
      }
    }
    var output = AllocateOutput()
    for month in selected {
      guard withData.contains(month) else { throw AllocationError.noData(month) }
      try output.append(try run(on: store, month: month), month: month)
    }
    return output
  }
}
