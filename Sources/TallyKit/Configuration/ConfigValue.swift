import Yams

/// One node of `tally.yaml` with where it is, read through checks whose errors name the file,
/// the line and the setting (`policy.tags[0].values`).
struct ConfigValue {
  let node: Node
  let file: String
  /// The dotted path of the setting, for messages.
  let path: String

  var line: Int? { node.mark?.line }

  func error(_ message: String) -> ConfigurationError {
    ConfigurationError(path.isEmpty ? message : "\(path): \(message)", file: file, line: line)
  }

  /// The node as a mapping whose keys must all be in `allowed`; an unknown key is an error
  /// that names it, its line, and the closest allowed key.
  func mapping(allowed: [String]) throws(ConfigurationError) -> ConfigMapping {
    guard case .mapping(let mapping) = node else {
      throw error("expected a mapping of \(allowed.joined(separator: ", "))")
    }
    var values: [String: ConfigValue] = [:]
    var order: [String] = []
    for (keyNode, valueNode) in mapping {
      guard case .scalar(let scalar) = keyNode else {
        throw ConfigValue(node: keyNode, file: file, path: path).error("expected a key")
      }
      let key = scalar.string
      guard allowed.contains(key) else {
        let hint = closest(to: key, in: allowed).map { "; did you mean \"\($0)\"?" } ?? ""
        let message = "unknown key \"\(key)\"\(hint) (allowed: \(allowed.joined(separator: ", ")))"
        throw ConfigurationError(
          path.isEmpty ? message : "\(path): \(message)", file: file, line: keyNode.mark?.line)
      }
      values[key] = ConfigValue(node: valueNode, file: file, path: childPath(key))
      order.append(key)
    }
    return ConfigMapping(owner: self, values: values, order: order)
  }

  /// The node as a mapping with free-form keys (e.g. value aliases), in file order.
  func pairs() throws(ConfigurationError) -> [(key: String, value: ConfigValue)] {
    guard case .mapping(let mapping) = node else { throw error("expected a mapping") }
    var result: [(key: String, value: ConfigValue)] = []
    for (keyNode, valueNode) in mapping {
      guard case .scalar(let scalar) = keyNode else {
        throw ConfigValue(node: keyNode, file: file, path: path).error("expected a key")
      }
      result.append(
        (scalar.string, ConfigValue(node: valueNode, file: file, path: childPath(scalar.string))))
    }
    return result
  }

  /// The items of a sequence.
  func items() throws(ConfigurationError) -> [ConfigValue] {
    guard case .sequence(let sequence) = node else { throw error("expected a list") }
    return sequence.enumerated().map { index, item in
      ConfigValue(node: item, file: file, path: "\(path)[\(index)]")
    }
  }

  /// A scalar as text, exactly as written (so `111122223333` stays an id, not a number).
  func string() throws(ConfigurationError) -> String {
    guard case .scalar(let scalar) = node else { throw error("expected a single value") }
    return scalar.string
  }

  /// A list of scalars; a single scalar is a list of one.
  func strings() throws(ConfigurationError) -> [String] {
    if case .scalar(let scalar) = node { return [scalar.string] }
    var result: [String] = []
    for item in try items() { result.append(try item.string()) }
    return result
  }

  /// A mapping of scalar keys to scalar values.
  func stringMap() throws(ConfigurationError) -> [String: String] {
    var result: [String: String] = [:]
    for (key, value) in try pairs() { result[key] = try value.string() }
    return result
  }

  /// `true` or `false`.
  func bool() throws(ConfigurationError) -> Bool {
    switch try string().lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: throw error("expected true or false, found \"\(try string())\"")
    }
  }

  /// A whole number within `range`.
  func int(in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
    let text = try string()
    guard let value = Int(text), range.contains(value) else {
      throw error(
        "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \"\(text)\""
      )
    }
    return value
  }

  /// One of `choices`.
  func choice(_ choices: [String]) throws(ConfigurationError) -> String {
    let text = try string()
    guard choices.contains(text) else {
      throw error("expected one of \(choices.joined(separator: ", ")), found \"\(text)\"")
    }
    return text
  }

  private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

/// The keys of a checked mapping.
struct ConfigMapping {
  let owner: ConfigValue
  let values: [String: ConfigValue]
  /// The keys in file order.
  let order: [String]

  subscript(key: String) -> ConfigValue? { values[key] }

  /// A key that must be present.
  func required(_ key: String) throws(ConfigurationError) -> ConfigValue {
    guard let value = values[key] else { throw owner.error("missing required key \"\(key)\"") }
    return value
  }
}

/// The allowed word nearest to `word` by edit distance, when it is near enough to be a typo.
func closest(to word: String, in candidates: [String]) -> String? {
  let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
  guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else {
    return nil
  }
  return best.0
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var current = [i] + Array(repeating: 0, count: b.count)
    for j in 1...b.count {
      current[j] = min(
        previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.count]
}
