/// A parsed JSON value, or a Python literal of the same shape (`None`, `True`, single quotes).
///
/// Numbers keep the text they were written with, so that an amount such as `-5e-06` reaches
/// ``Money`` exactly and an account id such as `012345678910` keeps its leading zero.
indirect enum JSONValue: Sendable {
  case null
  case bool(Bool)
  /// A number as written.
  case number(String)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The member `key` of an object (the first, if the key repeats); nil for other values.
  subscript(key: String) -> JSONValue? {
    guard case .object(let object) = self else { return nil }
    return object[key]
  }

  /// The value at a path of object keys.
  func at(_ keys: String...) -> JSONValue? {
    var value: JSONValue? = self
    for key in keys { value = value?[key] }
    return value
  }

  /// A scalar as text: strings as they are, numbers as written, booleans as `true`/`false`;
  /// nil for null, arrays and objects.
  var text: String? {
    switch self {
    case .string(let text), .number(let text): return text
    case .bool(let value): return value ? "true" : "false"
    case .null, .array, .object: return nil
    }
  }

  /// A non-empty scalar as text.
  var nonEmptyText: String? {
    guard let text, !text.isEmpty else { return nil }
    return text
  }

  /// The elements of an array; nil for other values.
  var array: [JSONValue]? {
    guard case .array(let elements) = self else { return nil }
    return elements
  }

  /// The members of an object; nil for other values.
  var object: JSONObject? {
    guard case .object(let object) = self else { return nil }
    return object
  }

  /// The value written as compact JSON (numbers as they were read).
  var jsonText: String {
    var out = ""
    write(to: &out)
    return out
  }

  private func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let value): out += value ? "true" : "false"
    case .number(let text): out += text
    case .string(let text): JSONValue.writeString(text, to: &out)
    case .array(let elements):
      out += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { out += "," }
        element.write(to: &out)
      }
      out += "]"
    case .object(let object):
      out += "{"
      for (index, member) in object.members.enumerated() {
        if index > 0 { out += "," }
        JSONValue.writeString(member.key, to: &out)
        out += ":"
        member.value.write(to: &out)
      }
      out += "}"
    }
  }

  private static func writeString(_ text: String, to out: inout String) {
    out += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

/// The members of a JSON object in the order written; keys may repeat (the first one wins on
/// lookup, as most readers do).
struct JSONObject: Sendable {
  /// The members, in order.
  var members: [(key: String, value: JSONValue)] = []

  /// The value of the first member named `key`.
  subscript(key: String) -> JSONValue? {
    members.first { $0.key == key }?.value
  }

  /// The value of the first member whose name equals `key` ignoring ASCII case.
  func value(ignoringCase key: String) -> JSONValue? {
    let lowered = key.lowercased()
    return members.first { $0.key.lowercased() == lowered }?.value
  }

  /// The member names, in order.
  var keys: [String] { members.map(\.key) }
}

/// Tags written in any of the shapes exports and APIs use, as raw key/value pairs in order:
/// an object `{"team":"payments"}`, a list of `{"Key":…,"Value":…}` (AWS), `{"key":…,"value":…}`
/// (GCP labels, AWS Config queries) or `{"tagKey":…,"tagValue":…}` (AWS Config supplementary
/// configuration). Null values drop the pair; `true` (a valueless tag) becomes the empty string.
/// Returns nil when `value` has none of these shapes.
func tagPairs(_ value: JSONValue) -> [(key: String, value: String)]? {
  switch value {
  case .null:
    return []
  case .object(let object):
    return object.members.compactMap { member in
      switch member.value {
      case .null: return nil
      case .bool(true): return (member.key, "")
      case .array, .object: return (member.key, member.value.jsonText)
      default: return member.value.text.map { (member.key, $0) }
      }
    }
  case .array(let elements):
    var pairs: [(key: String, value: String)] = []
    for element in elements {
      guard case .object(let item) = element else { return nil }
      guard
        let key = (item["Key"] ?? item["key"] ?? item["tagKey"] ?? item["name"])?.text
      else { return nil }
      let value = item["Value"] ?? item["value"] ?? item["tagValue"] ?? .string("")
      if case .null = value { continue }
      pairs.append((key, value.text ?? value.jsonText))
    }
    return pairs
  default:
    return nil
  }
}
