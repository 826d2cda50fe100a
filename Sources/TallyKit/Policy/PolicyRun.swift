import Crypto

#if canImport(Glibc)
  internal import Glibc
#else
  internal import Darwin
#endif

/// The policy stage: evaluates the tagging policy against a month's lines and stores the
/// results (tag resolutions, compliance, non-compliant resources, key variants, findings).
///
/// A month is read once, summed by tag set, usage account, resource, service, currency and
/// whatever the policy's conditions test (``Store``'s line groups); tags are resolved once per
/// tag set and account; each distinct combination of what the conditions read is judged once
/// (``PolicyEvaluator``); the verdicts are then summed (``ComplianceTally``). Everything a
/// month stores is replaced in one transaction.
public struct PolicyRun {
  private let policy: PolicyConfiguration
  private let teamKey: String
  private let resolver: TagResolver
  private let evaluator: PolicyEvaluator
  /// Identifies the policy settings evaluated: results stored under another fingerprint are
  /// stale.
  public let fingerprint: String

  /// Prepares a run of `configuration`'s policy, with teams from `allocation.by`.
  public init(configuration: Configuration) {
    self.init(policy: configuration.policy, teamKey: configuration.allocation.by)
  }

  /// Prepares a run of `policy`, with teams from the valid values of `teamKey`.
  public init(policy: PolicyConfiguration, teamKey: String) {
    self.policy = policy
    self.teamKey = teamKey
    resolver = TagResolver(policy: policy)
    evaluator = PolicyEvaluator(policy: policy, teamKey: teamKey)
    var hasher = SHA256()
    hasher.update(data: Array(policy.settingsDescription(teamKey: teamKey).utf8))
    fingerprint = hex(hasher.finalize())
  }

  /// Evaluates, oldest first, every month up to `month` whose stored results are not current:
  /// never evaluated, evaluated under another policy, imported again since, or evaluated
  /// before the newest inventory snapshot. Once a month is
  /// evaluated, the months after it are too (their first-seen months depend on it).
  ///
  /// - Parameter force: Evaluate every month up to `month` again.
  /// - Returns: What each evaluation did.
  @discardableResult
  public func refresh(through month: BillingMonth, on store: Store, force: Bool = false)
    throws -> [PolicyRunStats]
  {
    let runs = try store.policyRuns()
    let lastInventory = try store.lastInventorySnapshot()
    var redo = force
    var stats: [PolicyRunStats] = []
    for candidate in try store.monthsWithData() where candidate <= month {
      if !redo {
        let lastImport = try store.lastImport(of: candidate)
        let run = runs[candidate]
        redo =
          run?.fingerprint != fingerprint || run?.lastImport != lastImport
          || run?.lastInventory != lastInventory
      }
      if redo { stats.append(try evaluate(candidate, on: store)) }
    }
    return stats
  }

