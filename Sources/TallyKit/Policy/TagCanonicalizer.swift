/// Folds the raw tags of a tag set into canonical keys and values, by the policy's rules.
///
/// This happens when the policy is evaluated, never at import, so that a change of
/// `tally.yaml` needs no re-import. Raw keys are trimmed and lose a `user:` (or Athena
/// `user_`) prefix; they then match a rule's key or aliases case-insensitively unless the rule
/// is case-sensitive. Keys that no rule names keep their folded spelling (lower-case unless
/// `case_sensitive_keys`). Values are trimmed, mapped through `value_aliases`, spelt as in
/// `values`, and checked against `values` (where `*` is a wildcard) or `pattern`. Two raw keys
/// folded into one key conflict when their values differ (ignoring case unless the rule says
/// otherwise). Under `enforce_key_case`, raw keys not spelt exactly as the rule's key are
/// recorded as miscased.
public struct TagCanonicalizer {
  private let rules: [TagRule]
  private let caseSensitiveKeys: Bool
  private var exactNames: [String: Int] = [:]
  private var foldedNames: [String: Int] = [:]
  private var patterns: [Int: Regex<AnyRegexOutput>] = [:]
  /// Raw keys and checked values seen before: tag sets share most of their pairs.
  private let memo = Memo()

  /// Prepares the rules of `policy`.
  public init(policy: PolicyConfiguration) {
    rules = policy.tags
    caseSensitiveKeys = policy.caseSensitiveKeys
    for (index, rule) in rules.enumerated() {
      for name in [rule.key] + rule.aliases {
        let name = TagCanonicalizer.stripped(name)
        if rule.caseSensitiveKey {
          exactNames[name] = index
        } else {
          foldedNames[name.lowercased()] = index
        }
      }
      if let pattern = rule.pattern, let regex = try? Regex(pattern) { patterns[index] = regex }
    }
  }

  /// The canonical tags of one set of raw tags.
  public func canonicalize(_ raw: [(key: String, value: String)]) -> CanonicalTags {
    var result = CanonicalTags()
    for (rawKey, rawValue) in raw {
      let (key, ruleIndex) = canonicalKey(rawKey)
      let rule = ruleIndex.map { rules[$0] }
      let miscased =
        rule.map { $0.enforceKeyCase && TagCanonicalizer.stripped(rawKey) != $0.key } ?? false
      var value = rule?.trim ?? true ? rawValue.trimmingWhitespace() : rawValue
      var status = TagStatus.valid
      if let rule, let index = ruleIndex {
        let memoKey = Memo.ValueKey(rule: index, value: value)
        if let known = memo.values[memoKey] {
          (value, status) = known
        } else {
          (value, status) = check(value, rule: rule, pattern: patterns[index])
          memo.values[memoKey] = (value, status)
        }
      } else if value.isEmpty {
        status = .invalidValue(suggestion: nil)
      }
      if var existing = result.tags[key] {
        existing.rawKeys.append(rawKey)
        existing.rawValues.append(rawValue)
        if miscased { existing.miscasedKeys.append(rawKey) }
        let agree =
          rule.map { same(existing.value, value, $0) }
          ?? (existing.value.lowercased() == value.lowercased())
        if !agree {
          existing.status = .conflict
        } else if existing.status == .valid, status != .valid {
          existing.status = status
        }
        result.tags[key] = existing
      } else {
        result.tags[key] = CanonicalTag(
          value: value, rawKeys: [rawKey], rawValues: [rawValue], status: status,
          ruleIndex: ruleIndex, miscasedKeys: miscased ? [rawKey] : [])
      }
    }
    return result
  }

  /// The canonical key a raw key folds into, with the index of its rule if it has one.
  public func canonicalKey(_ rawKey: String) -> (key: String, rule: Int?) {
    if let known = memo.keys[rawKey] { return known }
    let name = TagCanonicalizer.stripped(rawKey)
    let result: (key: String, rule: Int?)
    if let index = exactNames[name] ?? foldedNames[name.lowercased()] {
      result = (rules[index].key, index)
    } else {
      result = (caseSensitiveKeys ? name : name.lowercased(), nil)
    }
    memo.keys[rawKey] = result
    return result
  }

