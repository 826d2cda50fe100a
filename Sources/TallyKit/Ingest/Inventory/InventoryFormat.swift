/// The resource inventories tally imports, and how each is recognised and read.
enum InventoryFormat: String, Sendable {
  /// `aws resourcegroupstaggingapi get-resources` output, or raw `GetResources` pages.
  case awsGetResources = "aws-get-resources"
  /// An AWS Config configuration snapshot delivered to S3 (`configurationItems`).
  case awsConfigSnapshot = "aws-config-snapshot"
  /// AWS Config advanced query results (`SelectResourceConfig`: `Results` are JSON strings).
  case awsConfigQuery = "aws-config-query"
  /// Azure Resource Graph results (table or object-array form, REST or `az graph query`), ARM
  /// list responses (`value`), and recordings of those calls.
  case azureResourceGraph = "azure-resource-graph"
  /// Azure Resource Graph Explorer's "Download as CSV".
  case azureResourceGraphCSV = "azure-resource-graph-csv"
  /// GCP Cloud Asset Inventory: `gcloud asset export` JSON lines, or API results
  /// (`assets`, `batchGetAssetsHistory`, `searchAllResources`).
  case gcpCloudAsset = "gcp-cloud-asset"
  /// A Compute Engine instance list (`instances.list` or `aggregatedList`).
  case gcpComputeInstances = "gcp-compute-instances"
  /// tally's own CSV: `provider,resource_id,account,region,type,tags_json`.
  case genericCSV = "generic-csv"

  /// The inventory a JSON file's member names point to, if any.
  static func recognise(_ keys: Set<String>) -> InventoryFormat? {
    if keys.contains("ResourceTagMappingList") { return .awsGetResources }
    if keys.contains("configurationItems") { return .awsConfigSnapshot }
    if keys.contains("QueryInfo") || keys.isSuperset(of: ["Results", "SelectFields"]) {
      return .awsConfigQuery
    }
    if keys.contains("assetType") || keys.contains("asset_type") { return .gcpCloudAsset }
    if keys.contains("instances") && keys.contains("selfLink") { return .gcpComputeInstances }
    if keys.contains("totalRecords") || keys.contains("total_records")
      || keys.isSuperset(of: ["columns", "rows"])
      || (keys.contains("value") && keys.contains("id") && keys.contains("tags"))
    {
      return .azureResourceGraph
    }
    return nil
  }

  /// The inventory a CSV header names, if any.
  static func recognise(_ header: Header) -> InventoryFormat? {
    let names = header.names.map { $0.lowercased() }
    if names.starts(with: ["provider", "resource_id"]) && names.contains("tags_json") {
      return .genericCSV
    }
    if names.contains("id") && names.contains("tags")
      && (names.contains("type") || names.contains("subscriptionid") || names.contains("name"))
    {
      return .azureResourceGraphCSV
    }
    return nil
  }

  /// The key paths of the arrays whose elements are resources (read one at a time), with
  /// the envelopes of recorded responses (`{status_code, data}`, `{headers, body}`).
  var streamedArrays: [[String]] {
    switch self {
    case .awsGetResources:
      [["ResourceTagMappingList"], ["data", "ResourceTagMappingList"]]
    case .awsConfigSnapshot:
      [["configurationItems"], ["data", "configurationItems"]]
    case .awsConfigQuery:
      [["Results"], ["data", "Results"]]
    case .azureResourceGraph:
      [
        ["data"], ["data", "data"], ["data", "columns"], ["data", "rows"],
        ["data", "data", "columns"], ["data", "data", "rows"], ["value"], ["data", "value"],
        ["interactions"],
      ]
    case .gcpCloudAsset:
      [["assets"], ["body", "assets"], ["results"], ["body", "results"]]
    case .gcpComputeInstances:
      [
        ["items", "*", "instances"], ["body", "items", "*", "instances"], ["items"],
        ["body", "items"],
      ]
    case .azureResourceGraphCSV, .genericCSV:
      []
    }
  }

  /// The provider whose resources the inventory lists (the generic CSV names its own).
  var provider: String {
    switch self {
    case .awsGetResources, .awsConfigSnapshot, .awsConfigQuery: "aws"
    case .azureResourceGraph, .azureResourceGraphCSV: "azure"
    case .gcpCloudAsset, .gcpComputeInstances: "gcp"
    case .genericCSV: ""
    }
  }
}

/// One resource of an inventory.
struct InventoryEntry {
  /// `aws`, `azure`, `gcp`, or the provider a generic CSV names.
  var provider: String
  /// The id as the inventory wrote it: an ARN, an ARM id, a full resource name.
  var resourceID: String
  var account: String?
  var region: String?
  var type: String?
  /// The tags, raw keys as written.
  var tags: [(key: String, value: String)]
  /// The line it was read from.
  var line: Int
}