  /// Evaluates one month and stores its results, replacing earlier ones.
  public func evaluate(_ month: BillingMonth, on store: Store) throws -> PolicyRunStats {
    let clock = ContinuousClock()
    let start = clock.now
    let startCPU = processCPUSeconds()
    let inputs = policy.inputs
    let groups = try store.lineGroups(in: month, fields: inputs.fields)
    let names = try Names(store: store, groups: groups, inputs: inputs)

    // Resolve the tags of each tag set and account once: these are the month's
    // `tag_resolutions`. A resource whose inventory has tags gets its own resolution, with
    // the inventory's tags for the keys the bill lacks (one per distinct inventory tag set).
    let lastInventory = try store.lastInventorySnapshot()
    let inventory =
      policy.inventoryFillsGaps && lastInventory != 0
      ? try store.inventoryTagSets(ofResourcesIn: month) : [:]
    var resolutionIndex: [ResolutionKey: Int] = [:]
    var tagGroups: [TagGroup] = []
    for key in groups.keys {
      let base = ResolutionKey(tagSet: key.tagSet, account: key.account, inventoryTagSet: 0)
      if resolutionIndex[base] == nil {
        resolutionIndex[base] = tagGroups.count
        tagGroups.append(
          TagGroup(tagSet: key.tagSet, account: key.account, accountID: names.account(key.account)))
      }
    }
    let raw = try store.rawTags(ofGroupsIn: month)
    var resolutions = tagGroups.map { group in
      (group: group, tags: resolver.resolve(raw[group.tagSet] ?? [], accountID: group.accountID))
    }
    let storedResolutions = resolutions.count
    let inventoryRaw = try store.rawTags(ofTagSets: Set(inventory.values))
    for key in groups.keys {
      guard let listed = inventory[key.resource] else { continue }
      let withInventory = ResolutionKey(
        tagSet: key.tagSet, account: key.account, inventoryTagSet: listed)
      guard resolutionIndex[withInventory] == nil else { continue }
      resolutionIndex[withInventory] = resolutions.count
      let group = TagGroup(
        tagSet: key.tagSet, account: key.account, accountID: names.account(key.account))
      resolutions.append(
        (
          group,
          resolver.resolve(
            raw[key.tagSet] ?? [], inventory: inventoryRaw[listed] ?? [],
            accountID: group.accountID)
        ))
    }

    // Judge each distinct combination of what the conditions read once.
    var memo: [EvaluationKey: Int] = [:]
    var verdicts: [ComplianceTally.VerdictInfo] = []
    var verdictOf: [Int] = []
    verdictOf.reserveCapacity(groups.count)
    for key in groups.keys {
      let resolution =
        resolutionIndex[
          ResolutionKey(
            tagSet: key.tagSet, account: key.account, inventoryTagSet: inventory[key.resource] ?? 0)
        ] ?? 0
      let evaluationKey = EvaluationKey(key, tagGroup: resolution, inputs: inputs, names: names)
      if let known = memo[evaluationKey] {
        verdictOf.append(known)
        continue
      }
      let resolved = resolutions[resolution].tags
      let verdict = evaluator.evaluate(
        names.attributes(of: key, texts: groups.texts, inputs: inputs), resolved: resolved)
      memo[evaluationKey] = verdicts.count
      verdictOf.append(verdicts.count)
      verdicts.append(ComplianceTally.VerdictInfo(verdict: verdict, resolved: resolved))
    }

    let tally = ComplianceTally(
      keys: policy.tags.map(\.key), verdicts: verdicts, texts: groups.texts,
      accountNames: names.accounts, serviceNames: names.services)
    let results = try tally.results(
      groups: groups, verdictOf: verdictOf, month: month,
      firstSeen: try store.firstNoncompliantMonths(before: month))
    let run = PolicyRunRecord(
      fingerprint: fingerprint, lastImport: try store.lastImport(of: month),
      lastInventory: lastInventory)
    var stats = PolicyRunStats(
      month: month, lines: groups.lines.reduce(0, +), groups: groups.count,
      tagGroups: tagGroups.count, evaluations: verdicts.count)
    try store.transaction {
      try store.replaceTagResolutions(in: month, Array(resolutions[..<storedResolutions]))
      try store.replacePolicyResults(
        in: month, results, run: run,
        counts: (stats.lines, stats.tagGroups, stats.evaluations))
    }
    let elapsed = (clock.now - start).components
    stats.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    stats.cpuSeconds = processCPUSeconds() - startCPU
    return stats
  }
}

/// What one month's evaluation did.
public struct PolicyRunStats: Sendable, Equatable {
  /// The month evaluated.
  public var month: BillingMonth
  /// Its lines.
  public var lines: Int
  /// Distinct line groups read (tag set, account, resource, service, currency…).
  public var groups: Int
  /// Distinct tag set and account pairs resolved.
  public var tagGroups: Int
  /// Distinct combinations judged.
  public var evaluations: Int
  /// Wall time of the evaluation, storing included.
  public var seconds = 0.0
  /// CPU time of the evaluation (user and system): on a shared machine, what it would take
  /// with a core to itself.
  public var cpuSeconds = 0.0
}

/// The CPU time this process has used so far.
private func processCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The names behind the row ids of a month's groups.
private struct Names {
  var accounts: [Int64: String]
  var services: [Int64: String]
  var regions: [Int64: String] = [:]
  var resources: [Int64: (id: String, type: String)] = [:]
  /// Interned derived types per resource: the resource type and the AWS `service:type`.
  var resourceTypeIDs: [Int64: (type: Int32, aws: Int32)] = [:]

