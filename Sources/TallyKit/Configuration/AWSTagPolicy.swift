import Foundation
import Yams

/// An AWS Organizations tag policy, read as written: the authored form with inheritance
/// operators, several of them merged as AWS merges the policies of the root, the OUs and the
/// account, or the effective (flattened) form that `DescribeEffectivePolicy` returns.
///
/// ```json
/// { "tags": { "costcenter": {
///     "tag_key":      { "@@assign": "CostCenter", "@@operators_allowed_for_child_policies": ["@@none"] },
///     "tag_value":    { "@@assign": ["100", "200", "300*"] },
///     "enforced_for": { "@@assign": ["ec2:instance", "secretsmanager:*"] } } } }
/// ```
///
/// Merging (AWS Organizations, "Policy syntax and inheritance for management policy types"):
/// levels apply from the root down. `@@assign` overwrites what was inherited, `@@append` adds
/// to a list, `@@remove` takes values out of one. `@@operators_allowed_for_child_policies`
/// (on the `tags` object, a policy key, or one of its settings) limits the operators that
/// lower levels may use there; policies attached to the same level intersect their limits, and
/// an operator a limit forbids is ignored (and reported as a note). Among the policies of one
/// level, applied in attachment order, the first `@@assign` of a setting wins (AWS's example 6).
///
/// Each policy key becomes one ``TagRule`` (see ``rules()``).
public struct AWSTagPolicy: Sendable, Equatable {
  /// The effective settings of one policy key.
  public struct Key: Sendable, Equatable {
    /// The policy key as first written (compared case-insensitively).
    public var policyKey: String
    /// `tag_key`: the required spelling of the tag key; nil when not set (then the policy key
    /// in lower case, as AWS defaults).
    public var tagKey: String?
    /// `tag_value`: the allowed values (one `*` wildcard each); nil means any value.
    public var tagValues: [String]?
    /// `enforced_for`: `service:type` entries.
    public var enforcedFor: [String]?
    /// `report_required_tag_for`: `service:type` entries.
    public var reportRequiredTagFor: [String]?
    /// Where the key was first defined.
    var file = ""
    var line: Int?

    /// The tag key spelling resources must use.
    public var requiredTagKey: String { tagKey ?? policyKey.lowercased() }

    /// Creates a key with no settings.
    public init(policyKey: String) { self.policyKey = policyKey }

    /// Keys compare by their settings, not by where they were read.
    public static func == (lhs: Key, rhs: Key) -> Bool {
      lhs.policyKey.lowercased() == rhs.policyKey.lowercased()
        && lhs.requiredTagKey == rhs.requiredTagKey && lhs.tagValues == rhs.tagValues
        && lhs.enforcedFor == rhs.enforcedFor
        && lhs.reportRequiredTagFor == rhs.reportRequiredTagFor
    }
  }

  /// The policy keys, in the order they first appear.
  public var keys: [Key] = []

  /// An empty policy.
  public init() {}

  /// Reads one policy file: authored (operators) or effective (plain values).
  public static func read(file: String) throws(ConfigurationError) -> AWSTagPolicy {
    try merging(levels: [[file]], namedIn: file, line: nil).policy
  }

  /// Reads and merges the policy files of each level, from the root down.
  ///
  /// - Parameters:
  ///   - levels: The files attached at each level, in attachment order.
  ///   - configFile: The file that named them, for an error about a file that cannot be read.
  ///   - line: The line that named them.
  /// - Returns: The effective policy, and notes on what the merge ignored.
  static func merging(levels: [[String]], namedIn configFile: String, line: Int?)
    throws(ConfigurationError) -> (policy: AWSTagPolicy, notes: [String])
  {
    var merger = Merger()
    for (depth, files) in levels.enumerated() {
      merger.beginLevel(depth)
      for file in files {
        guard let data = FileManager.default.contents(atPath: file) else {
          throw ConfigurationError(
            "policy.aws_tag_policy: cannot read the AWS tag policy \(file) (does it exist?)",
            file: configFile, line: line)
        }
        let root = try document(String(decoding: data, as: UTF8.self), file: file)
        try merger.apply(root)
      }
      merger.endLevel()
    }
    return (merger.policy, merger.notes)
  }

  /// The rules tally evaluates for this policy: per key, the tag key is required, spelt as
  /// `tag_key` says (other spellings fold in but are non-compliant), with the `tag_value` list
  /// (compared case-sensitively, `*` a wildcard) on AWS lines — of the resource types in
  /// `enforced_for` and `report_required_tag_for` when either is given.
  public func rules() -> [TagRule] {
    keys.map { key in
      var rule = TagRule(key: key.requiredTagKey)
      rule.required = true
      rule.enforceKeyCase = true
      rule.values = key.tagValues
      rule.caseSensitiveValues = true
      rule.trim = false
      var scope: [LineCondition] = [.field(.provider, AWSTagPolicy.providerNames)]
      let types = (key.enforcedFor ?? []) + (key.reportRequiredTagFor ?? [])
      if !types.isEmpty { scope.append(.awsResourceType(types)) }
      rule.scope = .all(scope)
      rule.line = key.line
      rule.origin = key.file
      return rule
    }
  }

