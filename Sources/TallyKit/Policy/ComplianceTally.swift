/// Sums a month's verdicts into the stored results: compliance per slice (overall, team,
/// account, service) and key, the non-compliant resources, the raw key spellings behind each
/// canonical key, and the findings (invalid values, conflicts, miscased keys).
///
/// Costs are summed in `Int128` and checked into `Money` at the end, so only totals must fit.
/// Groups are first summed per (currency, verdict, account, service), a few thousand, and only
/// those sums are spread over the slices; resources are counted from per-resource bit sets
/// (bit 0: any key, bit i + 1: key i), OR-ed per resource and slice, so that a resource counts
/// once per slice however many groups it has.
struct ComplianceTally {
  /// What the tally needs to know of each verdict.
  struct VerdictInfo {
    var verdict: GroupVerdict
    /// The tags resolved for its tag group (for the raw key spellings).
    var resolved: [ResolvedTag]
  }

  private let keys: [String]
  private let verdicts: [VerdictInfo]
  private let texts: [String]
  private let accountNames: [Int64: String]
  private let serviceNames: [Int64: String]
  /// Bits of the keys judged (not exempt, in scope) and found wanting, per verdict.
  private var judgedBits: [UInt128] = []
  private var problemBits: [UInt128] = []
  private var teamIDs: [Int64] = []
  private var teams: [String] = [""]
  /// The problems of each verdict, with the index of their key, in key order.
  private var problemLists: [[(index: Int, problem: ResourceProblem)]] = []
  /// The findings (invalid values, conflicts, miscased keys) of each verdict, as indexes into
  /// ``findingEntries``, and the raw key spellings of its tags, as indexes into
  /// ``variantEntries``: hashed once per verdict rather than once per group.
  private var findingIDs: [[Int]] = []
  private var findingEntries: [(key: Int, kind: String, detail: String, suggestion: String)] = []
  private var variantIDs: [[Int]] = []
  private var variantEntries: [(key: String, rawKey: String)] = []

  init(
    keys: [String], verdicts: [VerdictInfo], texts: [String], accountNames: [Int64: String],
    serviceNames: [Int64: String]
  ) {
    self.keys = keys
    self.verdicts = verdicts
    self.texts = texts
    self.accountNames = accountNames
    self.serviceNames = serviceNames
    var teamIndex: [String: Int64] = ["": 0]
    var findingIndex: [FindingKey: Int] = [:]
    var variantIndex: [VariantKey: Int] = [:]
    for info in verdicts {
      let verdict = info.verdict
      var judged: UInt128 = 0
      var problems: UInt128 = 0
      if verdict.status != .exempt { judged |= 1 }
      if verdict.status == .noncompliant { problems |= 1 }
      for (index, key) in verdict.keys.enumerated() {
        let bit = UInt128(1) << (index + 1)
        switch key {
        case .exempt, .outOfScope: break
        case .compliant: judged |= bit
        case .missing, .invalid, .conflict, .miscased:
          judged |= bit
          problems |= bit
        }
      }
      judgedBits.append(judged)
      problemBits.append(problems)
      var findings: [Int] = []
      for (index, key) in verdict.keys.enumerated() {
        guard let problem = key.problem, problem != "missing" else { continue }
        let findingKey = FindingKey(key: index, kind: problem, detail: key.detail)
        if let id = findingIndex[findingKey] {
          findings.append(id)
        } else {
          findingIndex[findingKey] = findingEntries.count
          findings.append(findingEntries.count)
          findingEntries.append((index, problem, key.detail, key.suggestion ?? ""))
        }
      }
      findingIDs.append(findings)
      var variants: [Int] = []
      for tag in info.resolved where tag.source == TagSource.bill.rawValue {
        for rawKey in tag.rawKeys {
          let variantKey = VariantKey(key: tag.key, rawKey: rawKey)
          if let id = variantIndex[variantKey] {
            variants.append(id)
          } else {
            variantIndex[variantKey] = variantEntries.count
            variants.append(variantEntries.count)
            variantEntries.append((tag.key, rawKey))
          }
        }
      }
      variantIDs.append(variants)
      problemLists.append(
        verdict.keys.enumerated().compactMap { index, key in
          key.problem.map {
            (
              index,
              ResourceProblem(
                key: keys[index], problem: $0, detail: key.detail, suggestion: key.suggestion)
            )
          }
        })
      if let id = teamIndex[verdict.team] {
        teamIDs.append(id)
      } else {
        let id = Int64(teams.count)
        teams.append(verdict.team)
        teamIndex[verdict.team] = id
        teamIDs.append(id)
      }
    }
  }

