/// Resolves the canonical tags of every tag group of a month and stores them: canonical keys
/// and values from the bill's raw tags (`TagCanonicalizer`), then the usage account's default
/// tags for the keys the line lacks (`policy.account_defaults`). Runs before evaluation and
/// allocation; a changed config only needs it run again, never a re-import.
public struct TagResolver {
  private let canonicalizer: TagCanonicalizer
  private let policy: PolicyConfiguration

  /// Prepares the resolver for a policy.
  public init(policy: PolicyConfiguration) {
    self.policy = policy
    canonicalizer = TagCanonicalizer(policy: policy)
  }

  /// The resolved tags of raw tags on a line of `accountID`.
  public func resolve(_ raw: [(key: String, value: String)], accountID: String) -> [ResolvedTag] {
    let canonical = canonicalizer.canonicalize(raw)
    var resolved = canonical.tags.map { key, tag in
      ResolvedTag(
        key: key, value: tag.value, status: tag.status.storedName,
        suggestion: tag.status.suggestion, source: "bill", rawKeys: tag.rawKeys)
    }
    for (rawKey, rawValue) in policy.accountDefaults[accountID] ?? [:] {
      let inherited = canonicalizer.canonicalize([(rawKey, rawValue)])
      for (key, tag) in inherited.tags where canonical.tags[key] == nil {
        resolved.append(
          ResolvedTag(
            key: key, value: tag.value, status: tag.status.storedName,
            suggestion: tag.status.suggestion, source: "account_default", rawKeys: []))
      }
    }
    return resolved.sorted { $0.key < $1.key }
  }

  /// Resolves and stores the tags of every tag group of `month`, replacing earlier results.
  public func run(on store: Store, month: BillingMonth) throws {
    let groups = try store.tagGroups(in: month)
    let raw = try store.rawTags(in: month)
    let resolutions = groups.map { group in
      (group: group, tags: resolve(raw[group.tagSet] ?? [], accountID: group.accountID))
    }
    try store.transaction { try store.replaceTagResolutions(in: month, resolutions) }
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