  /// What the canonicaliser has worked out already, shared by its copies (it is used from one
  /// task at a time, like the store).
  private final class Memo {
    struct ValueKey: Hashable {
      var rule: Int
      var value: String
    }
    var keys: [String: (key: String, rule: Int?)] = [:]
    var values: [ValueKey: (String, TagStatus)] = [:]
  }

  private func check(_ value: String, rule: TagRule, pattern: Regex<AnyRegexOutput>?)
    -> (String, TagStatus)
  {
    var value = value
    let alias = rule.valueAliases.first { same($0.key, value, rule) }
    if let alias { value = alias.value }
    if value.isEmpty { return (value, .invalidValue(suggestion: nil)) }
    if let allowed = rule.values {
      if let spelling = allowed.first(where: { !$0.contains("*") && same($0, value, rule) }) {
        value = spelling
      } else if !allowed.contains(where: {
        $0.contains("*")
          && TagCanonicalizer.wildcardMatches($0, value, caseSensitive: rule.caseSensitiveValues)
      }) {
        let plain = allowed.filter { !$0.contains("*") }
        return (value, .invalidValue(suggestion: closest(to: value, in: plain)))
      }
    }
    if let pattern, (try? pattern.wholeMatch(in: value)) == nil {
      return (value, .invalidValue(suggestion: nil))
    }
    return (value, .valid)
  }

  private func same(_ a: String, _ b: String, _ rule: TagRule) -> Bool {
    rule.caseSensitiveValues ? a == b : a.lowercased() == b.lowercased()
  }

  /// Whether `value` matches `pattern`, in which each `*` stands for any run of characters.
  static func wildcardMatches(_ pattern: String, _ value: String, caseSensitive: Bool) -> Bool {
    let pattern = Array((caseSensitive ? pattern : pattern.lowercased()).unicodeScalars)
    let value = Array((caseSensitive ? value : value.lowercased()).unicodeScalars)
    var p = 0
    var v = 0
    var star: Int?
    var resume = 0
    while v < value.count {
      if p < pattern.count, pattern[p] == "*" {
        star = p
        p += 1
        resume = v
      } else if p < pattern.count, pattern[p] == value[v] {
        p += 1
        v += 1
      } else if let star {
        p = star + 1
        resume += 1
        v = resume
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }

  /// Trims whitespace and drops the AWS cost-allocation prefix `user:` (or `user_`).
  static func stripped(_ rawKey: String) -> String {
    let trimmed = rawKey.trimmingWhitespace()
    for prefix in ["user:", "user_"] where trimmed.lowercased().hasPrefix(prefix) {
      return String(trimmed.dropFirst(prefix.count))
    }
    return trimmed
  }
}

/// The canonical tags of a tag set, by canonical key.
public struct CanonicalTags: Sendable, Equatable {
  /// Canonical key → what the set says about it.
  public var tags: [String: CanonicalTag] = [:]

  /// The usable value of `key`: present, valid and not in conflict.
  public func validValue(_ key: String) -> String? {
    guard let tag = tags[key], tag.status == .valid else { return nil }
    return tag.value
  }

  /// The usable values of every key, for conditions.
  public var validValues: [String: String] {
    tags.compactMapValues { $0.status == .valid ? $0.value : nil }
  }
}

/// One canonical key of a tag set.
public struct CanonicalTag: Sendable, Equatable {
  /// The canonical value (after trimming, aliases and the allowed spelling).
  public var value: String
  /// The raw keys folded into this key, as written (`user:Team`, `user:team`).
  public var rawKeys: [String]
  /// Their raw values, in the same order.
  public var rawValues: [String]
  /// Whether the value is usable.
  public var status: TagStatus
  /// The policy rule for the key, if any (index into `policy.tags`).
  public var ruleIndex: Int?
  /// Raw keys not spelt as the rule requires (`enforce_key_case`), as written.
  public var miscasedKeys: [String] = []
}

/// Whether a canonical tag's value is usable.
public enum TagStatus: Sendable, Equatable {
  /// Allowed by the rule (or no rule constrains it).
  case valid
  /// Empty, not among the allowed values, or not matching the pattern; with the nearest
  /// allowed value when one is close (`Paymnts` → `payments`).
  case invalidValue(suggestion: String?)
  /// Raw keys that fold into this key disagree (`Team=web`, `team=ops`).
  case conflict
}

extension String {
  func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[start...end])
  }
}
