/// Sums a month's verdicts into the stored results: compliance per slice (overall, team,
/// account, service) and key, the non-compliant resources, the raw key spellings behind each
/// canonical key, and the findings (invalid values, conflicts, miscased keys).
///
/// Costs are summed in `Int128` and checked into `Money` at the end, so only totals must fit.
/// Groups are first summed per (currency, verdict, account, service), a few thousand, and only
/// those sums are spread over the slices; resources are counted from per-resource bit sets
/// (bit 0: any key, bit i + 1: key i), so that a resource counts once per slice however many
/// groups it has.
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
    var resourceBits: [ResourceKey: Bits] = [:]
    var offenders: [OffenderKey: Offender] = [:]
    var findingResources: Set<FindingResource> = []
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
          ResourceKey(
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
        for (index, keyVerdict) in verdicts[verdict].verdict.keys.enumerated()
        where keyVerdict.problem != nil && keyVerdict.problem != "missing" {
          findingResources.insert(
            FindingResource(
              currency: key.currency, key: index, kind: keyVerdict.problem ?? "",
              detail: keyVerdict.detail, resource: key.resource))
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

  private func complianceRows(sums: [SumKey: Sums], resourceBits: [ResourceKey: Bits])
    throws(MoneyError) -> [ComplianceRow]
  {
    var slices = Slices(keyCount: keys.count)
    for (key, sum) in sums {
      let info = verdicts[key.verdict].verdict
      for slice in sliceKeys(key.currency, teamIDs[key.verdict], key.account, key.service) {
        slices.update(slice) { counts in
          counts[0].add(sum, status: info.status)
          for (index, verdict) in info.keys.enumerated() {
            counts[index + 1].add(sum, key: verdict)
          }
        }
      }
    }
    // A resource counts once per slice: merge its groups' bits per slice first.
    var merged: [SliceResource: Bits] = [:]
    for (key, bits) in resourceBits {
      for slice in sliceKeys(key.currency, key.team, key.account, key.service) {
        merged[SliceResource(slice: slice, resource: key.resource), default: Bits()].add(bits)
      }
    }
    for (key, bits) in merged {
      slices.update(key.slice) { counts in
        for index in 0...keys.count {
          let bit = UInt128(1) << index
          if bits.judged & bit != 0 { counts[index].resources += 1 }
          if bits.problems & bit != 0 { counts[index].noncompliantResources += 1 }
        }
      }
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

  private func sliceKeys(_ currency: Int32, _ team: Int64, _ account: Int64, _ service: Int64)
    -> [SliceKey]
  {
    [
      SliceKey(currency: currency, dimension: .overall, name: 0),
      SliceKey(currency: currency, dimension: .team, name: team),
      SliceKey(currency: currency, dimension: .account, name: account),
      SliceKey(currency: currency, dimension: .service, name: service),
    ]
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
      var problems: [ResourceProblem] = []
      var seen: Set<ResourceProblem> = []
      for verdict in offender.verdicts.sorted() {
        for (index, keyVerdict) in verdicts[verdict].verdict.keys.enumerated() {
          guard let problem = keyVerdict.problem else { continue }
          let entry = ResourceProblem(
            key: keys[index], problem: problem, detail: keyVerdict.detail,
            suggestion: keyVerdict.suggestion)
          if seen.insert(entry).inserted { problems.append(entry) }
        }
      }
      let order = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
      problems.sort { (order[$0.key] ?? 0, $0.detail) < (order[$1.key] ?? 0, $1.detail) }
      let team =
        offender.verdicts.map { verdicts[$0].verdict.team }.filter { !$0.isEmpty }.min() ?? ""
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
    var variants: [VariantKey: Sums] = [:]
    var findings: [FindingKey: (sums: Sums, suggestion: String)] = [:]
    for (key, sum) in sums {
      let info = verdicts[key.verdict]
      for tag in info.resolved where tag.source == TagSource.bill.rawValue {
        for rawKey in tag.rawKeys {
          variants[
            VariantKey(currency: key.currency, key: tag.key, rawKey: rawKey), default: Sums()
          ]
          .add(sum)
        }
      }
      for (index, verdict) in info.verdict.keys.enumerated() {
        guard let problem = verdict.problem, problem != "missing" else { continue }
        let findingKey = FindingKey(
          currency: key.currency, key: index, kind: problem, detail: verdict.detail)
        findings[findingKey, default: (Sums(), verdict.suggestion ?? "")].sums.add(sum)
      }
    }
    var resourceCounts: [FindingKey: Int] = [:]
    for entry in findingResources {
      resourceCounts[
        FindingKey(
          currency: entry.currency, key: entry.key, kind: entry.kind, detail: entry.detail),
        default: 0] += 1
    }
    var variantRows: [KeyVariant] = []
    for (key, sum) in variants {
      variantRows.append(
        KeyVariant(
          currency: texts[Int(key.currency)], key: key.key, rawKey: key.rawKey, lines: sum.lines,
          cost: try sum.pair()))
    }
    var findingRows: [PolicyFinding] = []
    for (key, entry) in findings {
      findingRows.append(
        PolicyFinding(
          currency: texts[Int(key.currency)], key: keys[key.key], kind: key.kind,
          detail: key.detail, suggestion: entry.suggestion, lines: entry.sums.lines,
          resources: resourceCounts[key] ?? 0, cost: try entry.sums.pair()))
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

private struct ResourceKey: Hashable {
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

private struct SliceResource: Hashable {
  var slice: SliceKey
  var resource: Int64
}

private struct OffenderKey: Hashable {
  var currency: Int32
  var resource: Int64
  /// For lines without a resource: their account and service.
  var account: Int64
  var service: Int64
}

private struct VariantKey: Hashable {
  var currency: Int32
  var key: String
  var rawKey: String
}

private struct FindingKey: Hashable {
  var currency: Int32
  var key: Int
  var kind: String
  var detail: String
}

private struct FindingResource: Hashable {
  var currency: Int32
  var key: Int
  var kind: String
  var detail: String
  var resource: Int64
}
