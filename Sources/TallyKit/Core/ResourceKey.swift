/// The canonical key of a cloud resource, shared by bill lines and inventory entries so that
/// the two meet: `aws:i-0abc…`, `azure:/subscriptions/…` (lower-cased), `gcp://compute…`.
///
/// - AWS: an EC2 ARN (`arn:aws:ec2:us-east-1:1111:instance/i-0abc`) becomes the bare id the CUR
///   uses (`i-0abc`), and so does an S3 bucket ARN (`arn:aws:s3:::bucket` → `bucket`, the CUR's
///   resource id for S3). ARNs of other services match as written. A bare id is taken as it is.
/// - Azure: resource ids compare case-insensitively (resource group names are upper- and
///   lower-cased inconsistently across exports), so the key is the id lower-cased (ASCII),
///   without a trailing `/`.
/// - Google Cloud: the full resource name (`//compute.googleapis.com/projects/p/zones/z/
///   instances/i`), as the detailed billing export's `resource.global_name` and Cloud Asset
///   write it. A Compute Engine API `selfLink` is rewritten to that form.
/// - Anything else: the provider's name lower-cased, a colon, and the id as written.
///
/// The provider is read from the id itself where it can be (`arn:`, `/subscriptions/`, `//`),
/// and otherwise from the provider name (`AWS`, `Microsoft`, `Google Cloud`, …).
enum ResourceKey {
  /// The provider families tally joins on.
  enum Family: String {
    case aws, azure, gcp
  }

  /// The family of a provider name as bills write it (`AWS`, `Amazon Web Services`,
  /// `Microsoft`, `Azure`, `Google Cloud`, `GCP`); nil for others.
  static func family(ofProvider provider: String) -> Family? {
    let name = provider.lowercased()
    if name == "aws" || name.contains("amazon") { return .aws }
    if name.contains("microsoft") || name.contains("azure") { return .azure }
    if name.contains("google") || name == "gcp" { return .gcp }
    return nil
  }

  /// The canonical key of `resourceID` billed or listed by `provider`.
  static func canonical(provider: String, resourceID: String) -> String {
    let id = resourceID.trimmingASCIISpaces
    let lowered = id.lowercased()
    if lowered.hasPrefix("arn:") { return "aws:" + awsKey(arn: id) }
    if lowered.hasPrefix("/subscriptions/") || lowered.hasPrefix("/providers/") {
      return "azure:" + azureKey(id)
    }
    if id.hasPrefix("//") { return "gcp:" + id }
    if let selfLink = gcpSelfLink(id) { return "gcp:" + selfLink }
    switch family(ofProvider: provider) {
    case .aws: return "aws:" + id
    case .azure: return "azure:" + azureKey(id)
    case .gcp: return "gcp:" + id
    case nil: return provider.lowercased() + ":" + id
    }
  }

  /// `arn:partition:service:region:account:resource`: EC2 resources by their bare id, S3
  /// buckets by name, the rest as written.
  private static func awsKey(arn: String) -> String {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6 else { return arn }
    let service = parts[2]
    let resource = parts[5]
    if service == "ec2", let slash = resource.firstIndex(of: "/") {
      let id = resource[resource.index(after: slash)...]
      if !id.isEmpty && !id.contains("/") { return String(id) }
    }
    if service == "s3", !resource.isEmpty, !resource.contains("/") {
      return String(resource)
    }
    return arn
  }

  private static func azureKey(_ id: String) -> String {
    var key = id.lowercased()
    while key.count > 1 && key.hasSuffix("/") { key.removeLast() }
    return key
  }

  /// `https://www.googleapis.com/compute/v1/projects/…` → `//compute.googleapis.com/projects/…`.
  private static func gcpSelfLink(_ id: String) -> String? {
    for prefix in [
      "https://www.googleapis.com/compute/v1/", "https://compute.googleapis.com/compute/v1/",
    ] where id.hasPrefix(prefix) {
      return "//compute.googleapis.com/" + id.dropFirst(prefix.count)
    }
    return nil
  }
}

extension String {
  /// The string without leading and trailing ASCII spaces, tabs and line breaks.
  var trimmingASCIISpaces: String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
