import Yams

/// The `policy` section of `tally.yaml`: which tags every line should carry, how raw keys and
/// values are folded into canonical ones, and which charges are not judged.
public struct PolicyConfiguration: Sendable, Equatable {
  /// One rule per canonical tag key, in file order; the rules read from AWS tag policies
  /// follow those written in `tally.yaml` (see ``includeAWSTagPolicies()``).
  public var tags: [TagRule] = []
  /// Charges nothing can tag (tax, credits, support…): not judged, counted as exempt.
  public var exempt: [LineCondition] = []
  /// Tags a line inherits from its usage account when it lacks them: account id → key → value.
  public var accountDefaults: [String: [String: String]] = [:]
  /// Whether inventory tags may fill in tags the bill lacks.
  public var inventoryFillsGaps = true
  /// AWS Organizations tag policies to read as rules, from the organisation root down to the
  /// account: each level lists the files attached there, in the order they were attached.
  /// Paths are resolved against the config's folder.
  public var awsTagPolicies: [[String]] = []
  /// Whether tag keys compare case-sensitively by default (normally not).
  public var caseSensitiveKeys = false
  /// The effective policy the AWS tag policies merge into; set by ``includeAWSTagPolicies()``.
  public var awsEffectiveTagPolicy: AWSTagPolicy?
  /// What merging the AWS tag policies ignored (operators a parent policy forbids, repeated
  /// assignments), for `tally config check`; set by ``includeAWSTagPolicies()``.
  public var awsTagPolicyNotes: [String] = []
  /// The config file and the line of `aws_tag_policy`, for messages about the policy files.
  var awsTagPolicyFile = "tally.yaml"
  var awsTagPolicyLine: Int?

  /// No rules: every tag is kept under its own folded key.
  public init() {}

  /// At most this many tag rules (results keep one bit per key).
  static let maximumRules = 127

  static let keys = [
    "tags", "exempt", "account_defaults", "inventory_fills_gaps", "aws_tag_policy",
    "case_sensitive_keys",
  ]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: PolicyConfiguration.keys)
    caseSensitiveKeys = try mapping["case_sensitive_keys"]?.bool() ?? false
    for item in try mapping["tags"]?.items() ?? [] {
      tags.append(try TagRule(item, caseSensitiveByDefault: caseSensitiveKeys))
    }
    try checkRules(file: value.file)
    for item in try mapping["exempt"]?.items() ?? [] { exempt.append(try LineCondition(item)) }
    for (account, defaults) in try mapping["account_defaults"]?.pairs() ?? [] {
      accountDefaults[account] = try defaults.stringMap()
    }
    inventoryFillsGaps = try mapping["inventory_fills_gaps"]?.bool() ?? true
    if let policies = mapping["aws_tag_policy"] {
      // A file, or a list of levels from the root down; a level is a file or a list of files.
      if case .scalar = policies.node as Yams.Node {
        awsTagPolicies = [[try policies.string()]]
      } else {
        for level in try policies.items() { awsTagPolicies.append(try level.strings()) }
      }
      awsTagPolicyFile = value.file
      awsTagPolicyLine = policies.line
    }
  }

  /// Reads the AWS tag policies named by `aws_tag_policy`, merges them as AWS Organizations
  /// does, and appends one rule per policy key to ``tags`` (see ``AWSTagPolicy``). Idempotent.
  ///
  /// - Throws: ``ConfigurationError`` naming the policy file and line for a file that cannot be
  ///   read or is not a tag policy, and naming the config when a policy key is also a key of
  ///   `policy.tags`.
  public mutating func includeAWSTagPolicies() throws(ConfigurationError) {
    guard !awsTagPolicies.isEmpty, awsEffectiveTagPolicy == nil else { return }
    let merged = try AWSTagPolicy.merging(
      levels: awsTagPolicies, namedIn: awsTagPolicyFile, line: awsTagPolicyLine)
    awsEffectiveTagPolicy = merged.policy
    awsTagPolicyNotes = merged.notes
    tags += merged.policy.rules()
    try checkRules(file: awsTagPolicyFile)
  }

  /// Every key and alias belongs to one rule; not too many rules.
  private func checkRules(file: String) throws(ConfigurationError) {
    guard tags.count <= PolicyConfiguration.maximumRules else {
      throw ConfigurationError(
        "policy.tags: at most \(PolicyConfiguration.maximumRules) tag keys, found \(tags.count)",
        file: file)
    }
    var seen: [String: Int] = [:]
    for (index, rule) in tags.enumerated() {
      for name in [rule.key] + rule.aliases {
        let folded = rule.caseSensitiveKey ? name : name.lowercased()
        if let other = seen[folded], other != index {
          throw ConfigurationError(
            "\(tags[index].displayName): the key or alias \"\(name)\" also belongs to \(tags[other].displayName)",
            file: rule.origin ?? file, line: rule.line)
        }
        seen[folded] = index
      }
    }
  }

  /// What the conditions of the policy (exemptions and scopes) read of a line.
  var inputs: LineInputs {
    var inputs = LineInputs()
    for condition in exempt { condition.collectInputs(into: &inputs) }
    for rule in tags { rule.scope?.collectInputs(into: &inputs) }
    return inputs
  }
}