  /// The results of the groups of a month, each judged by `verdictOf[group]`.
  func results(
    groups: LineGroups, verdictOf: [Int], month: BillingMonth,
    firstSeen: (resources: [Int64: BillingMonth], unidentified: [PairKey: BillingMonth])
  ) throws(MoneyError) -> PolicyResults {
    var sums: [SumKey: Sums] = [:]
    var resourceBits: [ResourceEntryKey: Bits] = [:]
    resourceBits.reserveCapacity(groups.count)
    var offenders: [OffenderKey: Offender] = [:]
    var findingResources: Set<FindingResource> = []
    offenders.reserveCapacity(groups.count / 2)
    for group in 0..<groups.count {
      let key = groups.keys[group]
      let verdict = verdictOf[group]
      sums[
        SumKey(
          currency: key.currency, verdict: verdict, account: key.account, service: key.service),
        default: Sums()
      ].add(lines: groups.lines[group], groups.billed[group], groups.effective[group])
      if key.resource != 0 {
        resourceBits[
          ResourceEntryKey(
            currency: key.currency, resource: key.resource, team: teamIDs[verdict],
            account: key.account, service: key.service),
          default: Bits()
        ].add(judged: judgedBits[verdict], problems: problemBits[verdict])
      }
      guard verdicts[verdict].verdict.status == .noncompliant else { continue }
      let offenderKey = OffenderKey(
        currency: key.currency, resource: key.resource,
        account: key.resource == 0 ? key.account : 0,
        service: key.resource == 0 ? key.service : 0)
      offenders[offenderKey, default: Offender(account: key.account, service: key.service)].add(
        group: group, verdict: verdict, groups)
      if key.resource != 0 {
        for finding in findingIDs[verdict] {
          findingResources.insert(
            FindingResource(currency: key.currency, finding: finding, resource: key.resource))
        }
      }
    }
    var results = PolicyResults()
    results.compliance = try complianceRows(sums: sums, resourceBits: resourceBits)
    results.resources = try offenderRows(offenders, month: month, firstSeen: firstSeen)
    (results.variants, results.findings) = try variantsAndFindings(
      sums: sums, findingResources: findingResources)
    return results
  }

  // MARK: Compliance

  private func complianceRows(sums: [SumKey: Sums], resourceBits: [ResourceEntryKey: Bits])
    throws(MoneyError) -> [ComplianceRow]
  {
    var slices = Slices(keyCount: keys.count)
    for (key, sum) in sums {
      let info = verdicts[key.verdict].verdict
      forEachSlice(key.currency, teamIDs[key.verdict], key.account, key.service) { slice in
        slices.update(slice) { counts in
          counts[0].add(sum, status: info.status)
          for (index, verdict) in info.keys.enumerated() {
            counts[index + 1].add(sum, key: verdict)
          }
        }
      }
    }
    // A resource counts once per slice: OR the bits of its groups per slice first. Entries
    // are sorted by resource so that each resource's entries (nearly always one) are together.
    let entries = resourceBits.sorted {
      ($0.key.currency, $0.key.resource) < ($1.key.currency, $1.key.resource)
    }
    var start = 0
    while start < entries.count {
      var end = start + 1
      while end < entries.count, entries[end].key.currency == entries[start].key.currency,
        entries[end].key.resource == entries[start].key.resource
      {
        end += 1
      }
      if end - start == 1 {
        let (key, bits) = entries[start]
        forEachSlice(key.currency, key.team, key.account, key.service) { slice in
          slices.count(bits, in: slice)
        }
      } else {
        var merged: [SliceKey: Bits] = [:]
        for (key, bits) in entries[start..<end] {
          forEachSlice(key.currency, key.team, key.account, key.service) { slice in
            merged[slice, default: Bits()].add(bits)
          }
        }
        for (slice, bits) in merged { slices.count(bits, in: slice) }
      }
      start = end
    }
    var rows: [ComplianceRow] = []
    for (slice, index) in slices.index {
      for (keyIndex, counts) in slices.counts[index].enumerated() {
        rows.append(
          try counts.row(
            currency: texts[Int(slice.currency)], dimension: slice.dimension,
            name: name(of: slice), key: keyIndex == 0 ? "" : keys[keyIndex - 1]))
      }
    }
    return rows.sorted {
      ($0.currency, $0.dimension.rawValue, $0.name, $0.key)
        < ($1.currency, $1.dimension.rawValue, $1.name, $1.key)
    }
  }

  /// Calls `body` with the four slices a line of this team, account and service falls in.
  private func forEachSlice(
    _ currency: Int32, _ team: Int64, _ account: Int64, _ service: Int64,
    _ body: (SliceKey) -> Void
  ) {
    body(SliceKey(currency: currency, dimension: .overall, name: 0))
    body(SliceKey(currency: currency, dimension: .team, name: team))
    body(SliceKey(currency: currency, dimension: .account, name: account))
    body(SliceKey(currency: currency, dimension: .service, name: service))
  }

