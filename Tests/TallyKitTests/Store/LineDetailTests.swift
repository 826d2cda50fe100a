import Foundation
import Testing

@testable import TallyKit

/// Cost lines keep their provider detail in `line_details` (schema version 11): one row per
/// distinct combination, found again by later imports.
@Suite struct LineDetailTests {
  /// The eighteen detail columns, for the independent `DISTINCT` counts below.
  static let detailColumns = """
    charge_class, pricing_category, commitment_discount_status, commitment_discount_category,
    consumed_unit, x_line_item_type, x_usage_type, x_operation, x_instance_type, x_platform,
    x_tenancy, x_normalization_factor, x_commitment_rate, x_list_unit_price, x_commitment_end,
    x_purchase_term, x_payment_option, x_offering_type
    """

  /// Lines written by hand at version 10 keep their ids, costs and detail through the migration.
  /// By hand: lines 1 and 2 share a detail; line 3 differs from them only by a NULL
  /// normalisation factor, line 4 has no detail at all, line 5 differs by line type, rate and
  /// pricing category: four details.
  @Test func migrationMovesDetailIntoItsOwnTable() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("old.sqlite")
    let rows:
      [(id: Int, type: String?, usage: String?, factor: Double?, rate: Int64?, pricing: String?)] =
        [
          (1, "Usage", "BoxUsage:m5.large", 4, nil, "Standard"),
          (2, "Usage", "BoxUsage:m5.large", 4, nil, "Standard"),
          (3, "Usage", "BoxUsage:m5.large", nil, nil, "Standard"),
          (4, "Tax", nil, nil, nil, nil),
          (5, "SavingsPlanCoveredUsage", "BoxUsage:m5.large", 4, 1_300_000_000, "Committed"),
        ]
    do {
      let connection = try Connection(path: path)
      for step in 0..<10 { try connection.execute(Schema.migrations[step]) }
      try connection.execute("PRAGMA user_version = 10")
      let insert = try connection.prepare(
        """
        INSERT INTO cost_lines (id, import_id, billing_period, provider, billing_account,
          billing_period_start, charge_period_start, charge_period_end, charge_category,
          billing_currency, billed_cost, effective_cost, list_cost, contracted_cost, tag_set,
          x_line_item_type, x_usage_type, x_normalization_factor, x_commitment_rate,
          pricing_category)
        VALUES (?, 1, '2026-10', 'AWS', 1, 0, 0, 3600, 'Usage', 'USD', ?, ?, 0, 0, 1, ?, ?, ?, ?, ?)
        """)
      for row in rows {
        insert.bind(Int64(row.id), at: 1)
        insert.bind(Int64(row.id) * 1_000, at: 2)
        insert.bind(Int64(row.id) * 700, at: 3)
        insert.bind(row.type, at: 4)
        insert.bind(row.usage, at: 5)
        insert.bind(row.factor, at: 6)
        insert.bind(row.rate, at: 7)
        insert.bind(row.pricing, at: 8)
        try insert.run()
      }
    }
    let store = try Store(path: path)
    #expect(try store.schemaVersion == Schema.currentVersion)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM line_details") == 4)
    let lines = try store.connection.prepare(
      """
      SELECT id, billed_cost, effective_cost, x_line_item_type, x_usage_type,
        x_normalization_factor, x_commitment_rate, pricing_category
      FROM detailed_cost_lines ORDER BY id
      """)
    var read: [String] = []
    while try lines.step() {
      read.append(
        "\(lines.int64(at: 0)) \(lines.int64(at: 1)) \(lines.int64(at: 2)) "
          + "\(lines.optionalText(at: 3) ?? "-") \(lines.optionalText(at: 4) ?? "-") "
          + "\(lines.optionalDouble(at: 5).map { "\($0)" } ?? "-") "
          + "\(lines.optionalInt64(at: 6).map { "\($0)" } ?? "-") \(lines.optionalText(at: 7) ?? "-")"
      )
    }
    #expect(
      read
        == rows.map {
          "\($0.id) \($0.id * 1_000) \($0.id * 700) \($0.type ?? "-") \($0.usage ?? "-") "
            + "\($0.factor.map { "\($0)" } ?? "-") \($0.rate.map { "\($0)" } ?? "-") \($0.pricing ?? "-")"
        })
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(DISTINCT detail) FROM cost_lines WHERE id IN (1, 2)") == 1)
    // Migration 13 dropped billing_period_start and 14 restored it from the month.
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM detailed_cost_lines WHERE billing_period_start = "
          + "\(Timestamp(year: 2026, month: 10, day: 1).secondsSinceEpoch)") == 5)
  }

  /// An import stores each distinct detail once (counted independently with SQL `DISTINCT` over
  /// the lines' detail columns), and a later import through a new connection, which loads the
  /// stored details, finds them again instead of storing them twice.
  @Test func importsShareDetails() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("t.sqlite")
    let fixture = try String(
      contentsOfFile: TestPaths.fixture("cur/every-line-item-type.csv"), encoding: .utf8)
    let first = directory.file("first.csv")
    try fixture.write(toFile: first, atomically: true, encoding: .utf8)
    let distinct =
      "SELECT count(*) FROM (SELECT DISTINCT \(Self.detailColumns) FROM detailed_cost_lines)"
    let details: Int64
    do {
      let store = try Store(path: path)
      _ = try Importer(store: store).importDelivery(at: first)
      details = try #require(try store.connection.scalarInt64(distinct))
      #expect(details > 5)
      // The fixture's bill/BillingPeriodStartDate is 2026-10-01T00:00:00Z on every line.
      #expect(
        try store.connection.scalarInt64(
          "SELECT DISTINCT billing_period_start FROM detailed_cost_lines")
          == Timestamp(year: 2026, month: 10, day: 1).secondsSinceEpoch)
      #expect(try store.connection.scalarInt64("SELECT count(*) FROM line_details") == details)
    }
    // The same month again with other line ids: a newer delivery that replaces the first.
    let second = directory.file("second.csv")
    try fixture.replacingOccurrences(of: "\nl", with: "\nm").write(
      toFile: second, atomically: true, encoding: .utf8)
    let store = try Store(path: path)
    let outcome = try Importer(store: store).importDelivery(at: second)
    #expect(outcome.status == .replaced)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM line_details") == details)
    #expect(try store.connection.scalarInt64(distinct) == details)
  }
}

