#if canImport(Glibc)
  internal import Glibc
#else
  internal import Darwin
#endif

/// A condition on a cost line, as written under `when:` (allocation rules), `exempt:` and
/// `scope:` (policy). Keys of one mapping must all match; `all`, `any` and `not` combine.
///
/// ```yaml
/// when: { account: ["111100000001"], service: [AWS Support (Business)] }
/// when: { any: [ { charge_category: [Tax] }, { tags: { env: [prod] } } ] }
/// when: { resource: ["arn:aws:s3:::logs-*"], not: { tags: { team: "*" } } }
/// scope: { aws_resource_type: [ec2:instance, "rds:*"] }
/// ```
public indirect enum LineCondition: Sendable, Equatable {
  /// Every condition holds (an empty list always holds).
  case all([LineCondition])
  /// At least one condition holds.
  case any([LineCondition])
  /// The condition does not hold.
  case not(LineCondition)
  /// The line's field is one of the values (case-insensitive, except account ids).
  case field(LineField, [String])
  /// The resource id matches one of the glob patterns (`*`, `?`, `[…]`).
  case resource([String])
  /// The canonical tag has one of the values; `*` means any value at all.
  case tag(key: String, values: [String])
  /// The resource's AWS type (see ``AWSResourceType``) is one of `service:type`, `service:*`
  /// or `service:ALL_SUPPORTED`, as in an AWS tag policy's `enforced_for`.
  case awsResourceType([String])

  /// The mapping keys a condition may use.
  static let keys =
    LineField.allCases.map(\.rawValue) + [
      "resource", "aws_resource_type", "tags", "all", "any", "not",
    ]

  /// Reads a condition mapping.
  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: LineCondition.keys)
    var parts: [LineCondition] = []
    for key in mapping.order {
      guard let item = mapping[key] else { continue }
      switch key {
      case "all", "any":
        var inner: [LineCondition] = []
        for element in try item.items() { inner.append(try LineCondition(element)) }
        parts.append(key == "all" ? .all(inner) : .any(inner))
      case "not":
        parts.append(.not(try LineCondition(item)))
      case "resource":
        parts.append(.resource(try item.strings()))
      case "aws_resource_type":
        let types = try item.strings()
        for type in types {
          if let problem = AWSResourceType.problem(with: type) { throw item.error(problem) }
        }
        parts.append(.awsResourceType(types))
      case "tags":
        for (tagKey, tagValues) in try item.pairs() {
          parts.append(.tag(key: tagKey, values: try tagValues.strings()))
        }
      default:
        guard let field = LineField(rawValue: key) else { continue }
        if field == .chargeCategory {
          for category in try item.strings() where ChargeCategory(rawValue: category) == nil {
            throw item.error(
              "expected charge categories among Usage, Purchase, Tax, Credit, Adjustment; found \"\(category)\""
            )
          }
        }
        parts.append(.field(field, try item.strings()))
      }
    }
    self = parts.count == 1 ? parts[0] : .all(parts)
  }

  /// Whether a line with these attributes satisfies the condition.
  public func matches(_ line: LineAttributes) -> Bool {
    switch self {
    case .all(let conditions): return conditions.allSatisfy { $0.matches(line) }
    case .any(let conditions): return conditions.contains { $0.matches(line) }
    case .not(let condition): return !condition.matches(line)
    case .field(let field, let values):
      let actual = line[field]
      return field.isIdentifier
        ? values.contains(actual) : values.contains { $0.caseInsensitiveCompare(actual) }
    case .resource(let patterns):
      return patterns.contains { fnmatch($0, line.resourceID, 0) == 0 }
    case .tag(let key, let values):
      guard let value = line.tags[key] else { return false }
      return values.contains("*") || values.contains { $0.caseInsensitiveCompare(value) }
    case .awsResourceType(let types):
      return AWSResourceType.matches(
        AWSResourceType.of(resourceID: line.resourceID, service: line.service), types)
    }
  }

  /// Adds what the condition reads of a line to `inputs`.
  func collectInputs(into inputs: inout LineInputs) {
    switch self {
    case .all(let conditions), .any(let conditions):
      for condition in conditions { condition.collectInputs(into: &inputs) }
    case .not(let condition): condition.collectInputs(into: &inputs)
    case .field(let field, _): inputs.fields.insert(field)
    case .resource: inputs.resourceID = true
    case .tag: break  // Tags come with the tag set, which every evaluation group has.
    case .awsResourceType: inputs.awsResourceType = true
    }
  }
}

/// What a set of conditions reads of a line: the policy stage groups lines by these and
/// nothing else, so that a month is evaluated once per distinct combination, not per line.
struct LineInputs: Equatable {
  /// Line fields tested.
  var fields: Set<LineField> = []
  /// Whether resource ids are matched against globs (evaluation is then per resource).
  var resourceID = false
  /// Whether the AWS resource type is tested (derived from the resource id and service).
  var awsResourceType = false
}

/// The line fields a condition can test.
public enum LineField: String, CaseIterable, Sendable {
  /// `AWS`, `Microsoft`, `Google Cloud`, …
  case provider
  /// The usage (sub-)account id.
  case account
  /// The billing (payer) account id.
  case billingAccount = "billing_account"
  /// The service name.
  case service
  /// The region id.
  case region
  /// Usage, Purchase, Tax, Credit, Adjustment.
  case chargeCategory = "charge_category"
  /// The provider's own line type (AWS `lineItem/LineItemType`).
  case lineType = "line_type"
  /// The resource type.
  case resourceType = "resource_type"

  /// Identifiers compare exactly; names compare case-insensitively.
  var isIdentifier: Bool { self == .account || self == .billingAccount }
}

/// What a condition sees of a line (or of a group of lines that share these attributes).
public struct LineAttributes: Sendable, Hashable {
  /// Provider name.
  public var provider = ""
  /// Usage account id (the sub-account; the billing account when there is none).
  public var account = ""
  /// Billing account id.
  public var billingAccount = ""
  /// Service name.
  public var service = ""
  /// Region id.
  public var region = ""
  /// Charge category.
  public var chargeCategory = ""
  /// Provider line type.
  public var lineType = ""
  /// Resource id.
  public var resourceID = ""
  /// Resource type.
  public var resourceType = ""
  /// Canonical tags: canonical key → canonical value (only keys whose value is usable).
  public var tags: [String: String] = [:]

  /// Creates attributes.
  public init() {}

  /// The value of a field.
  public subscript(field: LineField) -> String {
    switch field {
    case .provider: provider
    case .account: account
    case .billingAccount: billingAccount
    case .service: service
    case .region: region
    case .chargeCategory: chargeCategory
    case .lineType: lineType
    case .resourceType: resourceType
    }
  }
}

extension String {
  fileprivate func caseInsensitiveCompare(_ other: String) -> Bool {
    lowercased() == other.lowercased()
  }
}