  private func name(of slice: SliceKey) -> String {
    switch slice.dimension {
    case .overall: ""
    case .team: teams[Int(slice.name)]
    case .account: accountNames[slice.name] ?? ""
    case .service: serviceNames[slice.name] ?? ""
    }
  }

  // MARK: Offenders

  private func offenderRows(
    _ offenders: [OffenderKey: Offender], month: BillingMonth,
    firstSeen: (resources: [Int64: BillingMonth], unidentified: [PairKey: BillingMonth])
  ) throws(MoneyError) -> [StoredNoncompliantResource] {
    var rows: [StoredNoncompliantResource] = []
    rows.reserveCapacity(offenders.count)
    for (key, offender) in offenders {
      let earlier =
        key.resource != 0
        ? firstSeen.resources[key.resource]
        : firstSeen.unidentified[PairKey(key.account, key.service)]
      var problems: [ResourceProblem]
      var team: String
      if offender.verdicts.count == 1, let only = offender.verdicts.first {
        problems = problemLists[only].map(\.problem)
        team = verdicts[only].verdict.team
      } else {
        // Several verdicts (tags changed during the month): the union, in key order.
        var union: [(index: Int, problem: ResourceProblem)] = []
        var seen: Set<ResourceProblem> = []
        for verdict in offender.verdicts {
          for entry in problemLists[verdict] where seen.insert(entry.problem).inserted {
            union.append(entry)
          }
        }
        union.sort { ($0.index, $0.problem.detail) < ($1.index, $1.problem.detail) }
        problems = union.map(\.problem)
        team =
          offender.verdicts.map { verdicts[$0].verdict.team }.filter { !$0.isEmpty }.min() ?? ""
      }
      rows.append(
        StoredNoncompliantResource(
          currency: texts[Int(key.currency)], resource: key.resource == 0 ? nil : key.resource,
          account: offender.account, service: offender.service == 0 ? nil : offender.service,
          team: team, lines: offender.sums.lines, cost: try offender.sums.pair(),
          firstNoncompliant: min(earlier ?? month, month), problems: problems))
    }
    return rows
  }

  // MARK: Variants and findings

  private func variantsAndFindings(sums: [SumKey: Sums], findingResources: Set<FindingResource>)
    throws(MoneyError) -> ([KeyVariant], [PolicyFinding])
  {
    var variants: [EntryKey: Sums] = [:]
    var findings: [EntryKey: Sums] = [:]
    for (key, sum) in sums {
      for variant in variantIDs[key.verdict] {
        variants[EntryKey(currency: key.currency, entry: variant), default: Sums()].add(sum)
      }
      for finding in findingIDs[key.verdict] {
        findings[EntryKey(currency: key.currency, entry: finding), default: Sums()].add(sum)
      }
    }
    var resourceCounts: [EntryKey: Int] = [:]
    for entry in findingResources {
      resourceCounts[EntryKey(currency: entry.currency, entry: entry.finding), default: 0] += 1
    }
    var variantRows: [KeyVariant] = []
    for (key, sum) in variants {
      let entry = variantEntries[key.entry]
      variantRows.append(
        KeyVariant(
          currency: texts[Int(key.currency)], key: entry.key, rawKey: entry.rawKey,
          lines: sum.lines, cost: try sum.pair()))
    }
    var findingRows: [PolicyFinding] = []
    for (key, sum) in findings {
      let entry = findingEntries[key.entry]
      findingRows.append(
        PolicyFinding(
          currency: texts[Int(key.currency)], key: keys[entry.key], kind: entry.kind,
          detail: entry.detail, suggestion: entry.suggestion, lines: sum.lines,
          resources: resourceCounts[key] ?? 0, cost: try sum.pair()))
    }
    variantRows.sort { ($0.currency, $0.key, $0.rawKey) < ($1.currency, $1.key, $1.rawKey) }
    findingRows.sort {
      ($0.currency, $0.key, $0.kind, $0.detail) < ($1.currency, $1.key, $1.kind, $1.detail)
    }
    return (variantRows, findingRows)
  }
}

// MARK: - Accumulators

/// Lines and the two costs, summed without overflow.
private struct Sums {
  var lines = 0
  var billed: Int128 = 0
  var effective: Int128 = 0

  mutating func add(lines: Int, _ billed: Int128, _ effective: Int128) {
    self.lines += lines
    self.billed += billed
    self.effective += effective
  }

  mutating func add(_ other: Sums) { add(lines: other.lines, other.billed, other.effective) }

  func pair() throws(MoneyError) -> CostPair {
    guard let billed = Int64(exactly: billed), let effective = Int64(exactly: effective) else {
      throw MoneyError.overflow
    }
    return CostPair(billed: Money(nanos: billed), effective: Money(nanos: effective))
  }
}

