/// The `policy` section of `tally.yaml`: which tags every line should carry, how raw keys and
/// values are folded into canonical ones, and which charges are not judged.
public struct PolicyConfiguration: Sendable, Equatable {
  /// One rule per canonical tag key, in file order.
  public var tags: [TagRule] = []
  /// Charges nothing can tag (tax, credits, support…): not judged, counted as exempt.
  public var exempt: [LineCondition] = []
  /// Tags a line inherits from its usage account when it lacks them: account id → key → value.
  public var accountDefaults: [String: [String: String]] = [:]
  /// Whether inventory tags may fill in tags the bill lacks.
  public var inventoryFillsGaps = true
  /// An AWS Organizations tag policy to read as rules (resolved against the config's folder).
  public var awsTagPolicy: String?
  /// Whether tag keys compare case-sensitively by default (normally not).
  public var caseSensitiveKeys = false

  /// No rules: every tag is kept under its own folded key.
  public init() {}

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
    var seen: [String: Int] = [:]
    for (index, rule) in tags.enumerated() {
      for name in [rule.key] + rule.aliases {
        let folded = rule.caseSensitiveKey ? name : name.lowercased()
        if let other = seen[folded], other != index {
          throw ConfigurationError(
            "policy.tags[\(index)]: the key or alias \"\(name)\" also belongs to policy.tags[\(other)]",
            file: value.file, line: rule.line)
        }
        seen[folded] = index
      }
    }
    for item in try mapping["exempt"]?.items() ?? [] { exempt.append(try LineCondition(item)) }
    for (account, defaults) in try mapping["account_defaults"]?.pairs() ?? [] {
      accountDefaults[account] = try defaults.stringMap()
    }
    inventoryFillsGaps = try mapping["inventory_fills_gaps"]?.bool() ?? true
    awsTagPolicy = try mapping["aws_tag_policy"]?.string()
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
  /// Allowed values (canonical spellings), if the key has a closed list.
  public var values: [String]?
  /// A regular expression the whole value must match.
  public var pattern: String?
  /// Raw value → canonical value (`prd` → `prod`), applied before the checks.
  public var valueAliases: [String: String] = [:]
  /// Whether this key's raw spellings compare case-sensitively.
  public var caseSensitiveKey = false
  /// Whether values compare case-sensitively with `values` and `value_aliases`.
  public var caseSensitiveValues = false
  /// Whether surrounding whitespace is trimmed from values (on by default).
  public var trim = true
  /// The lines the rule applies to; nil means all.
  public var scope: LineCondition?
  /// The line in the config file, for messages.
  public var line: Int?

  /// Creates a rule for `key` with the defaults.
  public init(key: String) { self.key = key }

  static let keys = [
    "key", "aliases", "required", "values", "pattern", "value_aliases", "case_sensitive",
    "case_sensitive_values", "trim", "scope",
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
    trim = try mapping["trim"]?.bool() ?? true
    scope = try mapping["scope"].map { item throws(ConfigurationError) in try LineCondition(item) }
  }
}
