import ArgumentParser
import Foundation
import SampleBills

/// `tally-dev bench --mode nightly` (`make bench-nightly`): what a nightly run costs beyond
/// its import, on the import benchmark's CUR (`cur-bench.csv`, generated or reused).
///
/// Each repetition times, from scratch:
/// 1. `tally --db import.sqlite import cur-bench.csv` into a fresh database;
/// 2. `tally --config bench-nightly.yaml nightly` into another fresh database and an empty
///    reports folder, with the allocation benchmark's tag policy and allocation
///    (`AllocationBench.config`), a `commitments` section and that CUR as its one source: it
///    imports the same file, then evaluates the policy, allocates, computes commitments and
///    publishes the month's report.
///
/// It prints wall time, CPU time (user + system) and peak RSS of both (minimum and median over
/// the repetitions), the median nightly-to-import ratios (target: wall ≤ 1.3), and the
/// 1-minute load average.
struct NightlyBench {
  var workDirectory: String
  var lines: Int
  var seed: UInt64
  var tally: String
  var repeats: Int

  /// The nightly configuration: the allocation benchmark's policy and allocation, default
  /// commitments, and the bill as the one source (absolute paths: the configuration's own
  /// relative paths are relative to its folder).
  func config(bill: String) -> String {
    func absolute(_ path: String) -> String { URL(fileURLWithPath: path).path }
    return """
      database: \(absolute(path("nightly.sqlite")))
      sources:
        - name: aws
          paths: ["\(absolute(bill))"]
      reports:
        out: \(absolute(path("nightly-reports")))
      commitments:
        lookback_days: 30
        term: 1yr

      """ + AllocationBench.config
  }

  func run() throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    guard manager.isExecutableFile(atPath: tally) else {
      throw ValidationError("no tally executable at \(tally): build it (swift build -c release)")
    }
    let bill = try BenchFile.prepare(
      directory: workDirectory, lines: lines, seed: seed, log: { print($0) })
    let config = path("bench-nightly.yaml")
    try self.config(bill: bill.path).write(toFile: config, atomically: true, encoding: .utf8)

    var steps: [AllocationBench.Step] = []
    for _ in 0..<repeats {
      try removeDatabase(path("import.sqlite"))
      steps.append(
        try measure("import", [tally, "--db", path("import.sqlite"), "import", bill.path]))
      try removeDatabase(path("nightly.sqlite"))
      if manager.fileExists(atPath: path("nightly-reports")) {
        try manager.removeItem(atPath: path("nightly-reports"))
      }
      steps.append(try measure("nightly", [tally, "--config", config, "nightly"]))
    }
    let report = AllocationBench.Report(
      title: "nightly benchmark", lines: lines, months: 1, steps: steps)
    print(report.table())
    func median(_ name: String, _ value: (ChildResult) -> Double) -> Double {
      let values = steps.filter { $0.name == name }.map { value($0.result) }.sorted()
      return values[values.count / 2]
    }
    let wall = median("nightly", \.wallSeconds) / median("import", \.wallSeconds)
    let cpu = median("nightly", \.cpuSeconds) / median("import", \.cpuSeconds)
    print(
      String(
        format: "nightly / import (medians): wall %.2f×, CPU %.2f× (target: wall ≤ 1.30×)",
        wall, cpu))
    if let failed = steps.first(where: { !$0.result.succeeded }) {
      throw ValidationError("\(failed.name) failed (\(failed.result.statusDescription)); see logs")
    }
  }

  private func path(_ name: String) -> String {
    (workDirectory as NSString).appendingPathComponent(name)
  }

  private func removeDatabase(_ database: String) throws {
    for suffix in ["", "-wal", "-shm", ".lock"]
    where FileManager.default.fileExists(atPath: database + suffix) {
      try FileManager.default.removeItem(atPath: database + suffix)
    }
  }

  /// Runs one step, its output in `bench-nightly-NAME.std{out,err}.log`.
  private func measure(_ name: String, _ arguments: [String]) throws -> AllocationBench.Step {
    print("running \(name)…")
    let result = try ChildProcess.run(
      arguments, standardOutput: path("bench-nightly-\(name).stdout.log"),
      standardError: path("bench-nightly-\(name).stderr.log"))
    return AllocationBench.Step(name: name, arguments: arguments, result: result)
  }
}
