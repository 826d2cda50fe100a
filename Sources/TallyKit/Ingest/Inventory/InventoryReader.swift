/// Reads the resources of an inventory file, one ``InventoryEntry`` at a time, in bounded
/// memory: JSON through ``JSONReader`` with the format's resource arrays streamed, CSV through
/// ``CSVReader``.
final class InventoryReader {
  let format: InventoryFormat
  let path: String
  /// The version of the format as read: `cli`, `api-page`, `table`, `objects`, …
  private(set) var version = ""
  /// AWS get-resources: the token of the next page, when the listing says there is one.
  private(set) var paginationToken: String?
  private var columns: [String]?
  private var pendingRows: [(JSONValue, Int)] = []
  private var shapes: Set<String> = []

  init(format: InventoryFormat, path: String) {
    self.format = format
    self.path = path
  }

  /// Reads the file, handing each resource to `entry`.
  func read(_ entry: (InventoryEntry) throws -> Void) throws {
    switch format {
    case .genericCSV, .azureResourceGraphCSV:
      try readCSV(entry)
    default:
      let reader = JSONReader(source: try openByteSource(path: path), path: path)
      try reader.readAll(
        streaming: format.streamedArrays,
        element: { keyPath, value, line in
          try self.element(keyPath, value, line: line, entry)
        },
        document: { value, line in
          try self.document(value, line: line, entry)
        })
      if !pendingRows.isEmpty {
        throw InputError(
          "Resource Graph rows without the columns that name their fields",
          at: SourceLocation(file: path, line: pendingRows[0].1))
      }
    }
    version = shapes.sorted().joined(separator: "+")
  }

  // MARK: - JSON

  private func element(
    _ keyPath: [String], _ value: JSONValue, line: Int, _ entry: (InventoryEntry) throws -> Void
  ) throws {
    switch (format, keyPath.last) {
    case (.awsGetResources, _):
      try entry(try getResourcesEntry(value, line: line))
    case (.awsConfigSnapshot, _):
      if let item = try configItem(value, line: line) { try entry(item) }
    case (.awsConfigQuery, _):
      guard let text = value.text else {
        throw InputError(
          "expected each result to be a JSON string", at: SourceLocation(file: path, line: line))
      }
      let parsed: JSONValue
      do throws(JSONSyntaxError) {
        parsed = try JSONReader.parse(text: text)
      } catch {
        throw InputError(
          "bad JSON in a query result, character \(error.offset + 1): \(error.message)",
          at: SourceLocation(file: path, line: line))
      }
      shapes.insert("select-resource-config")
      if let item = try configItem(parsed, line: line) { try entry(item) }
    case (.azureResourceGraph, "columns"):
      columns = (columns ?? []) + [value["name"]?.text ?? ""]
    case (.azureResourceGraph, "rows"):
      guard let columns else {
        pendingRows.append((value, line))
        return
      }
      shapes.insert("table")
      for (row, rowLine) in pendingRows + [(value, line)] {
        try entry(try azureRow(row, columns: columns, line: rowLine))
      }
      pendingRows.removeAll()
    case (.azureResourceGraph, "interactions"):
      shapes.insert("recording")
      // A recorded HTTP exchange: the response body is one of the shapes above.
      guard let body = value.at("response", "body") else { return }
      let payload = body["data"] ?? body["string"].flatMap(parseEmbedded) ?? body
      try azureDocument(payload, line: line, entry)
    case (.azureResourceGraph, _):
      shapes.insert(keyPath.last == "value" ? "arm-list" : "objects")
      try entry(try azureObject(value, line: line))
    case (.gcpCloudAsset, "results"):
      shapes.insert("search")
      try entry(try assetEntry(value, line: line))
    case (.gcpCloudAsset, _):
      shapes.insert(value["asset"] == nil ? "list" : "history")
      try entry(try assetEntry(value["asset"] ?? value, line: line))
    case (.gcpComputeInstances, _):
      try entry(try computeInstance(value, line: line))
    default:
      break
    }
  }

  private func document(_ value: JSONValue, line: Int, _ entry: (InventoryEntry) throws -> Void)
    throws
  {
    switch format {
    case .awsGetResources:
      let token = (value["PaginationToken"] ?? value.at("data", "PaginationToken"))?.text
      if let token {
        shapes.insert("api-page")
        paginationToken = token.isEmpty ? nil : token
      } else {
        shapes.insert("cli")
      }
      if value["status_code"] != nil { shapes.insert("recorded") }
    case .awsConfigSnapshot:
      shapes.insert("snapshot \(value["fileVersion"]?.text ?? "")".trimmingASCIISpaces)
    case .gcpCloudAsset:
      // `gcloud asset export` writes one asset per line.
      if value["name"] != nil && (value["assetType"] != nil || value["asset_type"] != nil) {
        shapes.insert("export")
        try entry(try assetEntry(value, line: line))
      }
    case .gcpComputeInstances:
      shapes.insert(
        value.at("body", "items")?.array != nil || value["items"]?.array != nil
          ? "list" : "aggregated")
    default:
      break
    }
  }

