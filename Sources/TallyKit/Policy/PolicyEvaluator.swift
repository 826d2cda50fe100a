/// Judges a group of lines that share a tag set, a usage account and the attributes the
/// policy's conditions read: exempt, or per key compliant, missing, invalid, in conflict,
/// miscased or out of the key's scope.
///
/// A line is **exempt** when an `exempt` condition matches it; it is then not judged at all.
/// Otherwise each rule whose `scope` matches judges its key: a required key that the resolved
/// tags lack is missing; a present key is judged by its status (conflict, then invalid value,
/// then miscased spelling); anything else is compliant, and remembers whether the value came
/// from the bill, the inventory or the account's defaults. The line is compliant when no
/// judged key has a problem. Conditions see the resolved tags (inherited ones included).
public struct PolicyEvaluator {
  private let policy: PolicyConfiguration
  private let teamKey: String

  /// Prepares the evaluator; `teamKey` is `allocation.by`, whose valid value names the team.
  public init(policy: PolicyConfiguration, teamKey: String) {
    self.policy = policy
    self.teamKey = teamKey
  }

  /// The verdict on lines with `attributes` (their `tags` are filled here from `resolved`).
  public func evaluate(_ attributes: LineAttributes, resolved: [ResolvedTag]) -> GroupVerdict {
    var line = attributes
    var byKey: [String: ResolvedTag] = [:]
    for tag in resolved {
      byKey[tag.key] = tag
      if tag.status == "valid" { line.tags[tag.key] = tag.value }
    }
    let team = byKey[teamKey].flatMap { $0.status == "valid" ? $0.value : nil } ?? ""
    if policy.exempt.contains(where: { $0.matches(line) }) {
      return GroupVerdict(
        status: .exempt, keys: Array(repeating: .exempt, count: policy.tags.count), team: team)
    }
    var keys: [KeyVerdict] = []
    keys.reserveCapacity(policy.tags.count)
    var noncompliant = false
    var source = TagSource.bill
    for rule in policy.tags {
      let verdict = judge(rule, byKey[rule.key], line)
      switch verdict {
      case .compliant(.inventory?): source = .inventory
      case .compliant(.accountDefault?): if source == .bill { source = .accountDefault }
      case .compliant: break
      case .missing, .invalid, .conflict, .miscased: noncompliant = true
      case .outOfScope, .exempt: break
      }
      keys.append(verdict)
    }
    return GroupVerdict(
      status: noncompliant ? .noncompliant : .compliant(source), keys: keys, team: team)
  }

  private func judge(_ rule: TagRule, _ tag: ResolvedTag?, _ line: LineAttributes) -> KeyVerdict {
    if let scope = rule.scope, !scope.matches(line) { return .outOfScope }
    guard let tag else { return rule.required ? .missing : .compliant(nil) }
    switch tag.status {
    case "conflict":
      let pairs = zip(tag.rawKeys, tag.rawValues).map { "\($0)=\($1)" }
      return .conflict(pairs: pairs.joined(separator: ", "))
    case "invalid":
      return .invalid(value: tag.value, suggestion: tag.suggestion)
    default:
      if !tag.miscasedKeys.isEmpty { return .miscased(keys: tag.miscasedKeys) }
      return .compliant(TagSource(rawValue: tag.source))
    }
  }
}

/// The verdict on a group of lines.
public struct GroupVerdict: Sendable, Equatable {
  /// Exempt, compliant (and thanks to what), or non-compliant.
  public var status: LineStatus
  /// One verdict per rule of `policy.tags`, in order.
  public var keys: [KeyVerdict]
  /// The valid value of the `allocation.by` key, or "" when there is none.
  public var team: String
}

/// A line's verdict over every key.
public enum LineStatus: Sendable, Equatable {
  /// Matched an exemption: not judged.
  case exempt
  /// Every judged key is compliant; `source` says whether it took inventory tags
  /// (`inventory`) or account defaults (`accountDefault`) to get there, else `bill`.
  case compliant(TagSource)
  /// At least one judged key has a problem.
  case noncompliant
}

/// What one rule says about a group of lines.
public enum KeyVerdict: Sendable, Equatable {
  /// The line is exempt from the whole policy.
  case exempt
  /// The rule's scope does not cover the line.
  case outOfScope
  /// Compliant: the tag's source, or nil for an optional key that is absent.
  case compliant(TagSource?)
  /// A required key is absent.
  case missing
  /// The value is empty, not allowed or does not match the pattern; with a near miss.
  case invalid(value: String, suggestion: String?)
  /// Raw keys folded into the key disagree: `Team=web, team=ops`.
  case conflict(pairs: String)
  /// The key is spelt otherwise than the rule requires (`enforce_key_case`).
  case miscased(keys: [String])

  /// The problem's name as stored and printed; nil when there is none.
  public var problem: String? {
    switch self {
    case .exempt, .outOfScope, .compliant: nil
    case .missing: "missing"
    case .invalid: "invalid"
    case .conflict: "conflict"
    case .miscased: "miscased"
    }
  }

  /// The offending value, pairs or spellings; "" for a missing key.
  public var detail: String {
    switch self {
    case .invalid(let value, _): value
    case .conflict(let pairs): pairs
    case .miscased(let keys): keys.joined(separator: ", ")
    default: ""
    }
  }

  /// The near-miss suggestion of an invalid value.
  public var suggestion: String? {
    if case .invalid(_, let suggestion) = self { return suggestion }
    return nil
  }
}
