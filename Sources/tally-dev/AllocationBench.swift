import ArgumentParser
import Foundation
import SampleBills

/// `tally-dev bench --mode allocation`: the allocation benchmark of docs/performance.md.
///
/// 1. Generates `months` legacy CURs of `lines` rows each, ending with October 2026
///    (`cur-bench-YYYY-MM.csv`, reused when their sidecars match), and writes
///    `bench-tally.yaml`: a team policy with aliases, value aliases and account defaults, and
///    an allocation with rules, three shared pools and credits that follow their resources.
/// 2. Imports them into a fresh `allocation.sqlite` (timed, for reference).
/// 3. `tally allocate` allocates every month (timed, for reference).
/// 4. `tally allocate --month 2026-10` re-allocates the latest month: the figure that must stay
///    under two seconds for a million lines.
/// 5. `tally team TEAM`, `tally teams` and `tally explain --team TEAM` on that month, each
///    `repeats` times (minimum and median): `tally team` must answer in under 100 ms.
///
/// With `reports` (`--mode report`, `make bench-report`) it allocates the month among 50 teams
/// instead (`reportConfig`), stores the tag policy's results (`tally check`), then times
/// `tally report --month 2026-10`, which renders the month's index, CSVs and 51 team pages: the
/// figure that must stay under five seconds for a million lines.
///
/// Every command is a child process measured with the monotonic clock and `wait4`, so the
/// figures include process start-up, opening the database and reading the config.
struct AllocationBench {
  var workDirectory: String
  var lines: Int
  var months: Int
  var seed: UInt64
  var tally: String
  var team: String
  var repeats: Int
  var json: Bool
  /// Time rendering the reports rather than reading a team's view.
  var reports = false

  /// The tag policy of both configurations.
  static let policy = """
    policy:
      tags:
        - key: team
          aliases: [Team]
          values: [platform, payments, search, data-eng, ml]
          value_aliases: { pay: payments, paymnts: payments, data: data-eng }
      account_defaults:
        "111122223333": { team: platform }

    """

  /// The configuration the allocation benchmark allocates with.
  static let config =
    policy + """
      allocation:
        by: team
        cost: effective
        rules:
          - name: ml-account
            when: { account: ["111100000004"] }
            team: ml
          - name: accounts
            team_from_account: { "111100000001": payments, "111100000002": search, "111100000003": data-eng }
          - name: log-groups
            when: { resource: ["arn:aws:logs:*"] }
            team: platform
        shared:
      \(pools)
          - name: commitments
            when: { charge_category: [Purchase] }
            split: { fixed: { platform: 40, payments: 30, search: 30 } }
        credits: follow
      """

  /// Support and tax, shared in proportion to direct cost in both configurations.
  static let pools = """
        - name: support
          when: { service: ["AWS Support (Business)", "AWS Support (Enterprise)"] }
          split: proportional
        - name: tax
          when: { charge_category: [Tax] }
          split: proportional
    """

  /// 50 teams for the report benchmark: the generated bill's lines carry no `owner` tag, so
  /// rules give every line with a resource id to a team by the id's shape — instances by
  /// their first two hex digits (32 teams), volumes by the first (10), databases, functions
  /// and log groups (3), buckets by their name's prefix (5) — and the same three pools share
  /// support, tax and commitment purchases.
  static var reportConfig: String {
    let hex = Array("0123456789abcdef")
    var rules: [(name: String, patterns: [String])] = []
    for digit in hex {
      rules.append(("compute-\(digit)-low", ["i-0\(digit)[0-7]*"]))
      rules.append(("compute-\(digit)-high", ["i-0\(digit)[89a-f]*"]))
    }
    for digit in hex.prefix(9) { rules.append(("storage-\(digit)", ["vol-0\(digit)*"])) }
    rules.append(("storage-rest", ["vol-0[9a-f]*"]))
    rules.append(("databases", ["arn:aws:rds:*"]))
    rules.append(("functions", ["arn:aws:lambda:*"]))
    rules.append(("logs", ["arn:aws:logs:*"]))
    for prefix in ["platform", "payments", "search", "data-eng", "ml"] {
      rules.append(("buckets-\(prefix)", ["\(prefix)-*"]))
    }
    let ruleText = rules.map { rule in
      """
          - name: \(rule.name)
            when: { resource: [\(rule.patterns.map { "\"\($0)\"" }.joined(separator: ", "))] }
            team: \(rule.name)
      """
    }.joined(separator: "\n")
    return policy + """
      allocation:
        by: owner
        cost: effective
        rules:
      \(ruleText)
        shared:
      \(pools)
          - name: commitments
            when: { charge_category: [Purchase] }
            split: even
        credits: follow

      """
  }