  /// An Azure response body found inside a recording.
  private func azureDocument(
    _ value: JSONValue, line: Int, _ entry: (InventoryEntry) throws -> Void
  )
    throws
  {
    if let rows = value.at("data", "rows")?.array, let columns = value.at("data", "columns")?.array
    {
      let names = columns.map { $0["name"]?.text ?? "" }
      for row in rows { try entry(try azureRow(row, columns: names, line: line)) }
    } else if let objects = value["data"]?.array ?? value["value"]?.array {
      for object in objects { try entry(try azureObject(object, line: line)) }
    }
  }

  private func parseEmbedded(_ value: JSONValue) -> JSONValue? {
    guard let text = value.text else { return nil }
    return try? JSONReader.parse(text: text)
  }

  // MARK: - AWS

  private func getResourcesEntry(_ value: JSONValue, line: Int) throws -> InventoryEntry {
    guard let arn = value["ResourceARN"]?.nonEmptyText else {
      throw InputError(
        "a ResourceTagMappingList entry without a ResourceARN",
        at: SourceLocation(file: path, line: line))
    }
    let tags = try tags(value["Tags"] ?? .array([]), line: line)
    let parts = arnParts(arn)
    return InventoryEntry(
      provider: "aws", resourceID: arn, account: parts?.account, region: parts?.region,
      type: parts?.type, tags: tags, line: line)
  }

  /// A configuration item of a snapshot, or one result of an advanced query; nil for a
  /// deleted resource.
  private func configItem(_ value: JSONValue, line: Int) throws -> InventoryEntry? {
    let status = value["configurationItemStatus"]?.text ?? ""
    if status.hasPrefix("ResourceDeleted") || status == "ResourceNotRecorded" { return nil }
    let configuration = value["configuration"]
    var arn = (value["ARN"] ?? value["arn"] ?? value["resourceArn"])?.nonEmptyText
    if arn == nil, case .object(let members)? = configuration {
      arn =
        members["arn"]?.nonEmptyText
        ?? members.members.first {
          $0.key.hasSuffix("Arn") && $0.key != "roleArn"
            && ($0.value.text?.hasPrefix("arn:") ?? false)
        }?.value.text
    }
    guard let id = arn ?? value["resourceId"]?.nonEmptyText else {
      throw InputError(
        "an AWS Config item without an ARN or resourceId (select arn or resourceId in the query)",
        at: SourceLocation(file: path, line: line))
    }
    let parts = arnParts(id)
    let tagValue =
      value["tags"] ?? value.at("supplementaryConfiguration", "Tags")
      ?? configuration?["tags"] ?? .array([])
    return InventoryEntry(
      provider: "aws", resourceID: id,
      account: (value["awsAccountId"] ?? value["accountId"])?.nonEmptyText ?? parts?.account,
      region: value["awsRegion"]?.nonEmptyText ?? parts?.region,
      type: value["resourceType"]?.nonEmptyText ?? parts?.type,
      tags: try tags(tagValue, line: line), line: line)
  }

  /// `arn:partition:service:region:account:resource` → account, region, `service:type`.
  private func arnParts(_ arn: String) -> (account: String, region: String, type: String)? {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "arn" else { return nil }
    let resource = parts[5]
    let kind = resource.prefix { $0 != "/" && $0 != ":" }
    let type = kind.count == resource.count ? String(parts[2]) : "\(parts[2]):\(kind)"
    return (String(parts[4]), String(parts[3]), type)
  }

  // MARK: - Azure

  private func azureRow(_ row: JSONValue, columns: [String], line: Int) throws -> InventoryEntry {
    guard let cells = row.array else {
      throw InputError(
        "expected a Resource Graph row to be an array", at: SourceLocation(file: path, line: line))
    }
    var object = JSONObject()
    for (name, cell) in zip(columns, cells) { object.members.append((name, cell)) }
    return try azureObject(.object(object), line: line)
  }

  private func azureObject(_ value: JSONValue, line: Int) throws -> InventoryEntry {
    guard case .object(let object) = value, let id = object.value(ignoringCase: "id")?.nonEmptyText
    else {
      throw InputError(
        "an Azure resource without an id", at: SourceLocation(file: path, line: line))
    }
    var tagValue = object.value(ignoringCase: "tags") ?? .null
    if let text = tagValue.text {
      tagValue = try embeddedTags(text, line: line)
    }
    return InventoryEntry(
      provider: "azure", resourceID: id,
      account: object.value(ignoringCase: "subscriptionId")?.nonEmptyText ?? subscription(of: id),
      region: object.value(ignoringCase: "location")?.nonEmptyText,
      type: object.value(ignoringCase: "type")?.nonEmptyText,
      tags: try tags(tagValue, line: line), line: line)
  }

  /// Tags written as JSON text (portal CSV downloads); empty text is no tags.
  private func embeddedTags(_ text: String, line: Int) throws -> JSONValue {
    if text.trimmingASCIISpaces.isEmpty { return .null }
    do throws(JSONSyntaxError) {
      return try JSONReader.parse(text: text)
    } catch {
      throw InputError(
        "bad JSON in the tags, character \(error.offset + 1): \(error.message)",
        at: SourceLocation(file: path, line: line, columnName: "tags"))
    }
  }

