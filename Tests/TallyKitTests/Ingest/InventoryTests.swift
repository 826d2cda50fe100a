import Foundation
import Testing

@testable import TallyKit

/// Inventory imports: each format's resources with their canonical key and tags, snapshot
/// replacement per source, and continued pagination.
@Suite struct InventoryTests {
  /// The resources a store holds: key, account, region and tags (`k=v` sorted), by key.
  private func resources(_ store: Store) throws -> [String] {
    let statement = try store.connection.prepare(
      """
      SELECT r.resource_key, coalesce(r.account, '-'), coalesce(r.region, '-'),
        coalesce((SELECT group_concat(raw_key || '=' || raw_value, ',') FROM
          (SELECT raw_key, raw_value FROM tag_set_items WHERE tag_set_id = r.tag_set
           ORDER BY raw_key)), '')
      FROM inventory_resources r ORDER BY r.resource_key
      """)
    var rows: [String] = []
    while try statement.step() {
      rows.append(
        "\(statement.text(at: 0)) \(statement.text(at: 1)) \(statement.text(at: 2)) "
          + statement.text(at: 3))
    }
    return rows
  }

  /// Expected rows are read off each fixture by hand.
  @Test(arguments: [
    (
      "inventory/config-snapshot.json", "inventory aws-config-snapshot snapshot 1.0",
      [
        // The deleted item i-0ddd is left out; the S3 bucket's ARN becomes its name.
        "aws:bucket-a 000111222333 us-east-1 team=data",
        "aws:i-0aaa 000111222333 us-east-1 Name=web-1,Team=payments",
      ]
    ),
    (
      "inventory/resource-graph-objects.json", "inventory azure-resource-graph objects",
      [
        "azure:/subscriptions/ed570627-0265-4620-bb42-bae06bcfa914/resourcegroups/databricks-rg-peskydata-s6taefbli5c5e/providers/microsoft.storage/storageaccounts/dbstoragewp6hglwvvrad2 ed570627-0265-4620-bb42-bae06bcfa914 eastus2 env=dev,team=data",
        "azure:/subscriptions/ed570627-0265-4620-bb42-bae06bcfa914/resourcegroups/rg-empty/providers/microsoft.compute/disks/disk-1 ed570627-0265-4620-bb42-bae06bcfa914 eastus2 ",
        "azure:/subscriptions/ed570627-0265-4620-bb42-bae06bcfa914/resourcegroups/rg-empty/providers/microsoft.network/virtualnetworks/vnet-1 ed570627-0265-4620-bb42-bae06bcfa914 eastus2 ",
      ]
    ),
    (
      "inventory/resource-graph-portal.csv", "inventory azure-resource-graph-csv portal-csv",
      [
        "azure:/subscriptions/ed570627-0265-4620-bb42-bae06bcfa914/resourcegroups/databricks-rg-peskydata-s6taefbli5c5e/providers/microsoft.storage/storageaccounts/dbstoragewp6hglwvvrad2 ed570627-0265-4620-bb42-bae06bcfa914 eastus2 owner=ana,team=data",
        "azure:/subscriptions/ed570627-0265-4620-bb42-bae06bcfa914/resourcegroups/rg-empty/providers/microsoft.network/virtualnetworks/vnet-1 ed570627-0265-4620-bb42-bae06bcfa914 eastus2 ",
      ]
    ),
    (
      "inventory/generic.csv", "inventory generic-csv csv",
      [
        "aws:bucket-a 000111222333 us-east-1 team=data",
        "aws:i-0bbb 000111222333 us-east-1 env=prod,team=search",
        "azure:/subscriptions/aaa/resourcegroups/rg/providers/microsoft.web/sites/app AAA westeurope ",
        "gcp://compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/web-1 shop-prod us-central1 owner=sre",
      ]
    ),
    (
      "inventory/cloud-asset-export.jsonl", "inventory gcp-cloud-asset export",
      [
        "gcp://compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/web-1 projects/shop-prod us-central1-a owner=sre,team=web",
        "gcp://storage.googleapis.com/assets-bucket projects/123456789012 us ",
      ]
    ),
  ])
  func formatReadsItsResources(_ fixture: String, _ format: String, _ expected: [String]) throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: TestPaths.fixture(fixture))
    #expect(outcome.kind == .inventory)
    #expect(outcome.format == format)
    #expect(outcome.rowCount == expected.count)
    #expect(try resources(store) == expected)
    #expect(try store.monthTotals().isEmpty, "an inventory writes no cost lines")
  }

  /// A newer snapshot of the same source replaces the older: its resources are gone, the
  /// older snapshot is marked replaced. The bedrock recordings are two listings of the same
  /// account and region, taken before and after tags were changed.
  @Test func newerSnapshotReplacesTheOlder() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let base = "inventory-aws-get-resources/test_bedrock_model_invocation_job_mark_for_op_v2"
    let first = try Importer(store: store).importDelivery(
      at: try TestPaths.sample("\(base)/tagging.GetResources_1.json"))
    let second = try Importer(store: store).importDelivery(
      at: try TestPaths.sample("\(base)/tagging.GetResources_2.json"))
    #expect(second.status == .replaced)
    #expect(second.replacedImports == [first.importID])
    #expect(second.source == "inventory:aws-get-resources:644160558196/us-east-1")
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM inventory_resources WHERE snapshot_id = \(first.importID)") == 0)
    #expect(
      try store.connection.scalarInt64("SELECT count(*) FROM inventory_resources") == 45)
    // The same bytes again change nothing.
    let again = try Importer(store: store).importDelivery(
      at: try TestPaths.sample("\(base)/tagging.GetResources_2.json"))
    #expect(again.status == .skipped)
    #expect(again.importID == second.importID)
  }

  /// A page whose PaginationToken says more follow leaves the listing open; the next page
  /// continues it rather than replacing it; a later full listing replaces both pages.
  @Test func paginatedPagesMakeOneSnapshot() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let first = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("inventory/get-resources-page-1.json"))
    let second = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("inventory/get-resources-page-2.json"))
    #expect(second.status == .imported)
    #expect(second.source == first.source)
    #expect(
      second.notes.contains { $0.contains("continues the listing of snapshot #\(first.importID)") })
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM inventory_resources") == 2)
    // A new run of the listing, page 1 again with other bytes: replaces both earlier pages.
    let rerun = directory.file("rerun.json")
    try """
    {"PaginationToken": "", "ResourceTagMappingList": [{"ResourceARN": \
    "arn:aws:ec2:eu-west-1:000111222333:instance/i-0p3", "Tags": []}]}
    """.write(toFile: rerun, atomically: true, encoding: .utf8)
    let third = try Importer(store: store).importDelivery(at: rerun)
    #expect(third.replacedImports == [first.importID, second.importID])
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM inventory_resources") == 1)
  }
}