  /// How bills name AWS as the provider (CUR: `AWS`; FOCUS: `AWS` or `Amazon Web Services`).
  static let providerNames = ["AWS", "Amazon Web Services"]

  /// The effective policy as AWS displays it: settings without operators.
  public func effectiveJSON() -> String {
    func quoted(_ text: String) -> String {
      var out = "\""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
          if scalar.value < 0x20 {
            out +=
              "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
              + String(scalar.value, radix: 16)
          } else {
            out.unicodeScalars.append(scalar)
          }
        }
      }
      return out + "\""
    }
    func list(_ values: [String]) -> String {
      "[" + values.map(quoted).joined(separator: ", ") + "]"
    }
    guard !keys.isEmpty else { return "{\n  \"tags\": {}\n}\n" }
    let entries = keys.map { key in
      var fields = ["      \"tag_key\": \(quoted(key.requiredTagKey))"]
      if let values = key.tagValues { fields.append("      \"tag_value\": \(list(values))") }
      if let types = key.enforcedFor { fields.append("      \"enforced_for\": \(list(types))") }
      if let types = key.reportRequiredTagFor {
        fields.append("      \"report_required_tag_for\": \(list(types))")
      }
      return "    \(quoted(key.policyKey.lowercased())): {\n"
        + fields.joined(separator: ",\n") + "\n    }"
    }
    return "{\n  \"tags\": {\n" + entries.joined(separator: ",\n") + "\n  }\n}\n"
  }

  /// The `tags` object of a policy document, unwrapping the output of
  /// `aws organizations describe-effective-policy` (`EffectivePolicy.PolicyContent`) and
  /// `describe-policy` (`Policy.Content`), whose policy is a JSON string.
  private static func document(_ text: String, file: String) throws(ConfigurationError)
    -> ConfigValue
  {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw ConfigurationError.fromYAML(error, file: file)
    } catch {
      throw ConfigurationError("not valid JSON: \(error)", file: file)
    }
    guard let root else { throw ConfigurationError("empty AWS tag policy", file: file) }
    let value = ConfigValue(node: root, file: file, path: "")
    let pairs = try value.pairs()
    for (wrapper, content) in [("EffectivePolicy", "PolicyContent"), ("Policy", "Content")]
    where pairs.contains(where: { $0.key == wrapper }) {
      let outer = try value.mapping(allowed: [wrapper])
      let inner = try outer.required(wrapper).pairs()
      guard let policy = inner.first(where: { $0.key == content }) else {
        throw value.error("expected \(wrapper).\(content) with the policy text")
      }
      return try document(try policy.value.string(), file: file)
    }
    return value
  }
}

/// The operators of management policies.
private enum Operator: String, CaseIterable {
  case assign = "@@assign"
  case append = "@@append"
  case remove = "@@remove"
}

/// Merges policy documents level by level.
private struct Merger {
  /// The settings of a policy key.
  enum Field: String, CaseIterable {
    case tagKey = "tag_key"
    case tagValue = "tag_value"
    case enforcedFor = "enforced_for"
    case reportRequiredTagFor = "report_required_tag_for"
  }

  static let childControl = "@@operators_allowed_for_child_policies"

  var policy = AWSTagPolicy()
  var notes: [String] = []
  /// Limits in force for the current level, by scope: "" for `tags`, "key" for a policy key,
  /// "key\u{1F}field" for a setting.
  private var limits: [String: Set<Operator>] = [:]
  /// Limits declared at the current level, applied to the levels below it.
  private var pendingLimits: [String: Set<Operator>] = [:]
  /// Settings already assigned at the current level: the first assignment wins.
  private var assignedThisLevel: Set<String> = []
  private var depth = 0

  mutating func beginLevel(_ depth: Int) {
    self.depth = depth
    assignedThisLevel = []
    pendingLimits = [:]
  }

  mutating func endLevel() {
    for (scope, allowed) in pendingLimits {
      limits[scope] = limits[scope].map { $0.intersection(allowed) } ?? allowed
    }
  }

  mutating func apply(_ document: ConfigValue) throws(ConfigurationError) {
    let top = try document.mapping(allowed: ["tags"])
    let tags = try top.required("tags")
    for (name, keyValue) in try tags.pairs() {
      if name == Merger.childControl {
        try declareLimit(keyValue, scope: "")
        continue
      }
      try applyKey(name, keyValue)
    }
  }