  private func subscription(of id: String) -> String? {
    let parts = id.split(separator: "/")
    guard parts.count >= 2, parts[0].lowercased() == "subscriptions" else { return nil }
    return String(parts[1])
  }

  // MARK: - Google Cloud

  private func assetEntry(_ value: JSONValue, line: Int) throws -> InventoryEntry {
    guard let name = value["name"]?.nonEmptyText else {
      throw InputError("an asset without a name", at: SourceLocation(file: path, line: line))
    }
    let labels = value.at("resource", "data", "labels") ?? value["labels"] ?? .null
    let ancestor = value["ancestors"]?.array?.first { $0.text?.hasPrefix("projects/") ?? false }
    let project =
      value["project"]?.nonEmptyText ?? projectSegment(name).map { "projects/\($0)" }
      ?? ancestor?.text
    return InventoryEntry(
      provider: "gcp", resourceID: name, account: project,
      region: (value["location"] ?? value.at("resource", "location"))?.nonEmptyText,
      type: (value["assetType"] ?? value["asset_type"])?.nonEmptyText,
      tags: try tags(labels, line: line), line: line)
  }

  private func computeInstance(_ value: JSONValue, line: Int) throws -> InventoryEntry {
    guard let selfLink = value["selfLink"]?.nonEmptyText else {
      throw InputError(
        "a Compute Engine instance without a selfLink", at: SourceLocation(file: path, line: line))
    }
    let zone = value["zone"]?.text?.split(separator: "/").last.map(String.init)
    return InventoryEntry(
      provider: "gcp", resourceID: selfLink,
      account: projectSegment(selfLink).map { "projects/\($0)" }, region: zone,
      type: "compute.googleapis.com/Instance", tags: try tags(value["labels"] ?? .null, line: line),
      line: line)
  }

  /// The segment after `projects/` in a resource name or URL.
  private func projectSegment(_ name: String) -> String? {
    let parts = name.split(separator: "/")
    guard let index = parts.firstIndex(of: "projects"), index + 1 < parts.count else { return nil }
    return String(parts[index + 1])
  }

  // MARK: - CSV

  private func readCSV(_ entry: (InventoryEntry) throws -> Void) throws {
    let reader = CSVReader(source: try openByteSource(path: path), path: path)
    let header = try reader.readHeader()
    let lowered = header.map { $0.lowercased() }
    func column(_ name: String) -> Int? { lowered.firstIndex(of: name) }
    let generic = format == .genericCSV
    shapes.insert(generic ? "csv" : "portal-csv")
    let idColumn = column(generic ? "resource_id" : "id")
    let tagsColumn = column(generic ? "tags_json" : "tags")
    let providerColumn = column("provider")
    let accountColumn = column(generic ? "account" : "subscriptionid")
    let regionColumn = column(generic ? "region" : "location")
    let typeColumn = column("type")
    try reader.forEachRecord { record in
      func field(_ index: Int?) -> String? {
        guard let index else { return nil }
        let text = record.string(at: index)
        return text.isEmpty ? nil : text
      }
      guard record.count == header.count else {
        throw InputError(
          "expected \(header.count) fields as in the header, found \(record.count)",
          at: SourceLocation(file: path, line: record.line))
      }
      guard let id = field(idColumn) else {
        throw InputError(
          "expected a resource id, found an empty field",
          at: SourceLocation(
            file: path, line: record.line, column: idColumn.map { $0 + 1 },
            columnName: idColumn.map { header[$0] }))
      }
      let provider = generic ? (field(providerColumn) ?? "") : "azure"
      guard !provider.isEmpty else {
        throw InputError(
          "expected a provider (aws, azure, gcp, …), found an empty field",
          at: SourceLocation(
            file: path, line: record.line, column: providerColumn.map { $0 + 1 },
            columnName: "provider"))
      }
      var tagValue = JSONValue.null
      if field(tagsColumn) != nil {
        do throws(JSONSyntaxError) {
          tagValue = try JSONReader.parse(record[tagsColumn ?? 0])
        } catch {
          let name = tagsColumn.map { header[$0] } ?? "tags"
          throw InputError(
            "bad JSON in the tags: \(error.message)",
            at: SourceLocation(
              file: path, line: record.line, column: tagsColumn.map { $0 + 1 },
              columnName: "\(name), character \(error.offset + 1)"))
        }
      }
      try entry(
        InventoryEntry(
          provider: ResourceKey.family(ofProvider: provider)?.rawValue ?? provider.lowercased(),
          resourceID: id, account: field(accountColumn), region: field(regionColumn),
          type: field(typeColumn), tags: try tags(tagValue, line: record.line), line: record.line))
    }
  }

  // MARK: - Tags

  private func tags(_ value: JSONValue, line: Int) throws -> [(key: String, value: String)] {
    guard let pairs = tagPairs(value) else {
      throw InputError(
        "expected tags as an object or a list of {Key, Value}",
        at: SourceLocation(file: path, line: line))
    }
    return pairs
  }
}
