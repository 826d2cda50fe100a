import Foundation
import Testing

@testable import TallyKit

/// One canonical key per resource, so that bill lines and inventory entries meet, and the
/// inventory's tags fill in what the bill lacks, with their source recorded.
@Suite struct ResourceIdentityTests {
  @Test(arguments: [
    // An EC2 ARN and the bare id the CUR uses are the same resource.
    (
      "AWS", "arn:aws:ec2:us-east-1:644160558196:security-group/sg-02df69073faec3e4e",
      "aws:sg-02df69073faec3e4e"
    ),
    ("AWS", "sg-02df69073faec3e4e", "aws:sg-02df69073faec3e4e"),
    ("aws", "arn:aws:ec2:us-east-1:000111222333:instance/i-0abc", "aws:i-0abc"),
    // S3: the CUR's resource id is the bucket name.
    ("aws", "arn:aws:s3:::bucket-a", "aws:bucket-a"),
    // Other services' ARNs match as written (a provider name is not needed to know AWS).
    (
      "Amazon Web Services", "arn:aws:rds:us-east-1:644160558196:db:test-03",
      "aws:arn:aws:rds:us-east-1:644160558196:db:test-03"
    ),
    (
      "", "arn:aws:s3:us-east-1:644160558196:storage-lens/test-2",
      "aws:arn:aws:s3:us-east-1:644160558196:storage-lens/test-2"
    ),
    // Azure ids compare case-insensitively; a trailing slash does not count.
    (
      "Microsoft", "/subscriptions/ABC/resourceGroups/RG-A/providers/Microsoft.Compute/disks/d1/",
      "azure:/subscriptions/abc/resourcegroups/rg-a/providers/microsoft.compute/disks/d1"
    ),
    // Google Cloud full resource names, and Compute Engine selfLinks rewritten to them.
    (
      "Google Cloud", "//compute.googleapis.com/projects/p/zones/z/instances/i",
      "gcp://compute.googleapis.com/projects/p/zones/z/instances/i"
    ),
    (
      "gcp", "https://www.googleapis.com/compute/v1/projects/p/zones/z/instances/i",
      "gcp://compute.googleapis.com/projects/p/zones/z/instances/i"
    ),
    ("Oracle", "ocid1.instance.oc1..x", "oracle:ocid1.instance.oc1..x"),
  ])
  func canonicalKey(_ provider: String, _ id: String, _ key: String) {
    #expect(ResourceKey.canonical(provider: provider, resourceID: id) == key)
  }

  /// The merged get-resources sample (354 real ARNs) joined to a CUR fixture whose resource
  /// ids are a bare EC2 id and ARNs of other services. Expected tags are read from the sample
  /// by hand:
  /// - j1 `sg-02df69073faec3e4e` (bare): no bill tags; inventory `test-tag=asdfasdf`.
  /// - j2 RDS `db:test-03`: bill `user:Platform=mysql`; the inventory's `Platform=postgres`
  ///   is the same key (prefix and case aside), so the bill's value stands; `custodian_next` and
  ///   `workload-type=production` come from the inventory.
  /// - j3 Lambda `function:test-pratyush`: three inventory tags.
  /// - j4 an instance the inventory does not list, j5 a snapshot listed without tags, j6 tax
  ///   without a resource: only bill tags (none).
  @Test func inventoryTagsFillInWhatTheBillLacks() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: try TestPaths.sample(
        "inventory-aws-get-resources/get-resources-merged-from-c7n-placebo.json"))
    _ = try Importer(store: store).importDelivery(at: TestPaths.fixture("cur/inventory-join.csv"))
    func tags(_ lineItem: Int) throws -> [String] {
      let id = try #require(
        try store.connection.scalarInt64(
          "SELECT min(id) FROM cost_lines WHERE import_id = (SELECT max(id) FROM imports)")
      )
      return try store.tags(ofLine: id + Int64(lineItem - 1)).map {
        "\($0.source.rawValue) \($0.rawKey)=\($0.rawValue)"
      }
    }
    #expect(try tags(1) == ["inventory test-tag=asdfasdf"])
    #expect(
      try tags(2) == [
        "bill user:Platform=mysql",
        "inventory custodian_next=Resource does not meet policy: delete@2017/09/16",
        "inventory workload-type=production",
      ])
    #expect(
      try tags(3) == [
        "inventory 7ps:signature=xyz", "inventory bogie:gears:signature=abc",
        "inventory c7n-timestamp=2022-11-22 19:10:34.442479",
      ])
    #expect(try tags(4).isEmpty)
    #expect(try tags(5).isEmpty)
    #expect(try tags(6).isEmpty)
    // The same through the per-(tag set, resource) view the later stages read.
    let sets = try store.effectiveTagSets()
    #expect(sets.flatMap(\.tags).filter { $0.source == .inventory }.count == 6)
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM line_tags WHERE source = 'inventory'") == 6)
  }

  /// Azure ids meet whatever their case: the Resource Graph download lists the storage
  /// account of the EA sample in upper case. The bill's `env=prod` stands; `team` and `owner`
  /// come from the inventory.
  @Test func azureIdsMeetCaseInsensitively() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("inventory/resource-graph-portal.csv"))
    _ = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("azure/EA_ActualCost_Small.csv"))
    let line = try #require(
      try store.connection.scalarInt64(
        """
        SELECT l.id FROM cost_lines l JOIN resources r ON r.id = l.resource
        WHERE r.resource_id LIKE '%dbstoragewp6hglwvvrad2' LIMIT 1
        """))
    let tags = try store.tags(ofLine: line)
    #expect(tags.contains(LineTag(rawKey: "env", rawValue: "prod", source: .bill)))
    #expect(tags.contains(LineTag(rawKey: "team", rawValue: "data", source: .inventory)))
    #expect(tags.contains(LineTag(rawKey: "owner", rawValue: "ana", source: .inventory)))
    #expect(!tags.contains { $0.source == .inventory && $0.rawKey == "env" })
  }

  /// Resource keys of resources stored before schema version 2 are filled in by the
  /// migration.
  @Test func migrationFillsResourceKeys() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("old.sqlite")
    do {
      let connection = try Connection(path: path)
      try connection.execute(Schema.version1)
      try connection.execute(
        "INSERT INTO resources (provider, resource_id) VALUES ('AWS', 'arn:aws:ec2:us-east-1:1:instance/i-9')"
      )
      try connection.execute("PRAGMA user_version = 1")
    }
    let store = try Store(path: path)
    #expect(try store.schemaVersion == Schema.currentVersion)
    #expect(try store.connection.scalarText("SELECT resource_key FROM resources") == "aws:i-9")
  }
}
