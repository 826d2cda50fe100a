import Foundation
import Testing

@testable import TallyKit

/// Azure cost details: the actual and amortized datasets of a month are both imported without
/// counting anything twice, EA/MCA/pre-2019 columns map onto the canonical line, and the
/// quirks (brace-less tags, BOM, US and ISO dates) are read.
@Suite struct AzureCostTests {
  static let actual = TestPaths.fixture("azure/EA_ActualCost_Small.csv")
  static let amortized = TestPaths.fixture("azure/EA_AmortizedCost_Small.csv")

  /// Σ `Cost` of a file, through the independent route (a plain CSV splitter and Decimal).
  static func costSum(_ path: String) throws -> Int64 {
    try IndependentCSV.rows(path).reduce(0) { $0 + IndependentCSV.nanos($1["Cost"]) }
  }

  /// Both datasets of September 2023 of the same EA enrollment: billed = Σ actual `Cost` and
  /// effective = Σ amortized `Cost`, exactly, in whichever order they arrive. The sums are
  /// computed from the files independently; by hand they are 8.550000… and 16.30… USD.
  @Test(arguments: [false, true])
  func actualAndAmortizedOfOneMonthAreNotDoubleCounted(amortizedFirst: Bool) throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let order = amortizedFirst ? [Self.amortized, Self.actual] : [Self.actual, Self.amortized]
    let first = try Importer(store: store).importDelivery(at: order[0])
    let second = try Importer(store: store).importDelivery(at: order[1])
    #expect(first.status == .imported)
    #expect(second.status == .imported, "the other dataset must not replace the first")
    #expect(
      Set([first.format, second.format]) == ["azure-ea actual c360", "azure-ea amortized c360"])
    #expect(
      Set([first.source, second.source])
        == ["azure-ea:8611537:actual", "azure-ea:8611537:amortized"])

    let month = try #require(try store.monthTotals().first { $0.currency == "USD" })
    let actualCost = try Self.costSum(Self.actual)
    let amortizedCost = try Self.costSum(Self.amortized)
    #expect(actualCost != amortizedCost, "the two files must differ for the test to mean anything")
    #expect(month.month == BillingMonth(year: 2023, month: 9))
    #expect(month.totals.billed.nanos == actualCost)
    #expect(month.totals.effective.nanos == amortizedCost)
    #expect(month.rowCount == 11 + 28)
    // Each line carries its own dataset's cost only.
    #expect(
      try store.connection.scalarInt64(
        """
        SELECT count(*) FROM cost_lines l JOIN imports i ON i.id = l.import_id
        WHERE (i.dataset = 'actual' AND l.effective_cost <> 0)
           OR (i.dataset = 'amortized' AND l.billed_cost <> 0)
        """) == 0)
    // The recorded totals of both imports still equal their lines.
    #expect(
      try store.connection.scalarInt64(
        """
        SELECT count(*) FROM import_totals t WHERE t.billed_cost <> (
          SELECT sum(billed_cost) FROM cost_lines l
          WHERE l.import_id = t.import_id AND l.billing_period = t.billing_period)
        OR t.effective_cost <> (
          SELECT sum(effective_cost) FROM cost_lines l
          WHERE l.import_id = t.import_id AND l.billing_period = t.billing_period)
        """) == 0)
  }

  /// Alone, a dataset's cost stands in for both billed and effective cost, and the import says
  /// so.
  @Test func oneDatasetAloneCountsAsBoth() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: Self.actual)
    let month = try #require(try store.monthTotals().first)
    #expect(month.totals.billed.nanos == (try Self.costSum(Self.actual)))
    #expect(month.totals.effective.nanos == (try Self.costSum(Self.actual)))
    #expect(outcome.notes.contains { $0.contains("counts as both billed and effective") })
  }

  /// A newer delivery of the actual dataset replaces the older one and stays paired.
  @Test func newerActualDeliveryReplacesAndStaysPaired() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: Self.actual)
    _ = try Importer(store: store).importDelivery(at: Self.amortized)
    // Restate: drop the last data line of the actual file.
    var lines = try String(contentsOfFile: Self.actual, encoding: .utf8).components(
      separatedBy: "\n")
    while lines.last?.isEmpty == true { lines.removeLast() }
    lines.removeLast()
    let restated = directory.file("restated.csv")
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: restated, atomically: true, encoding: .utf8)
    let outcome = try Importer(store: store).importDelivery(at: restated)
    #expect(outcome.status == .replaced)
    let month = try #require(try store.monthTotals().first)
    #expect(month.totals.billed.nanos == (try Self.costSum(restated)))
    #expect(month.totals.effective.nanos == (try Self.costSum(Self.amortized)))
    #expect(month.rowCount == 10 + 28)
  }

  /// A file with only on-demand rows does not tell its dataset (both are equal for it); beside
  /// the actual dataset of its month it is taken as the amortized one, and says so.
  @Test func undeterminedFileTakesTheMissingDataset() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: Self.actual)
    let onDemand = TestPaths.fixture("azure/ea-on-demand-only.csv")
    let outcome = try Importer(store: store).importDelivery(at: onDemand)
    #expect(outcome.format == "azure-ea amortized c360")
    #expect(outcome.notes.contains { $0.contains("so this is the amortized one") })
    let month = try #require(try store.monthTotals().first)
    #expect(month.totals.billed.nanos == (try Self.costSum(Self.actual)))
    #expect(month.totals.effective.nanos == 350_000_000)  // 0.2 + 0.15, by hand
  }

  /// The other way round: an undetermined delivery already in the store becomes the dataset
  /// the newcomer is not, and the two pair.
  @Test func undeterminedDeliveryIsRelabelledWhenADeterminedOneArrives() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let onDemand = TestPaths.fixture("azure/ea-on-demand-only.csv")
    let first = try Importer(store: store).importDelivery(at: onDemand)
    #expect(first.format == "azure-ea cost c360")
    #expect(first.source == "azure-ea:8611537:cost")
    let second = try Importer(store: store).importDelivery(at: Self.actual)
    #expect(second.notes.contains { $0.contains("it is the amortized dataset") })
    #expect(
      try store.connection.scalarText("SELECT source FROM imports WHERE id = \(first.importID)")
        == "azure-ea:8611537:amortized")
    let month = try #require(try store.monthTotals().first)
    #expect(month.totals.billed.nanos == (try Self.costSum(Self.actual)))
    #expect(month.totals.effective.nanos == 350_000_000)
  }

  /// Rows of both datasets in one file: rejected, naming a row of each.
  @Test func fileMixingBothDatasetsIsRejected() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let path = TestPaths.fixture("azure/ea-mixed-datasets.csv")
    let error = try #require(throws: InputError.self) {
      try Importer(store: store).importDelivery(at: path)
    }
    #expect(error.message.contains("mixes Azure's actual and amortized datasets"))
    #expect(error.message.contains("ea-mixed-datasets.csv:2:"))
    #expect(error.location.line == 3)
    #expect(try store.monthTotals().isEmpty)
  }

  /// How the columns map (values from the files, by hand): the EA reservation purchase is a
  /// Purchase of a Reservation; covered usage in the amortized file is Used commitment with a
  /// `benefitId`; brace-less tags parse, keys kept as written.
  @Test func eaColumnsMapOntoTheCanonicalLine() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: Self.actual)
    _ = try Importer(store: store).importDelivery(at: Self.amortized)
    let purchase = try store.connection.prepare(
      """
      SELECT l.charge_category, l.pricing_category, c.type, l.charge_period_start, a.account_id,
        s.name
      FROM detailed_cost_lines l LEFT JOIN commitment_discounts c ON c.id = l.commitment_discount
      JOIN accounts a ON a.id = l.billing_account LEFT JOIN services s ON s.id = l.service
      WHERE l.x_line_item_type = 'Purchase'
      """)
    #expect(try purchase.step())
    #expect(purchase.text(at: 0) == "Purchase")
    #expect(purchase.text(at: 1) == "Committed")
    #expect(purchase.text(at: 2) == "Reservation")
    // 09/21/2023 (MM/DD/YYYY), midnight UTC.
    #expect(purchase.int64(at: 3) == Timestamp(year: 2023, month: 9, day: 21).secondsSinceEpoch)
    #expect(purchase.text(at: 4) == "8611537")
    #expect(purchase.text(at: 5) == "Virtual Machines")
    purchase.reset()
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM detailed_cost_lines WHERE commitment_discount_status = 'Used'") == 2)
    #expect(
      try store.connection.scalarText(
        """
        SELECT raw_value FROM tag_set_items i JOIN cost_lines l ON l.tag_set = i.tag_set_id
        WHERE i.raw_key = 'aks-managed-poolName' LIMIT 1
        """) == "agentpool")
  }

  /// MCA: camelCase columns, the billing profile as billing account, the month of `date` when
  /// the billing period columns are empty, `paygCostInBillingCurrency` as list cost; the
  /// reservation purchase with a cost and covered usage at 0 show the actual dataset.
  @Test func mcaColumnsMapOntoTheCanonicalLine() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let path = TestPaths.fixture("azure/mca-actual-reservation.csv")
    let outcome = try Importer(store: store).importDelivery(at: path)
    #expect(outcome.format == "azure-mca actual 2021-10-01")
    #expect(outcome.source == "azure-mca:AAAA-BBBB-CCC-DDD:actual")
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(azureFile: path))
    let month = try #require(try store.monthTotals().first)
    #expect(month.month == BillingMonth(year: 2024, month: 5))
    #expect(month.currency == "EUR")
    // By hand: 110.4 + 0 + 0.055016 billed; list 0 + 2.208 + 0.055016.
    #expect(month.totals.billed.nanos == 110_455_016_000)
    #expect(month.totals.list.nanos == 2_263_016_000)
  }

  /// A partitioned export: the manifest names two files (each with its header and BOM); they
  /// import as one delivery with the totals of the whole file, and the manifest's
  /// `exportConfig.type` names the dataset.
  @Test func partitionedExportThroughItsManifest() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let manifest = TestPaths.fixture("azure/export/manifest.json")
    let outcome = try Importer(store: store).importDelivery(at: manifest)
    #expect(outcome.format == "azure-ea actual c360")
    #expect(outcome.rowCount == 11)
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(azureFile: Self.actual))
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM import_files WHERE import_id = \(outcome.importID)") == 2)
    let paths = try expandImportPaths([TestPaths.fixture("azure/export")])
    #expect(paths.map { ($0 as NSString).lastPathComponent } == ["manifest.json"])
  }

  /// A manifest that names the amortized dataset over rows that show the actual one is
  /// rejected rather than believed.
  @Test func manifestContradictingTheRowsIsRejected() throws {
    let directory = try TemporaryDirectory()
    let export = TestPaths.fixture("azure/export")
    for name in ["000001.csv", "000002.csv"] {
      try FileManager.default.copyItem(
        atPath: "\(export)/\(name)", toPath: directory.file(name))
    }
    try String(contentsOfFile: "\(export)/manifest.json", encoding: .utf8)
      .replacingOccurrences(of: "\"ActualCost\"", with: "\"AmortizedCost\"")
      .write(toFile: directory.file("manifest.json"), atomically: true, encoding: .utf8)
    let store = try Store(path: directory.file("t.sqlite"))
    let error = try #require(throws: InputError.self) {
      try Importer(store: store).importDelivery(at: directory.file("manifest.json"))
    }
    #expect(error.message.contains("names the amortized dataset, but the rows show the actual"))
    #expect(try store.monthTotals().isEmpty)
  }

  @Test func usDatesParse() {
    func parse(_ text: String) -> Timestamp? {
      var text = text
      return text.withUTF8 { Timestamp(parsingUSDate: UnsafeRawBufferPointer($0)) }
    }
    #expect(parse("09/30/2023") == Timestamp(year: 2023, month: 9, day: 30))
    #expect(parse("9/2/2023") == Timestamp(year: 2023, month: 9, day: 2))
    #expect(parse("13/02/2023") == nil)
    #expect(parse("2023-09-02") == nil)
    #expect(parse("9/2/23") == nil)
  }
}
