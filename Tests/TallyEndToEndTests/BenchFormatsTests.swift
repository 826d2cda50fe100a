import Foundation
import SampleBills
import Testing

@testable import TallyKit

/// The benchmark's CUR 2.0 and Azure bills are legacy CUR lines rewritten by `BenchRewriter`.
/// Rewriting the hand-checked legacy fixture `cur/every-line-item-type.csv` (14 lines, one of
/// every line item type) shows that each rewrite imports as its format, with every line, and
/// with the costs the fixture's hand-worked values give (AWSCURMapperTests): CUR 2.0 keeps
/// billed = effective = 17.75000012; the Azure actual dataset makes covered usage cost 0, so
/// its cost is 17.75000012 − 2.00 (the savings-plan-covered line) = 15.75000012.
@Suite struct BenchFormatsTests {
  @Test(arguments: [
    (BenchFormat.cur2, "aws-cur 2.0", Int64(17_750_000_120)),
    (.azure, "azure-ea actual c360", Int64(15_750_000_120)),
  ])
  func rewrittenFixtureImportsAndReconciles(
    _ format: BenchFormat, _ detected: String, _ billed: Int64
  ) throws {
    let scratch = try ScratchDirectory()
    let legacy = try Data(
      contentsOf: URL(fileURLWithPath: TallyBinary.fixture("cur/every-line-item-type.csv")))
    var rewriter = BenchRewriter(format: format)
    // Odd chunk sizes cut lines anywhere.
    var output: [UInt8] = []
    var offset = 0
    while offset < legacy.count {
      let end = min(offset + 97, legacy.count)
      output += rewriter.convert(Array(legacy[offset..<end]))
      offset = end
    }
    output += rewriter.finish()
    #expect(rewriter.linesWritten == 14)
    let path = scratch.file("rewritten-\(format.rawValue).csv")
    try Data(output).write(to: URL(fileURLWithPath: path))

    let store = try Store(path: scratch.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: path)
    #expect(outcome.format == detected)
    #expect(outcome.rowCount == 14)
    let month = try #require(try store.monthTotals().first)
    #expect(month.totals.billed.nanos == billed)
    #expect(month.totals.effective.nanos == billed)
    if format == .azure {
      #expect(rewriter.azureCostTotal == billed)
    } else {
      // Tags survive the fold into resource_tags: the S3 line keeps both spellings.
      #expect(
        try store.connection.scalarInt64(
          "SELECT count(*) FROM tag_set_items WHERE raw_key IN ('user_team', 'user__team')") ?? 0
          > 0)
    }
  }
}