  init(store: Store, groups: LineGroups, inputs: LineInputs) throws(SQLiteError) {
    accounts = try store.dimensionNames(.accounts)
    services = try store.dimensionNames(.services)
    if inputs.fields.contains(.region) { regions = try store.dimensionNames(.regions) }
    guard inputs.resourceID || inputs.awsResourceType || inputs.fields.contains(.resourceType)
    else { return }
    resources = try store.resourceNames(groups.keys.lazy.map(\.resource).filter { $0 != 0 })
    var interned: [String: Int32] = ["": 0]
    func intern(_ text: String) -> Int32 {
      if let id = interned[text] { return id }
      let id = Int32(interned.count)
      interned[text] = id
      return id
    }
    for key in groups.keys where key.resource != 0 && resourceTypeIDs[key.resource] == nil {
      let resource = resources[key.resource] ?? ("", "")
      let aws = AWSResourceType.of(resourceID: resource.id, service: services[key.service] ?? "")
      resourceTypeIDs[key.resource] = (intern(resource.type), intern(aws))
    }
  }

  func account(_ id: Int64) -> String { accounts[id] ?? "" }

  /// The attributes conditions see for lines of `key` (tags are added by the evaluator).
  func attributes(of key: LineGroupKey, texts: [String], inputs: LineInputs) -> LineAttributes {
    var line = LineAttributes()
    line.account = account(key.account)
    line.service = services[key.service] ?? ""
    line.provider = texts[Int(key.provider)]
    line.billingAccount = account(key.billingAccount)
    line.region = regions[key.region] ?? ""
    line.chargeCategory = texts[Int(key.chargeCategory)]
    line.lineType = texts[Int(key.lineType)]
    if let resource = resources[key.resource] {
      line.resourceID = resource.id
      line.resourceType = resource.type
    }
    return line
  }
}

/// A resolution: a tag set on lines of an account, with the inventory tag set of the lines'
/// resource (0 for none, or when inventories do not fill gaps).
private struct ResolutionKey: Hashable {
  var tagSet: Int64
  var account: Int64
  var inventoryTagSet: Int64
}

/// What decides a group's verdict: its resolution and the attributes the policy reads.
private struct EvaluationKey: Hashable {
  var tagGroup: Int
  var service: Int64 = 0
  var region: Int64 = 0
  var billingAccount: Int64 = 0
  var provider: Int32 = 0
  var chargeCategory: Int32 = 0
  var lineType: Int32 = 0
  var resourceType: Int32 = 0
  var awsResourceType: Int32 = 0
  /// Only when conditions match resource ids.
  var resource: Int64 = 0

  init(_ key: LineGroupKey, tagGroup: Int, inputs: LineInputs, names: Names) {
    self.tagGroup = tagGroup
    // Unread fields are already 0 in the group key; service is always read, so keep it only
    // when a condition tests it (or needs it to name an S3 bucket's type).
    if inputs.fields.contains(.service) || inputs.awsResourceType { service = key.service }
    region = key.region
    billingAccount = key.billingAccount
    provider = key.provider
    chargeCategory = key.chargeCategory
    lineType = key.lineType
    if let types = names.resourceTypeIDs[key.resource] {
      if inputs.fields.contains(.resourceType) { resourceType = types.type }
      if inputs.awsResourceType { awsResourceType = types.aws }
    }
    if inputs.resourceID { resource = key.resource }
  }
}

extension PolicyConfiguration {
  /// Every setting that changes a verdict, in a fixed order, for the run's fingerprint.
  func settingsDescription(teamKey: String) -> String {
    var lines = [
      "version 1", "team \(teamKey)", "case_sensitive_keys \(caseSensitiveKeys)",
      "inventory_fills_gaps \(inventoryFillsGaps)",
    ]
    for rule in tags {
      lines.append(
        [
          "tag", rule.key, "\(rule.aliases)", "\(rule.required)",
          "\(String(describing: rule.values))",
          rule.pattern ?? "",
          "\(rule.valueAliases.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })",
          "\(rule.caseSensitiveKey)", "\(rule.caseSensitiveValues)", "\(rule.enforceKeyCase)",
          "\(rule.trim)", rule.scope.map { "\($0)" } ?? "",
        ].joined(separator: "\u{1F}"))
    }
    for condition in exempt { lines.append("exempt \(condition)") }
    for (account, defaults) in accountDefaults.sorted(by: { $0.key < $1.key }) {
      lines.append(
        "default \(account) \(defaults.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })")
    }
    return lines.joined(separator: "\n")
  }
}
