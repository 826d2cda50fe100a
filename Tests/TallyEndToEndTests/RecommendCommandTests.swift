import Foundation
import SampleBills
import Testing

/// `tally recommend` through the real binary, on the generated sample bills.
@Suite struct RecommendCommandTests {
  /// Writes the sample bills into a scratch folder and imports them into a fresh database.
  static func importedSampleBills() throws -> (scratch: ScratchDirectory, db: String) {
    let scratch = try ScratchDirectory()
    for file in SampleBillSet().files() {
      let path = scratch.file("bills/\(file.path)")
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(file.bytes).write(to: URL(fileURLWithPath: path))
    }
    let db = scratch.file("t.sqlite")
    let imported = try TallyBinary.run(["--db", db, "import", scratch.file("bills")])
    #expect(imported.status == 0, "\(imported.stderr)")
    return (scratch, db)
  }

  /// The learned discounts against the generator's own prices, by hand: the us-east-1
  /// m5.xlarge reservation costs 0.121 an hour against 0.192 on demand (1 − 0.121/0.192), and
  /// the Compute Savings Plan takes 28 % off Linux on-demand rates.
  @Test func learnsTheSampleBillsDiscounts() throws {
    let (scratch, db) = try Self.importedSampleBills()
    _ = scratch
    let run = try TallyBinary.run(["--db", db, "recommend", "--format", "json"])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(json["lookback_days"] as? Int == 30)
    let learned = try #require(json["learned_discounts"] as? [[String: Any]])
    let reservation = try #require(
      learned.first { $0["key"] as? String == "us-east-1 m5 Linux/UNIX Shared" })
    #expect(abs((reservation["discount"] as? Double ?? 0) - (1 - 0.121 / 0.192)) < 5e-5)
    let linuxPlans = learned.filter {
      $0["kind"] as? String == "savings-plan"
        && ($0["key"] as? String ?? "").contains("|RunInstances|")
    }
    #expect(!linuxPlans.isEmpty)
    for plan in linuxPlans { #expect(plan["discount"] as? Double == 0.28) }

    let recommendations = try #require(json["recommendations"] as? [[String: Any]])
    #expect(!recommendations.isEmpty)
    for item in recommendations {
      #expect(item["savings_curve"] as? [Any] != nil)
      #expect(item["estimated_monthly_savings"] is String)
      #expect(item["discount_source"] is String)
    }
    let owned = try #require(json["owned_commitments"] as? [String: Any])
    #expect(owned["month"] as? String == "2026-10")
    let commitments = try #require(owned["commitments"] as? [[String: Any]])
    #expect(
      Set(commitments.compactMap { $0["end_date"] as? String }.filter { $0.hasPrefix("2027") })
        == ["2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z"])
  }

  @Test func tableAndCSV() throws {
    let (scratch, db) = try Self.importedSampleBills()
    _ = scratch
    let table = try TallyBinary.run(["--db", db, "recommend", "--lookback", "7"])
    #expect(table.status == 0)
    #expect(table.stdout.contains("look-back 7 days"))
    #expect(table.stdout.contains("Commitments owned in 2026-10"))
    #expect(table.stdout.contains("Expiry calendar"))
    let csv = try TallyBinary.run(["--db", db, "recommend", "--format", "csv", "--term", "3yr"])
    #expect(csv.status == 0)
    let lines = csv.stdout.split(separator: "\r\n")
    #expect(lines.first?.hasPrefix("kind,provider,currency,term,payment,") == true)
    #expect(lines.dropFirst().allSatisfy { $0.contains(",3yr,") })
  }

  @Test func usageAndConfigurationErrorsExitTwo() throws {
    let scratch = try ScratchDirectory()
    let db = scratch.file("t.sqlite")
    #expect(try TallyBinary.run(["--db", db, "recommend", "--lookback", "14"]).status == 2)
    #expect(try TallyBinary.run(["--db", db, "recommend", "--payment", "monthly"]).status == 2)
    #expect(try TallyBinary.run(["--db", db, "recommend"]).status == 2)  // no database
    let config = scratch.file("tally.yaml")
    try "commitments:\n  term: 5yr\n".write(toFile: config, atomically: true, encoding: .utf8)
    let bad = try TallyBinary.run(["--db", db, "--config", config, "recommend"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("tally.yaml:2: commitments.term: expected one of 1yr, 3yr"))
  }
}