/// `cost_lines` has no index but its rowids (schema version 12): the lines of an import in a
/// month are found as a rowid range.
@Suite struct CostLineAccessTests {
  @Test func linesOfAnImportInAMonthAreARowidRange() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cost_lines'")
        == 0)
    let plan = try store.connection.prepare(
      "EXPLAIN QUERY PLAN SELECT count(*) FROM cost_lines WHERE \(Store.linesOfImportInMonth)")
    var steps: [String] = []
    while try plan.step() { steps.append(plan.text(at: 3)) }
    #expect(
      steps.contains { $0.contains("cost_lines USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)") })
    #expect(!steps.contains { $0.contains("SCAN cost_lines") })
  }
}

/// The bulk write path's shortcuts keep what is stored the same.
@Suite struct CostLineWriterTests {
  /// The charge category bound without a copy is the category's value.
  @Test func staticTextOfEachChargeCategoryIsItsValue() {
    for category in ChargeCategory.allCases {
      #expect(category.staticText.description == category.rawValue)
    }
  }

  /// A new database gets 16 KiB pages.
  @Test func newDatabasesHaveSixteenKiBPages() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    #expect(try store.connection.scalarInt64("PRAGMA page_size") == 16_384)
  }

  /// Lines of two providers that share account, service, region and resource ids, alternating
  /// line by line, each get their own provider's dimension rows: by hand, two rows per
  /// dimension (four accounts: a billing and a sub account each), and no line points at a row
  /// of the other provider.
  @Test func dimensionsKeepProvidersApart() throws {
    let directory = try TemporaryDirectory()
    let header =
      "ProviderName,BillingAccountId,SubAccountId,SubAccountName,BillingPeriodStart,"
      + "BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,"
      + "EffectiveCost,ListCost,ContractedCost,BillingCurrency,ServiceName,RegionId,ResourceId,"
      + "ResourceType,Tags\n"
    let lines = (0..<6).map { index in
      "\(index % 2 == 0 ? "AWS" : "Acme"),9,1,a,2026-10-01,2026-11-01,2026-10-02,2026-10-03,"
        + "Usage,1,1,1,1,USD,Compute,west,r-1,Instance,\n"
    }
    let bill = directory.file("bill.csv")
    try Data((header + lines.joined()).utf8).write(to: URL(fileURLWithPath: bill))
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: bill)
    for (table, rows) in [("accounts", 4), ("services", 2), ("regions", 2), ("resources", 2)] {
      #expect(try store.connection.scalarInt64("SELECT count(*) FROM \(table)") == Int64(rows))
    }
    #expect(
      try store.connection.scalarInt64(
        """
        SELECT count(*) FROM detailed_cost_lines l JOIN accounts a ON a.id = l.billing_account
        JOIN services s ON s.id = l.service JOIN regions r ON r.id = l.region
        JOIN resources x ON x.id = l.resource
        WHERE a.provider <> l.provider OR s.provider <> l.provider OR r.provider <> l.provider
          OR x.provider <> l.provider
        """) == 0)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM cost_lines") == 6)
  }
}

/// An import reads its lines back a few thousand at a time as it writes them; the line groups
/// it records must be those of all its lines. Checked against SQL over `cost_lines`: the same
/// distinct keys, and per key the same line count and billed sum.
@Suite struct IncrementalReadBackTests {
  @Test func groupsOfAnImportReadBackInBatchesAreThoseOfItsLines() throws {
    let directory = try TemporaryDirectory()
    var csv =
      "ProviderName,BillingAccountId,SubAccountId,SubAccountName,BillingPeriodStart,"
      + "BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,"
      + "EffectiveCost,ListCost,ContractedCost,BillingCurrency,ServiceName,RegionId,ResourceId,"
      + "ResourceType,Tags\n"
    for index in 0..<10_000 {
      let cost = "\(index % 13).\(index % 100)"
      csv +=
        "AWS,9,\(index % 7),a,2026-10-01,2026-11-01,2026-10-02,2026-10-03,Usage,\(cost),"
        + "\(cost),\(cost),\(cost),USD,S\(index % 5),r\(index % 3),i-\(index % 50),Instance,"
        + "\"{\"\"team\"\":\"\"t\(index % 4)\"\"}\"\n"
    }
    let bill = directory.file("bill.csv")
    try Data(csv.utf8).write(to: URL(fileURLWithPath: bill))
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: bill)

    func rows(_ sql: String) throws -> [String] {
      let statement = try store.connection.prepare(sql)
      var rows: [String] = []
      while try statement.step() {
        rows.append(
          (0..<statement.columnCount).map { statement.text(at: $0) }.joined(separator: "|"))
      }
      return rows
    }
    let recorded = try rows(
      """
      SELECT tag_set, account, resource, service, region, lines, billed_cost FROM line_groups
      ORDER BY 1, 2, 3, 4, 5
      """)
    let fromLines = try rows(
      """
      SELECT tag_set, coalesce(sub_account, billing_account), resource, service, region,
        count(*), sum(billed_cost)
      FROM cost_lines GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      """)
    #expect(recorded.count > 100)
    #expect(recorded == fromLines)
  }
}