/// The sums of one slice and key.
private struct Counts {
  var lines = 0
  var compliant = Sums()
  var noncompliant = Sums()
  var exempt = Sums()
  var outOfScope = Sums()
  var inherited = Sums()
  var inventory = Sums()
  var resources = 0
  var noncompliantResources = 0

  /// Adds lines judged over every key.
  mutating func add(_ sum: Sums, status: LineStatus) {
    lines += sum.lines
    switch status {
    case .exempt: exempt.add(sum)
    case .noncompliant: noncompliant.add(sum)
    case .compliant(let source): addCompliant(sum, source)
    }
  }

  /// Adds lines judged on one key.
  mutating func add(_ sum: Sums, key verdict: KeyVerdict) {
    lines += sum.lines
    switch verdict {
    case .exempt: exempt.add(sum)
    case .outOfScope: outOfScope.add(sum)
    case .compliant(let source): addCompliant(sum, source ?? .bill)
    case .missing, .invalid, .conflict, .miscased: noncompliant.add(sum)
    }
  }

  private mutating func addCompliant(_ sum: Sums, _ source: TagSource) {
    compliant.add(sum)
    if source == .accountDefault { inherited.add(sum) }
    if source == .inventory { inventory.add(sum) }
  }

  func row(currency: String, dimension: ComplianceDimension, name: String, key: String)
    throws(MoneyError) -> ComplianceRow
  {
    var row = ComplianceRow(currency: currency, dimension: dimension, name: name, key: key)
    row.lines = lines
    row.compliant = try compliant.pair()
    row.noncompliant = try noncompliant.pair()
    row.exempt = try exempt.pair()
    row.outOfScope = try outOfScope.pair()
    row.inherited = try inherited.pair()
    row.inventory = try inventory.pair()
    row.resources = resources
    row.noncompliantResources = noncompliantResources
    return row
  }
}

/// Per slice, one ``Counts`` for every key and one for each key.
private struct Slices {
  let keyCount: Int
  var index: [SliceKey: Int] = [:]
  var counts: [[Counts]] = []

  init(keyCount: Int) { self.keyCount = keyCount }

  mutating func update(_ slice: SliceKey, _ body: (inout [Counts]) -> Void) {
    let at: Int
    if let existing = index[slice] {
      at = existing
    } else {
      at = counts.count
      index[slice] = at
      counts.append(Array(repeating: Counts(), count: keyCount + 1))
    }
    body(&counts[at])
  }

  /// Counts a resource whose groups have `bits` in the slice.
  mutating func count(_ bits: Bits, in slice: SliceKey) {
    update(slice) { counts in
      for index in counts.indices {
        let bit = UInt128(1) << index
        if bits.judged & bit != 0 { counts[index].resources += 1 }
        if bits.problems & bit != 0 { counts[index].noncompliantResources += 1 }
      }
    }
  }
}

/// Judged and problem bits, OR-ed over groups.
private struct Bits {
  var judged: UInt128 = 0
  var problems: UInt128 = 0

  mutating func add(judged: UInt128, problems: UInt128) {
    self.judged |= judged
    self.problems |= problems
  }

  mutating func add(_ other: Bits) { add(judged: other.judged, problems: other.problems) }
}

/// A non-compliant resource (or the unidentified lines of an account and service) being summed.
private struct Offender {
  var account: Int64
  var service: Int64
  var sums = Sums()
  var verdicts: Set<Int> = []

  mutating func add(group: Int, verdict: Int, _ groups: LineGroups) {
    sums.add(lines: groups.lines[group], groups.billed[group], groups.effective[group])
    verdicts.insert(verdict)
  }
}

private struct SumKey: Hashable {
  var currency: Int32
  var verdict: Int
  var account: Int64
  var service: Int64
}

private struct ResourceEntryKey: Hashable {
  var currency: Int32
  var resource: Int64
  var team: Int64
  var account: Int64
  var service: Int64
}

private struct SliceKey: Hashable {
  var currency: Int32
  var dimension: ComplianceDimension
  /// The team index, account row id or service row id; 0 for overall.
  var name: Int64
}

private struct OffenderKey: Hashable {
  var currency: Int32
  var resource: Int64
  /// For lines without a resource: their account and service.
  var account: Int64
  var service: Int64
}

private struct VariantKey: Hashable {
  var key: String
  var rawKey: String
}

private struct FindingKey: Hashable {
  var key: Int
  var kind: String
  var detail: String
}

/// A variant or finding (by index) in one currency.
private struct EntryKey: Hashable {
  var currency: Int32
  var entry: Int
}

private struct FindingResource: Hashable {
  var currency: Int32
  var finding: Int
  var resource: Int64
}