  private mutating func applyKey(_ name: String, _ value: ConfigValue) throws(ConfigurationError) {
    let settings = try value.mapping(
      allowed: Field.allCases.map(\.rawValue) + [Merger.childControl])
    let id = name.lowercased()
    let index: Int
    if let existing = policy.keys.firstIndex(where: { $0.policyKey.lowercased() == id }) {
      index = existing
    } else {
      var key = AWSTagPolicy.Key(policyKey: name)
      key.file = value.file
      key.line = value.line
      policy.keys.append(key)
      index = policy.keys.count - 1
    }
    if let control = settings[Merger.childControl] { try declareLimit(control, scope: id) }
    for field in Field.allCases {
      guard let setting = settings[field.rawValue] else { continue }
      try applySetting(field, setting, keyIndex: index, keyID: id)
    }
    let key = policy.keys[index]
    if key.requiredTagKey.lowercased() != id {
      throw value.error(
        "tag_key \"\(key.requiredTagKey)\" must be the policy key \"\(name)\" in some capitalisation"
      )
    }
  }

  private mutating func applySetting(
    _ field: Field, _ setting: ConfigValue, keyIndex: Int, keyID: String
  ) throws(ConfigurationError) {
    let scope = keyID + "\u{1F}" + field.rawValue
    // The effective form: a plain value, as if assigned.
    guard case .mapping = setting.node else {
      try assign(field, setting, keyIndex: keyIndex, scope: scope)
      return
    }
    let operators = try setting.mapping(
      allowed: Operator.allCases.map(\.rawValue) + [Merger.childControl])
    if let control = operators[Merger.childControl] { try declareLimit(control, scope: scope) }
    for op in Operator.allCases {
      guard let operand = operators[op.rawValue] else { continue }
      if let limit = allowed(keyID: keyID, scope: scope), !limit.contains(op) {
        let allowedText =
          limit.isEmpty ? "no operator" : limit.map(\.rawValue).sorted().joined(separator: ", ")
        notes.append(
          "\(setting.file):\(setting.line ?? 0): ignored \(setting.path).\(op.rawValue): a parent policy allows only \(allowedText) there"
        )
        continue
      }
      switch op {
      case .assign: try assign(field, operand, keyIndex: keyIndex, scope: scope)
      case .append, .remove:
        guard field != .tagKey else {
          throw operand.error("\(op.rawValue) applies to lists; tag_key takes @@assign")
        }
        let values = try checkedList(field, operand)
        var current = list(field, keyIndex) ?? []
        if op == .append {
          current += values.filter { !current.contains($0) }
        } else {
          current.removeAll { values.contains($0) }
        }
        setList(field, keyIndex, current)
      }
    }
  }

  private mutating func assign(_ field: Field, _ value: ConfigValue, keyIndex: Int, scope: String)
    throws(ConfigurationError)
  {
    guard !assignedThisLevel.contains(scope) else {
      notes.append(
        "\(value.file):\(value.line ?? 0): ignored \(value.path): assigned by an earlier policy of the same level"
      )
      return
    }
    assignedThisLevel.insert(scope)
    if field == .tagKey {
      policy.keys[keyIndex].tagKey = try value.string()
    } else {
      setList(field, keyIndex, try checkedList(field, value))
    }
  }

  private func checkedList(_ field: Field, _ value: ConfigValue) throws(ConfigurationError)
    -> [String]
  {
    let values = try value.strings()
    for entry in values {
      if field == .tagValue, entry.filter({ $0 == "*" }).count > 1 {
        throw value.error("a tag value may hold one * wildcard, found \"\(entry)\"")
      }
      if field != .tagValue, let problem = AWSResourceType.problem(with: entry) {
        throw value.error(problem)
      }
    }
    return values
  }

  private func list(_ field: Field, _ index: Int) -> [String]? {
    switch field {
    case .tagKey: nil
    case .tagValue: policy.keys[index].tagValues
    case .enforcedFor: policy.keys[index].enforcedFor
    case .reportRequiredTagFor: policy.keys[index].reportRequiredTagFor
    }
  }

  private mutating func setList(_ field: Field, _ index: Int, _ values: [String]) {
    switch field {
    case .tagKey: break
    case .tagValue: policy.keys[index].tagValues = values
    case .enforcedFor: policy.keys[index].enforcedFor = values
    case .reportRequiredTagFor: policy.keys[index].reportRequiredTagFor = values
    }
  }

  /// The operators allowed at a setting by the levels above, or nil when all are.
  private func allowed(keyID: String, scope: String) -> Set<Operator>? {
    [limits[""], limits[keyID], limits[scope]].compactMap { $0 }.reduce(nil) { result, limit in
      result.map { $0.intersection(limit) } ?? limit
    }
  }

  private mutating func declareLimit(_ value: ConfigValue, scope: String)
    throws(ConfigurationError)
  {
    var allowed: Set<Operator> = []
    for name in try value.strings() {
      switch name {
      case "@@all": allowed.formUnion(Operator.allCases)
      case "@@none": break
      default:
        guard let op = Operator(rawValue: name) else {
          let hint =
            closest(to: name, in: ["@@all", "@@none"] + Operator.allCases.map(\.rawValue))
            .map { "; did you mean \"\($0)\"?" } ?? ""
          throw value.error("unknown operator \"\(name)\"\(hint)")
        }
        allowed.insert(op)
      }
    }
    pendingLimits[scope] = pendingLimits[scope].map { $0.intersection(allowed) } ?? allowed
  }
}
