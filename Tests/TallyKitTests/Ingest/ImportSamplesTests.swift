import Foundation
import Testing

@testable import TallyKit

/// Every real or realistic billing export in `shared/samples` imports, and the store's totals
/// per month and currency equal the totals computed from the file by an independent route
/// (a separate CSV splitter and Foundation's Decimal; see `IndependentCSV`).
@Suite struct ImportSamplesTests {
  static let focusSamples = [
    "focus-1.2-1.3-generated/focus_1_2_cost_and_usage_aws.csv",
    "focus-1.2-1.3-generated/focus_1_2_cost_and_usage_azure.csv",
    "focus-1.2-1.3-generated/focus_1_2_cost_and_usage_gcp.csv",
    "focus-1.2-1.3-generated/focus_1_3_cost_and_usage_aws.csv",
    "focus-1.2-1.3-generated/focus_1_3_cost_and_usage_azure.csv",
    "focus-1.2-1.3-generated/focus_1_3_cost_and_usage_gcp.csv",
  ]
  static let curSamples = [
    "aws-cur-legacy-csv/sample-anonymous-aws-export-dataset.csv",
    "aws-cur-legacy-csv/koku-2022-07-01-alt-columns.csv",
    "aws-cur-legacy-csv/koku-2023-06-01.csv",
  ]

  /// `test_cur.csv` (a hand-made koku fixture) has 131 header fields and 130 in every row: a
  /// ragged file is rejected with that reason rather than read with shifted columns.
  @Test func raggedCURIsRejectedWithItsReason() throws {
    let path = try TestPaths.sample("aws-cur-legacy-csv/test_cur.csv")
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let error = try #require(throws: InputError.self) {
      try Importer(store: store).importDelivery(at: path)
    }
    #expect(error.location.line == 2)
    #expect(error.message == "expected 131 fields as in the header, found 130")
    #expect(try store.monthTotals().isEmpty)
  }

  /// The FOCUS 1.3 Contract Commitment dataset is named as such and not imported.
  @Test(arguments: ["aws", "azure", "gcp"])
  func contractCommitmentFileIsNamed(_ provider: String) throws {
    let path = try TestPaths.sample(
      "focus-1.2-1.3-generated/focus_1_3_contract_commitment_\(provider).csv")
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let error = try #require(throws: InputError.self) {
      try Importer(store: store).importDelivery(at: path)
    }
    #expect(error.message.contains("Contract Commitment"))
  }

  @Test(arguments: focusSamples)
  func focusSampleReconciles(_ relative: String) throws {
    let path = try TestPaths.sample(relative)
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: path)
    #expect(outcome.status == .imported)
    #expect(outcome.format == (relative.contains("1_3") ? "focus 1.3" : "focus 1.2"))
    let expected = try ExpectedTotals(focusFile: path)
    #expect(expected.sums.values.reduce(0) { $0 + $1.rows } == 1000)
    #expect(try ExpectedTotals(store: store) == expected)
  }

  @Test(arguments: curSamples)
  func curSampleReconciles(_ relative: String) throws {
    let path = try TestPaths.sample(relative)
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: path)
    #expect(outcome.status == .imported)
    #expect(outcome.format.hasPrefix("aws-cur legacy"))
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(curFile: path))
  }

  /// The nise-generated gzip CUR, imported through its manifest: the manifest names the
  /// report file by its S3 key and the file sits beside it.
  @Test func gzipCURThroughManifest() throws {
    let manifest = try TestPaths.sample("aws-cur-nise-generated/cur-Manifest.json")
    let data = try TestPaths.sample("aws-cur-nise-generated/March-2024-cur.csv.gz")
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: manifest)
    #expect(outcome.status == .imported)
    #expect(outcome.rowCount == 8592)  // the samples README: 8,592 rows
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(curFile: data))
    // The data file alone is the same delivery's data but other bytes: it replaces the month.
    let again = try Importer(store: store).importDelivery(at: data)
    #expect(again.status == .replaced)
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(curFile: data))
  }

  /// Directory import: the manifest claims its report file, so the file is not imported twice.
  @Test func directoryWithManifestImportsOnce() throws {
    let folder = try TestPaths.sample("aws-cur-nise-generated")
    let paths = try expandImportPaths([folder])
    #expect(paths.map { ($0 as NSString).lastPathComponent } == ["cur-Manifest.json"])
  }
}
