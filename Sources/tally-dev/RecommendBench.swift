import ArgumentParser
import Foundation
import SampleBills

/// `tally-dev bench --mode recommend`: recommendations over 60 days of hourly usage.
///
/// Generates two months of hourly CUR (September and October 2026, half of `--lines` each,
/// so about 61 days), imports them into WORK-DIR/recommend.sqlite with tally, then runs
/// `tally recommend --lookback 60 --format json` three times and reports each run's wall time,
/// CPU time and peak memory, as child processes measured like the import benchmark.
struct RecommendBench {
  var lines: Int
  var workDirectory: String
  var tally: String
  var seed: UInt64
  var json: Bool

  static let months = [BillingMonth(year: 2026, month: 9), BillingMonth(year: 2026, month: 10)]
  static let runs = 3

  func run() throws {
    guard FileManager.default.isExecutableFile(atPath: tally) else {
      throw ValidationError("no tally executable at \(tally): build it (swift build -c release)")
    }
    try FileManager.default.createDirectory(
      atPath: workDirectory, withIntermediateDirectories: true)
    let log: (String) -> Void = { message in if !json { print(message) } }
    var bills: [BenchFile] = []
    for (index, month) in Self.months.enumerated() {
      let share = index == 0 ? lines / 2 : lines - lines / 2
      bills.append(
        try BenchFile.prepare(
          directory: workDirectory, name: "recommend-bench-\(month).csv", lines: share,
          seed: seed, month: month, log: log))
    }

    let database = path("recommend.sqlite")
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: database + suffix)
    }
    log("importing \(bills.map(\.path).joined(separator: ", "))…")
    let imported = try ChildProcess.run(
      [tally, "--db", database, "import"] + bills.map(\.path),
      standardOutput: path("recommend-import.stdout.log"),
      standardError: path("recommend-import.stderr.log"))
    guard imported.succeeded else {
      throw ValidationError("tally import failed (\(imported.statusDescription)); see the logs")
    }

    var results: [ChildResult] = []
    for run in 1...Self.runs {
      log("running tally recommend (\(run) of \(Self.runs))…")
      let result = try ChildProcess.run(
        [tally, "--db", database, "recommend", "--lookback", "60", "--format", "json"],
        standardOutput: path("recommend.stdout.json"),
        standardError: path("recommend.stderr.log"))
      guard result.succeeded else {
        throw ValidationError("tally recommend failed (\(result.statusDescription))")
      }
      results.append(result)
    }
    let recommendations = try recommendationCount()
    if json {
      let document: [String: Any] = [
        "lines": lines, "seed": seed, "months": Self.months.map(\.description),
        "import_wall_seconds": imported.wallSeconds,
        "recommend_wall_seconds": results.map(\.wallSeconds),
        "recommend_cpu_seconds": results.map(\.cpuSeconds),
        "recommend_peak_rss_megabytes": results.map { Double($0.peakResidentBytes) / 1_048_576 },
        "recommendations": recommendations,
      ]
      let data = try JSONSerialization.data(
        withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(
        String(
          format: "%d lines over %@ imported in %.2f s", lines,
          Self.months.map(\.description).joined(separator: " and "), imported.wallSeconds))
      for (index, result) in results.enumerated() {
        print(
          String(
            format: "recommend run %d: %.3f s wall, %.3f s CPU, %.1f MiB peak RSS", index + 1,
            result.wallSeconds, result.cpuSeconds, Double(result.peakResidentBytes) / 1_048_576))
      }
      print("\(recommendations) recommendations (output in \(path("recommend.stdout.json")))")
    }
  }

  private func recommendationCount() throws -> Int {
    let data = try Data(contentsOf: URL(fileURLWithPath: path("recommend.stdout.json")))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return (object?["recommendations"] as? [Any])?.count ?? 0
  }

  private func path(_ name: String) -> String {
    (workDirectory as NSString).appendingPathComponent(name)
  }
}
