/// Recognising an input from its content (never its name): the first bytes tell JSON from CSV;
/// a CSV's header names the export; a JSON document's member names (scanned in its first
/// 64 KiB) name the manifest, inventory or export.
enum FormatDetection {
  /// What a CSV header is.
  enum CSVKind {
    case focus
    case awsCUR
    case awsCUR2
    case azure(AzureCostMapper.Agreement)
    case gcpBilling
    case ociCostReport
    case inventory(InventoryFormat)
    case focusContractCommitment
  }

  /// What a JSON file is.
  enum JSONKind {
    case curManifest
    case dataExportsManifest
    case azureExportManifest
    case gcpBillingLines
    case inventory(InventoryFormat)
  }

  /// The first bytes of a file (after decompression): whether it opens a JSON value, and if
  /// so the member names found in it.
  struct Sniff {
    var isJSON: Bool
    var keys: Set<String>
  }

  /// Reads up to 64 KiB of the file.
  static func sniff(path: String) throws(InputError) -> Sniff {
    let source = try openByteSource(path: path)
    let capacity = 1 << 16
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
    defer { buffer.deallocate() }
    var count = 0
    while count < capacity {
      let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
      if read == 0 { break }
      count += read
    }
    let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    var start = 0
    if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    while start < count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start]) { start += 1 }
    guard start < count else {
      throw InputError("the file is empty: expected a header row", at: SourceLocation(file: path))
    }
    let isJSON = bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[")
    return Sniff(
      isJSON: isJSON,
      keys: isJSON ? memberNames(UnsafeRawBufferPointer(rebasing: bytes[start...])) : [])
  }

  /// The names of object members in JSON text (strings followed by a colon), without parsing
  /// it: the text may be cut anywhere.
  static func memberNames(_ bytes: UnsafeRawBufferPointer) -> Set<String> {
    var names: Set<String> = []
    var index = 0
    var current: [UInt8] = []
    while index < bytes.count {
      guard bytes[index] == UInt8(ascii: "\"") else {
        index += 1
        continue
      }
      index += 1
      current.removeAll(keepingCapacity: true)
      while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
        if bytes[index] == UInt8(ascii: "\\") { index += 1 }
        if index < bytes.count { current.append(bytes[index]) }
        index += 1
      }
      index += 1
      var after = index
      while after < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[after]) { after += 1 }
      if after < bytes.count, bytes[after] == UInt8(ascii: ":"), current.count <= 64 {
        names.insert(String(decoding: current, as: UTF8.self))
      }
    }
    return names
  }

  /// The kind of a JSON file from its member names, or nil.
  static func jsonKind(_ keys: Set<String>) -> JSONKind? {
    if keys.contains("reportKeys") { return .curManifest }
    if keys.contains("dataFiles")
      && (keys.contains("exportArn") || keys.contains("executionId")
        || keys.contains("billingPeriod") || keys.contains("exportName"))
    {
      return .dataExportsManifest
    }
    if keys.contains("manifestVersion") && keys.contains("blobs") { return .azureExportManifest }
    if keys.isSuperset(of: ["billing_account_id", "cost", "usage_start_time"]) {
      return .gcpBillingLines
    }
    if let format = InventoryFormat.recognise(keys) { return .inventory(format) }
    return nil
  }

  /// The kind of a CSV file from its header, or nil.
  static func csvKind(_ header: Header) -> CSVKind? {
    if FocusMapper.recognises(header) { return .focus }
    if header.has("ContractCommitmentId", "ContractCommitmentCost") {
      return .focusContractCommitment
    }
    if AWSCURMapper.recognisesCUR2(header) { return .awsCUR2 }
    if AWSCURMapper.recognises(header) { return .awsCUR }
    if let agreement = AzureCostMapper.agreement(of: header) { return .azure(agreement) }
    if GCPBillingMapper.recognises(header) { return .gcpBilling }
    if OCICostReportMapper.recognises(header) { return .ociCostReport }
    if let format = InventoryFormat.recognise(header) { return .inventory(format) }
    return nil
  }

  /// Everything tally recognises, for the message of a file it does not.
  static let lookedFor = """
    CSV billing exports: FOCUS 0.5–1.3 (BilledCost, ChargePeriodStart, BillingCurrency); \
    AWS CUR legacy (lineItem/UnblendedCost and lineItem/LineItemType, or their Athena names); \
    AWS CUR 2.0 (line_item_unblended_cost with product, resource_tags or the account name \
    columns); Azure cost details, EA, MCA or pre-2019 (Date, Cost or CostInBillingCurrency, \
    BillingAccountId or billingProfileId, MeterId; or PreTaxCost and UsageDateTime); GCP \
    billing export (billing_account_id, cost, usage_start_time, currency); OCI cost report \
    (lineItem/intervalUsageStart, cost/myCost); CSV inventories: \
    provider,resource_id,account,region,type,tags_json, or an Azure Resource Graph download \
    (id and tags columns); JSON: an AWS CUR manifest (reportKeys), an AWS Data Exports \
    manifest (dataFiles), an Azure export manifest (manifestVersion and blobs), a GCP billing \
    export as JSON lines (billing_account_id, cost, usage_start_time), AWS get-resources \
    (ResourceTagMappingList), an AWS Config snapshot (configurationItems) or query result \
    (Results), Azure Resource Graph results (data with columns and rows, or objects with id and \
    tags; also ARM list responses with value), GCP Cloud Asset exports or API results (name \
    and assetType) and Compute Engine instance lists (items with instances)
    """
}
