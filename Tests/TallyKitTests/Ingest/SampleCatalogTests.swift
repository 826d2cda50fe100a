import Foundation
import Testing

@testable import TallyKit

/// Every file in `shared/samples` that is a billing export or an inventory imports, or is
/// rejected with its stated reason. Each file is imported alone into a fresh store; bills are
/// checked against totals computed by an independent route (`ExpectedTotals`: a separate CSV
/// splitter and Foundation's Decimal), per month and currency; inventories against resource
/// counts read with Foundation's JSONSerialization.
@Suite struct SampleCatalogTests {
  /// How a sample is checked.
  enum Expectation: Sendable {
    case focus(String)
    case cur(String, data: String? = nil)
    case azure(String)
    case gcp(String)
    case oci(String)
    /// An inventory: format, and how to count its resources independently.
    case inventory(String, count: @Sendable (String) throws -> Int)
    case rejected(String)
    /// Imports with no lines.
    case empty(String)
  }

  static let catalogue: [String: Expectation] = {
    var table: [String: Expectation] = [
      "aws-cur-legacy-csv/koku-2022-07-01-alt-columns.csv": .cur("aws-cur legacy-athena"),
      "aws-cur-legacy-csv/koku-2023-06-01.csv": .cur("aws-cur legacy"),
      "aws-cur-legacy-csv/sample-anonymous-aws-export-dataset.csv": .cur("aws-cur legacy"),
      // A hand-made koku fixture with 131 header fields and 130 in every row.
      "aws-cur-legacy-csv/test_cur.csv": .rejected(
        "expected 131 fields as in the header, found 130"),
      "aws-cur-nise-generated/March-2024-cur.csv.gz": .cur("aws-cur legacy"),
      "aws-cur-nise-generated/cur-Manifest.json": .cur(
        "aws-cur legacy", data: "aws-cur-nise-generated/March-2024-cur.csv.gz"),
      "azure-ea-actual/EA_ActualCost_Small.csv": .azure("azure-ea actual c360"),
      // A header-only export: a valid delivery of zero lines.
      "azure-ea-actual/EA_NoRows.csv": .empty("azure-ea cost c360"),
      "azure-ea-actual/koku-azure_version_2.csv": .azure("azure-ea cost 2019-10-01"),
      "azure-ea-actual/sample-anonymous-ea-export-dataset.csv": .azure("azure-ea cost 2021-10-01"),
      "azure-ea-amortized/EA_AmortizedCost_Small.csv": .azure("azure-ea amortized c360"),
      // The manifest of a partitioned export, without its data file beside it.
      "azure-export-manifest/manifest.json": .rejected("which is not beside it"),
      "azure-legacy-usage/azure_camelCased.csv": .azure("azure-legacy cost pre-2019"),
      "azure-legacy-usage/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv": .azure(
        "azure-legacy cost pre-2019"),
      "azure-mca-actual/camel_azure_version_2.csv": .azure("azure-mca cost 2019-11-01"),
      "gcp-billing-export-csv/koku-gcp-202011_2020-11-08_2020-11-11.csv": .gcp("gcp-billing csv"),
      "gcp-billing-export-csv/koku-gcp-2022-08-01_5.csv": .gcp("gcp-billing csv"),
      "oci-cost-report/reports_cost-csv_0000000030000269.csv": .oci("oci-cost-report csv"),
      "inventory-aws-get-resources/get-resources-merged-from-c7n-placebo.json": .inventory(
        "inventory aws-get-resources cli", count: countTagMappings),
      "inventory-azure-resource-graph/ResourceGraphSource.test_resource_graph_and_arm_sources_storage_are_equivalent.json":
        .inventory("inventory azure-resource-graph recording", count: countRecordedAzureIDs),
      "inventory-azure-resource-graph/ResourceGraphSource.test_resource_graph_and_arm_sources_vm_are_equivalent.json":
        .inventory("inventory azure-resource-graph recording", count: countRecordedAzureIDs),
      "inventory-gcp-cloud-asset/get-compute-v1-projects-cloud-custodian-aggregated-instances_1.json":
        .inventory("inventory gcp-compute-instances aggregated", count: countInstances),
      "inventory-gcp-cloud-asset/get-v1-projects-cloud-custodian-batchGetAssetsHistory_1.json":
        .inventory(
          "inventory gcp-cloud-asset history", count: { try jsonArray($0, "body", "assets").count }),
      "inventory-gcp-cloud-asset/get-v1p1beta1-projects-cloud-custodian-resources-searchAll_1.json":
        .inventory(
          "inventory gcp-cloud-asset search", count: { try jsonArray($0, "body", "results").count }),
    ]
    for version in ["1_2", "1_3"] {
      for provider in ["aws", "azure", "gcp"] {
        table["focus-1.2-1.3-generated/focus_\(version)_cost_and_usage_\(provider).csv"] = .focus(
          "focus \(version.replacingOccurrences(of: "_", with: "."))")
        table["focus-1.2-1.3-generated/focus_1_3_contract_commitment_\(provider).csv"] = .rejected(
          "Contract Commitment")
      }
    }
    for test in [
      "test_aws_lambda_edge_filter/tagging.GetResources_1.json",
      "test_aws_lambda_edge_filter/tagging.GetResources_2.json",
      "test_bedrock_model_invocation_job_mark_for_op_v2/tagging.GetResources_1.json",
      "test_bedrock_model_invocation_job_mark_for_op_v2/tagging.GetResources_2.json",
      "test_elasticache_sharded_copy_cluster_tags/tagging.GetResources_1.json",
      "test_elasticache_sharded_copy_cluster_tags/tagging.GetResources_2.json",
      "test_rds_snapshot_region_copy_many/tagging.GetResources_1.json",
      "test_workspaces_connection_status/tagging.GetResources_1.json",
    ] {
      table["inventory-aws-get-resources/\(test)"] = .inventory(
        "inventory aws-get-resources api-page+recorded", count: countTagMappings)
    }
    for test in ["test_aws_lambda_config_source", "test_kms_config_source"] {
      table["inventory-aws-config/\(test)/config.SelectResourceConfig_1.json"] = .inventory(
        "inventory aws-config-query select-resource-config",
        count: { try jsonArray($0, "data", "Results").count })
    }
    // Reference material (column schemas, conversion rules, SQL) is neither a bill nor an
    // inventory: each is rejected with the list of what tally looks for.
    for reference in [
      "cudos-summary_view.sql", "finops-toolkit-FocusCost_1.0.json",
      "finops-toolkit-FocusCost_1.2-preview.json", "finops-toolkit-actualcost_c360-2025-04.json",
      "finops-toolkit-amortizedcost_c360-2025-04.json", "finops-toolkit-focuscost_1.0.json",
      "finops-toolkit-focuscost_1.2.json", "finops-toolkit-reservationdetails_2023-03-01.json",
      "finops-toolkit-reservationrecommendations_2023-05-01_ea.json",
      "focus_converters-aws-cur.csv", "focus_converters-aws.csv", "focus_converters-azure.csv",
      "focus_converters-gcp.csv",
    ] {
      table["reference-mappings/\(reference)"] = .rejected("looked for")
    }
    return table
  }()