  func run() throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    let latest = BillingMonth(year: 2026, month: 10)
    var month = latest
    var files: [BenchFile] = []
    for _ in 0..<months {
      files.insert(
        try BenchFile.prepare(
          directory: workDirectory, name: "cur-bench-\(month).csv", lines: lines, seed: seed,
          month: month, log: log),
        at: 0)
      month = month.previous
    }
    let config = path("bench-tally.yaml")
    try (reports ? AllocationBench.reportConfig : AllocationBench.config).write(
      toFile: config, atomically: true, encoding: .utf8)
    let database = path("allocation.sqlite")
    for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: database + suffix) {
      try manager.removeItem(atPath: database + suffix)
    }
    guard manager.isExecutableFile(atPath: tally) else {
      throw ValidationError("no tally executable at \(tally): build it (swift build -c release)")
    }

    let base = [tally, "--db", database, "--config", config]
    var steps: [Step] = []
    steps.append(try measure("import", base + ["import"] + files.map(\.path)))
    steps.append(try measure("allocate (all months)", base + ["allocate"]))
    let latestText = latest.description
    steps.append(try measure("allocate --month", base + ["allocate", "--month", latestText]))
    let readings =
      reports
      ? [("report", ["report", "--month", latestText, "--out", path("reports")])]
      : [
        ("team", ["team", team, "--month", latestText, "--format", "json"]),
        ("teams", ["teams", "--month", latestText, "--format", "json"]),
        ("explain", ["explain", "--team", team, "--month", latestText, "--format", "json"]),
      ]
    if reports { steps.append(try measure("check", base + ["check", "--month", latestText])) }
    for (name, arguments) in readings {
      for _ in 0..<repeats { steps.append(try measure(name, base + arguments)) }
    }
    let report = Report(
      title: reports ? "report benchmark" : "allocation benchmark", lines: lines, months: months,
      steps: steps)
    print(json ? try report.json() : report.table())
    if let failed = steps.first(where: { !$0.result.succeeded }) {
      throw ValidationError("\(failed.name) failed (\(failed.result.statusDescription)); see logs")
    }
  }

  private func log(_ message: String) {
    if !json { print(message) }
  }

  private func path(_ name: String) -> String {
    (workDirectory as NSString).appendingPathComponent(name)
  }

  private func measure(_ name: String, _ arguments: [String]) throws -> Step {
    log("running \(name)…")
    let slug = name.replacingOccurrences(of: " ", with: "-").filter {
      $0.isLetter || $0 == "-"
    }
    let result = try ChildProcess.run(
      arguments, standardOutput: path("bench-\(slug).stdout.log"),
      standardError: path("bench-\(slug).stderr.log"))
    return Step(name: name, arguments: arguments, result: result)
  }

  struct Step {
    var name: String
    var arguments: [String]
    var result: ChildResult
  }

  /// The measured steps, repeated ones summarised by minimum and median.
  struct Report {
    var title: String
    var lines: Int
    var months: Int
    var steps: [Step]

    private struct Row: Encodable {
      var step: String
      var runs: Int
      var minimumSeconds: Double
      var medianSeconds: Double
      var medianCPUSeconds: Double
      var peakRSSMegabytes: Double
      var ok: Bool

      enum CodingKeys: String, CodingKey {
        case step, runs, ok
        case minimumSeconds = "minimum_seconds"
        case medianSeconds = "median_seconds"
        case medianCPUSeconds = "median_cpu_seconds"
        case peakRSSMegabytes = "peak_rss_megabytes"
      }
    }

    private struct Document: Encodable {
      var linesPerMonth: Int
      var months: Int
      var loadAverage: Double
      var results: [Row]

      enum CodingKeys: String, CodingKey {
        case months, results
        case linesPerMonth = "lines_per_month"
        case loadAverage = "load_average"
      }
    }

    private var rows: [Row] {
      var names: [String] = []
      for step in steps where !names.contains(step.name) { names.append(step.name) }
      return names.map { name in
        let runs = steps.filter { $0.name == name }
        let times = runs.map(\.result.wallSeconds).sorted()
        let cpu = runs.map(\.result.cpuSeconds).sorted()
        return Row(
          step: name, runs: runs.count, minimumSeconds: times[0],
          medianSeconds: times[times.count / 2], medianCPUSeconds: cpu[cpu.count / 2],
          peakRSSMegabytes: Double(runs.map(\.result.peakResidentBytes).max() ?? 0) / 1_048_576,
          ok: runs.allSatisfy(\.result.succeeded))
      }
    }

    /// The 1-minute load average when the report is made: above the core count, wall times
    /// include waiting for a CPU.
    var loadAverage: Double { oneMinuteLoadAverage() }

    func table() -> String {
      var text = [
        "\(title): \(months) month(s) of \(lines) lines; "
          + String(format: "load average %.2f", loadAverage), "",
        "step                      runs     min s  median s  median CPU s  peak RSS MB  ok",
      ]
      for row in rows {
        let name = row.step.padding(toLength: 24, withPad: " ", startingAt: 0)
        text.append(
          name
            + String(
              format: " %5d %9.3f %9.3f %13.3f %12.1f  ", row.runs, row.minimumSeconds,
              row.medianSeconds, row.medianCPUSeconds, row.peakRSSMegabytes)
            + (row.ok ? "yes" : "NO"))
      }
      text.append("")
      text.append(
        "Wall and CPU (user + system, all threads) time of the whole child process; "
          + "peak RSS MB = MiB (ru_maxrss).")
      return text.joined(separator: "\n")
    }

    func json() throws -> String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let document = Document(
        linesPerMonth: lines, months: months, loadAverage: loadAverage, results: rows)
      return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
  }
}
