/// The AWS resource type of a billed resource in the `service:type` form that AWS tag policies
/// use in `enforced_for` (`ec2:instance`, `s3:bucket`, `dynamodb:table`).
///
/// Bills name resources two ways. An ARN (`arn:aws:ec2:us-east-1:111122223333:instance/i-0abc`)
/// carries the service and, in its resource part, the type before the first `/` or `:`. The
/// legacy CUR also writes bare ids: EC2 ids carry their type in a prefix (`i-`, `vol-`,
/// `snap-`…), and S3 buckets are bare names on lines of the S3 service. An ARN whose resource
/// part has no type (`arn:aws:sqs:…:queue-name`) gets the service's usual one where there is a
/// single one (S3 bucket, SNS topic, SQS queue), else just `service:`, which matches only
/// `service:*` and `service:ALL_SUPPORTED`.
enum AWSResourceType {
  /// The `service:type` of a resource id on a line of `service`, or "" when it is not an AWS
  /// resource tally recognises.
  static func of(resourceID: String, service: String) -> String {
    let id = resourceID.trimmingWhitespace()
    if id.hasPrefix("arn:") { return fromARN(id) }
    if id.isEmpty { return "" }
    for (prefix, type) in ec2Prefixes where id.hasPrefix(prefix) { return "ec2:" + type }
    let lowered = service.lowercased()
    if lowered == "amazon simple storage service" || lowered == "amazons3" { return "s3:bucket" }
    return ""
  }

  /// Whether `type` (as returned by ``of(resourceID:service:)``) is named by one of the
  /// `enforced_for` entries: `service:type`, `service:*` or `service:ALL_SUPPORTED`, compared
  /// case-insensitively.
  static func matches(_ type: String, _ entries: [String]) -> Bool {
    guard let colon = type.firstIndex(of: ":") else { return false }
    let service = type[..<colon].lowercased()
    let lowered = type.lowercased()
    return entries.contains { entry in
      let entry = entry.lowercased()
      if entry == service + ":*" || entry == service + ":all_supported" { return true }
      return entry == lowered
    }
  }

  /// Checks an `enforced_for` entry: `service:type`, `service:*` or `service:ALL_SUPPORTED`;
  /// like AWS, no wildcard for the service. Returns what is wrong, or nil.
  static func problem(with entry: String) -> String? {
    let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
      return "expected service:type (e.g. ec2:instance, s3:*), found \"\(entry)\""
    }
    if parts[0].contains("*") {
      return "a wildcard cannot stand for the service (\"\(entry)\"); name the service, e.g. ec2:*"
    }
    return nil
  }

  private static func fromARN(_ arn: String) -> String {
    // arn:partition:service:region:account:resource — the resource part may contain colons.
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, !parts[2].isEmpty else { return "" }
    let service = parts[2].lowercased()
    let resource = parts[5]
    if let end = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) {
      return service + ":" + resource[..<end].lowercased()
    }
    return service + ":" + (singleTypeServices[service] ?? "")
  }

  /// Services whose ARNs name a resource without a type.
  private static let singleTypeServices = ["s3": "bucket", "sns": "topic", "sqs": "queue"]

  /// Bare EC2 ids by prefix; longer prefixes first where one extends another.
  private static let ec2Prefixes: [(String, String)] = [
    ("i-", "instance"), ("vol-", "volume"), ("snap-", "snapshot"), ("ami-", "image"),
    ("eni-", "network-interface"), ("nat-", "natgateway"), ("eipalloc-", "elastic-ip"),
    ("vpce-", "vpc-endpoint"), ("vpc-", "vpc"), ("subnet-", "subnet"),
    ("sg-", "security-group"), ("igw-", "internet-gateway"),
    ("tgw-attach-", "transit-gateway-attachment"), ("tgw-", "transit-gateway"),
    ("lt-", "launch-template"), ("h-", "dedicated-host"), ("cr-", "capacity-reservation"),
  ]
}
