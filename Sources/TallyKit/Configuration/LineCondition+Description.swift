extension LineCondition: CustomStringConvertible {
  /// The condition in words, as `tally explain` prints it: `account in [111100000001] and not
  /// (tag env = prod)`.
  public var description: String {
    switch self {
    case .all(let conditions):
      conditions.isEmpty ? "every line" : conditions.map(\.operand).joined(separator: " and ")
    case .any(let conditions):
      conditions.isEmpty ? "no line" : conditions.map(\.operand).joined(separator: " or ")
    case .not(let condition):
      "not \(condition.operand)"
    case .field(let field, let values):
      "\(field.rawValue) \(LineCondition.list(values))"
    case .resource(let patterns):
      "resource matches \(patterns.count == 1 ? patterns[0] : "[\(patterns.joined(separator: ", "))]")"
    case .tag(let key, let values):
      values.contains("*") ? "tag \(key) present" : "tag \(key) \(LineCondition.list(values))"
    case .awsResourceType(let types):
      "AWS resource type \(LineCondition.list(types))"
    }
  }

  /// Whether the condition looks at resource ids or types, which the allocation then loads.
  var mentionsResources: Bool {
    switch self {
    case .all(let conditions), .any(let conditions): conditions.contains(where: \.mentionsResources)
    case .not(let condition): condition.mentionsResources
    case .field(let field, _): field == .resourceType
    case .resource, .awsResourceType: true
    case .tag: false
    }
  }

  /// The line fields the condition tests, so that the allocation reads only those.
  var fields: Set<LineField> {
    switch self {
    case .all(let conditions), .any(let conditions):
      conditions.reduce(into: []) { $0.formUnion($1.fields) }
    case .not(let condition): condition.fields
    case .field(let field, _): [field]
    case .resource, .tag: []
    case .awsResourceType: [.service]
    }
  }

  /// The description, parenthesised when it combines several conditions.
  private var operand: String {
    switch self {
    case .all(let conditions) where conditions.count > 1: "(\(description))"
    case .any(let conditions) where conditions.count > 1: "(\(description))"
    default: description
    }
  }

  private static func list(_ values: [String]) -> String {
    values.count == 1 ? "= \(values[0])" : "in [\(values.joined(separator: ", "))]"
  }
}