/// The rule for one canonical tag key.
public struct TagRule: Sendable, Equatable {
  /// The canonical key, e.g. `team`.
  public var key: String
  /// Raw keys folded into this one (`Team`, `owner-team`); `user:` prefixes are ignored.
  public var aliases: [String] = []
  /// Whether every line in scope must carry the key.
  public var required = false
  /// Allowed values (canonical spellings), if the key has a closed list. A value containing
  /// `*` is a wildcard that matches any run of characters (`300*`, `*@example.com`).
  public var values: [String]?
  /// A regular expression the whole value must match.
  public var pattern: String?
  /// Raw value → canonical value (`prd` → `prod`), applied before the checks.
  public var valueAliases: [String: String] = [:]
  /// Whether this key's raw spellings compare case-sensitively.
  public var caseSensitiveKey = false
  /// Whether a raw spelling other than `key` itself (another case, or an alias) makes the line
  /// non-compliant, as AWS tag policies' `tag_key` does; the value is still used.
  public var enforceKeyCase = false
  /// Whether values compare case-sensitively with `values` and `value_aliases`.
  public var caseSensitiveValues = false
  /// Whether surrounding whitespace is trimmed from values (on by default).
  public var trim = true
  /// The lines the rule applies to; nil means all.
  public var scope: LineCondition?
  /// The line in the config file (or the AWS tag policy file), for messages.
  public var line: Int?
  /// The AWS tag policy file the rule was read from; nil for a rule of `tally.yaml`.
  public var origin: String?

  /// Creates a rule for `key` with the defaults.
  public init(key: String) { self.key = key }

  /// How messages name the rule: `policy.tags: team` or `AWS tag policy key costcenter`.
  var displayName: String {
    origin == nil ? "policy.tags: \(key)" : "AWS tag policy key \(key.lowercased())"
  }

  static let keys = [
    "key", "aliases", "required", "values", "pattern", "value_aliases", "case_sensitive",
    "case_sensitive_values", "enforce_key_case", "trim", "scope",
  ]

  init(_ value: ConfigValue, caseSensitiveByDefault: Bool) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: TagRule.keys)
    key = try mapping.required("key").string()
    line = value.line
    aliases = try mapping["aliases"]?.strings() ?? []
    required = try mapping["required"]?.bool() ?? false
    values = try mapping["values"]?.strings()
    if let patternValue = mapping["pattern"] {
      let text = try patternValue.string()
      do {
        _ = try Regex(text)
      } catch {
        throw patternValue.error("invalid regular expression \"\(text)\": \(error)")
      }
      pattern = text
    }
    valueAliases = try mapping["value_aliases"]?.stringMap() ?? [:]
    caseSensitiveKey = try mapping["case_sensitive"]?.bool() ?? caseSensitiveByDefault
    caseSensitiveValues = try mapping["case_sensitive_values"]?.bool() ?? false
    enforceKeyCase = try mapping["enforce_key_case"]?.bool() ?? false
    trim = try mapping["trim"]?.bool() ?? true
    scope = try mapping["scope"].map { item throws(ConfigurationError) in try LineCondition(item) }
  }
}