  /// A sample added to `shared/samples` without an entry here fails this test.
  @Test func everySampleFileIsCatalogued() throws {
    let root = try #require(TestPaths.samples)
    let walker = try #require(FileManager.default.enumerator(atPath: root.path))
    var files: [String] = []
    while let relative = walker.nextObject() as? String {
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(
        atPath: root.appendingPathComponent(relative).path, isDirectory: &isDirectory)
      if !isDirectory.boolValue && relative != "README.md" { files.append(relative) }
    }
    #expect(files.count == Self.catalogue.count)
    for file in files.sorted() {
      #expect(Self.catalogue[file] != nil, "no expectation for \(file)")
    }
  }

  @Test(arguments: catalogue.keys.sorted())
  func sampleImportsOrIsRejected(_ relative: String) throws {
    let path = try TestPaths.sample(relative)
    let expectation = try #require(Self.catalogue[relative])
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    if case .rejected(let reason) = expectation {
      let error = try #require(throws: InputError.self) {
        try Importer(store: store).importDelivery(at: path)
      }
      #expect(error.message.contains(reason), "\(error)")
      #expect(error.location.file == path)
      #expect(try store.monthTotals().isEmpty)
      return
    }
    let outcome = try Importer(store: store).importDelivery(at: path)
    #expect(outcome.status == .imported)
    switch expectation {
    case .focus(let format):
      #expect(outcome.format == format)
      #expect(try ExpectedTotals(store: store) == ExpectedTotals(focusFile: path))
    case .cur(let format, let data):
      #expect(outcome.format == format)
      let file = try data.map { try TestPaths.sample($0) } ?? path
      #expect(try ExpectedTotals(store: store) == ExpectedTotals(curFile: file))
    case .azure(let format):
      #expect(outcome.format == format)
      #expect(try ExpectedTotals(store: store) == ExpectedTotals(azureFile: path))
    case .gcp(let format):
      #expect(outcome.format == format)
      #expect(try ExpectedTotals(store: store) == ExpectedTotals(gcpFile: path))
    case .oci(let format):
      #expect(outcome.format == format)
      #expect(try ExpectedTotals(store: store) == ExpectedTotals(ociFile: path))
    case .inventory(let format, let count):
      #expect(outcome.kind == .inventory)
      #expect(outcome.format == format)
      #expect(outcome.rowCount == (try count(path)))
      #expect(
        try store.connection.scalarInt64("SELECT count(*) FROM inventory_resources")
          == Int64(try count(path)))
    case .empty(let format):
      #expect(outcome.format == format)
      #expect(outcome.rowCount == 0)
      #expect(try store.monthTotals().isEmpty)
    case .rejected:
      break
    }
  }
}

