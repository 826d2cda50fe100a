/// Resolves the canonical tags of every tag group of a month and stores them: canonical keys
/// and values from the bill's raw tags (`TagCanonicalizer`), then, for the keys the bill
/// lacks, the resource's tags in an inventory (when `policy.inventory_fills_gaps`), then the
/// usage account's default tags (`policy.account_defaults`). Runs before evaluation and
/// allocation; a changed config only needs it run again, never a re-import.
public struct TagResolver {
  private let canonicalizer: TagCanonicalizer
  private let policy: PolicyConfiguration

  /// Prepares the resolver for a policy.
  public init(policy: PolicyConfiguration) {
    self.policy = policy
    canonicalizer = TagCanonicalizer(policy: policy)
  }

  /// The resolved tags of raw tags on a line of `accountID` whose resource carries
  /// `inventory` tags in an inventory.
  public func resolve(
    _ raw: [(key: String, value: String)], inventory: [(key: String, value: String)] = [],
    accountID: String
  ) -> [ResolvedTag] {
    var resolved: [String: ResolvedTag] = [:]
    fill(&resolved, from: canonicalizer.canonicalize(raw), source: .bill)
    if policy.inventoryFillsGaps, !inventory.isEmpty {
      fill(&resolved, from: canonicalizer.canonicalize(inventory), source: .inventory)
    }
    if let defaults = policy.accountDefaults[accountID] {
      let pairs = defaults.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
      fill(&resolved, from: canonicalizer.canonicalize(pairs), source: .accountDefault)
    }
    return resolved.values.sorted { $0.key < $1.key }
  }

  /// Adds the keys of `tags` that `resolved` lacks.
  private func fill(
    _ resolved: inout [String: ResolvedTag], from tags: CanonicalTags, source: TagSource
  ) {
    for (key, tag) in tags.tags where resolved[key] == nil {
      resolved[key] = ResolvedTag(
        key: key, value: tag.value, status: tag.status.storedName,
        suggestion: tag.status.suggestion, source: source.rawValue,
        rawKeys: source == .accountDefault ? [] : tag.rawKeys,
        rawValues: source == .accountDefault ? [] : tag.rawValues,
        miscasedKeys: tag.miscasedKeys)
    }
  }

  /// Resolves and stores the tags of every tag group of `month`, replacing earlier results.
  public func run(on store: Store, month: BillingMonth) throws {
    try store.transaction {
      let groups = try store.tagGroups(in: month)
      let raw = try store.rawTags(ofGroupsIn: month)
      let resolutions = groups.map { group in
        (group: group, tags: resolve(raw[group.tagSet] ?? [], accountID: group.accountID))
      }
      try store.replaceTagResolutions(in: month, resolutions)
    }
  }
}

extension TagStatus {
  /// `valid`, `invalid` or `conflict`, as stored.
  var storedName: String {
    switch self {
    case .valid: "valid"
    case .invalidValue: "invalid"
    case .conflict: "conflict"
    }
  }

  /// The near-miss suggestion of an invalid value.
  var suggestion: String? {
    if case .invalidValue(let suggestion) = self { return suggestion }
    return nil
  }
}