/// Foundation's reading of a JSON file, for counting independently of tally's reader.
private func jsonObject(_ path: String) throws -> Any {
  try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
}

private func jsonArray(_ path: String, _ keys: String...) throws -> [Any] {
  var value: Any? = try jsonObject(path)
  for key in keys { value = (value as? [String: Any])?[key] }
  return try #require(value as? [Any])
}

/// Distinct ARNs of a get-resources listing (CLI output or a recorded API page).
private func countTagMappings(_ path: String) throws -> Int {
  let root = try #require(try jsonObject(path) as? [String: Any])
  let listing = (root["data"] as? [String: Any]) ?? root
  let mappings = try #require(listing["ResourceTagMappingList"] as? [[String: Any]])
  return Set(mappings.compactMap { $0["ResourceARN"] as? String }).count
}

/// Distinct ids (case-insensitively) in the recorded ARM list and Resource Graph responses.
private func countRecordedAzureIDs(_ path: String) throws -> Int {
  let root = try #require(try jsonObject(path) as? [String: Any])
  var ids: Set<String> = []
  for interaction in root["interactions"] as? [[String: Any]] ?? [] {
    let body = (interaction["response"] as? [String: Any])?["body"] as? [String: Any]
    let payload = body?["data"] as? [String: Any] ?? [:]
    for object in payload["value"] as? [[String: Any]] ?? [] {
      if let id = object["id"] as? String { ids.insert(id.lowercased()) }
    }
    if let table = payload["data"] as? [String: Any],
      let columns = (table["columns"] as? [[String: Any]])?.compactMap({ $0["name"] as? String }),
      let idColumn = columns.firstIndex(of: "id")
    {
      for row in table["rows"] as? [[Any]] ?? [] {
        if let id = row[idColumn] as? String { ids.insert(id.lowercased()) }
      }
    }
  }
  return ids.count
}

/// Instances of a Compute Engine aggregated list.
private func countInstances(_ path: String) throws -> Int {
  let root = try #require(try jsonObject(path) as? [String: Any])
  let items = try #require((root["body"] as? [String: Any])?["items"] as? [String: Any])
  return items.values.reduce(0) {
    $0 + (($1 as? [String: Any])?["instances"] as? [Any] ?? []).count
  }
}
