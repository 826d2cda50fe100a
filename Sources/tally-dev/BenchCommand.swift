import ArgumentParser
import Foundation
import SampleBills

/// `tally-dev bench`: generates a large CUR and times its import by sqlite3 and by tally, or
/// (`--mode allocation`) times allocating it and reading a team's view.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time importing a large generated CUR, or allocating it (--mode allocation).",
    discussion: """
      --mode allocation: see AllocationBench (generates --months months of --lines rows each, \
      imports them, allocates them all, then times `tally allocate --month` on the latest month \
      and `tally team`, `tally teams` and `tally explain` on it).

      --mode report: the same month allocated among 50 teams and checked against the tag \
      policy, then times `tally report --month` (the index, CSVs and every team page).

      --mode nightly: see NightlyBench (the import benchmark's CUR through `tally import` alone \
      and through `tally nightly` from scratch, each into a fresh database, --repeats times; a \
      table and the nightly-to-import ratios).

      --mode import:
      Generates WORK-DIR/cur-bench.csv (a legacy CUR of --lines rows and 101 columns), or \
      reuses it when WORK-DIR/cur-bench.csv.meta records the same line count, seed and \
      generator version. Then imports it twice into fresh databases, one run each:
        sqlite3 WORK-DIR/baseline.sqlite ".import --csv WORK-DIR/cur-bench.csv cur"
        TALLY --db WORK-DIR/tally.sqlite import WORK-DIR/cur-bench.csv
      Each child is started with posix_spawn; its wall time is measured with the monotonic \
      clock and its peak resident memory comes from wait4 (ru_maxrss). The children's output \
      goes to WORK-DIR/<tool>.stdout.log and <tool>.stderr.log. Exits non-zero if a child fails.
      """)

  @Option(help: "Data rows in the generated CUR.")
  var lines = 800_000

  @Option(name: .customLong("work-dir"), help: "Folder for the CUR, the databases and logs.")
  var workDirectory: String

  @Option(help: "The tally executable to time.")
  var tally = ".build/release/tally"

  @Option(help: "The sqlite3 shell to time (looked up in PATH).")
  var sqlite3 = "sqlite3"

  @Option(help: "Seed of the generated CUR.")
  var seed: UInt64 = 1

  @Flag(help: "Time sqlite3 only (for when tally cannot import yet).")
  var skipTally = false

  @Flag(help: "Print the results as JSON instead of a table.")
  var json = false

  @Option(help: "Import mode: the bill's format (legacy CUR, CUR 2.0 or Azure cost details).")
  var format = BenchFormat.legacy

  @Option(help: "What to time: import (sqlite3 against tally), allocation, recommend or report.")
  var mode: BenchMode = .import

  @Option(help: "Allocation mode: how many months of --lines rows the store holds.")
  var months = 1

  @Option(help: "Allocation mode: the team whose view is timed.")
  var team = "payments"

  @Option(help: "Allocation and nightly modes: how many times each command is timed.")
  var repeats = 5

  func validate() throws {
    guard lines >= BenchCUR.minimumLines else {
      throw ValidationError("--lines must be at least \(BenchCUR.minimumLines)")
    }
    guard (1...24).contains(months), repeats >= 1 else {
      throw ValidationError("--months must be 1 to 24 and --repeats at least 1")
    }
  }

  func run() throws {
    if mode == .nightly {
      try NightlyBench(
        workDirectory: workDirectory, lines: lines, seed: seed, tally: tally, repeats: repeats
      ).run()
      return
    }
    if mode == .recommend {
      try RecommendBench(
        lines: lines, workDirectory: workDirectory, tally: tally, seed: seed, json: json
      ).run()
      return
    }
    if mode == .allocation || mode == .report {
      try AllocationBench(
        workDirectory: workDirectory, lines: lines, months: months, seed: seed, tally: tally,
        team: team, repeats: repeats, json: json, reports: mode == .report
      ).run()
      return
    }
    let manager = FileManager.default
    if !skipTally && !manager.isExecutableFile(atPath: tally) {
      throw BenchError(
        description:
          "no tally executable at \(tally): build it (swift build -c release), pass --tally PATH, or pass --skip-tally"
      )
    }
    try manager.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    let bill = try BenchFile.prepare(
      directory: workDirectory,
      name: format == .legacy ? "cur-bench.csv" : "\(format.rawValue)-bench.csv", lines: lines,
      seed: seed, format: format,
      log: { message in
        if !json { print(message) }
      })

    var runs: [ToolRun] = []
    let baseline = path("baseline.sqlite")
    runs.append(
      try measure(
        tool: "sqlite3", database: baseline,
        arguments: [sqlite3, baseline, ".import --csv \(dotCommandQuoted(bill.path)) cur"]))
    if runs[0].result.succeeded {
      try verifySQLiteRowCount(&runs[0], database: baseline)
    }
    if !skipTally {
      let database = path("tally.sqlite")
      runs.append(
        try measure(
          tool: "tally", database: database,
          arguments: [tally, "--db", database, "import", bill.path]))
    }

    let report = BenchReport(bill: bill, runs: runs)
    if json {
      print(try report.json())
    } else {
      print(report.table())
    }
    let failed = runs.filter { $0.failure != nil }
    for run in failed {
      var message = "\(run.tool) failed: \(run.failure ?? "")\n"
      for line in run.stderrTail { message += "  \(line)\n" }
      FileHandle.standardError.write(Data(message.utf8))
    }
    if !failed.isEmpty { throw ExitCode.failure }
  }

  private func path(_ name: String) -> String {
    (workDirectory as NSString).appendingPathComponent(name)
  }

  /// Deletes `database` and its journals, then runs and measures `arguments`.
  private func measure(tool: String, database: String, arguments: [String]) throws -> ToolRun {
    for suffix in ["", "-journal", "-wal", "-shm"] {
      let file = database + suffix
      if FileManager.default.fileExists(atPath: file) {
        try FileManager.default.removeItem(atPath: file)
      }
    }
    if !json { print("running \(tool)…") }
    let stdoutPath = path("\(tool).stdout.log")
    let stderrPath = path("\(tool).stderr.log")
    let result = try ChildProcess.run(
      arguments, standardOutput: stdoutPath, standardError: stderrPath)
    var run = ToolRun(tool: tool, arguments: arguments, result: result)
    if !result.succeeded {
      run.failure = result.statusDescription
      run.stderrTail = tail(of: stderrPath, lines: 20)
    }
    return run
  }

  /// sqlite3 can exit 0 after skipping malformed rows: check that every row arrived.
  private func verifySQLiteRowCount(_ run: inout ToolRun, database: String) throws {
    let output = path("sqlite3-count.log")
    let result = try ChildProcess.run(
      [sqlite3, database, "SELECT count(*) FROM cur"], standardOutput: output,
      standardError: path("sqlite3-count.stderr.log"))
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    let count = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    if !result.succeeded || count != lines {
      run.failure = "imported \(count.map(String.init) ?? "no") rows, expected \(lines)"
      run.stderrTail = tail(of: path("sqlite3.stderr.log"), lines: 20)
    }
  }

  private func tail(of file: String, lines count: Int) -> [String] {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
    return Array(text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count))
      .map(String.init)
  }

  /// Quotes a path for a sqlite3 dot-command argument.
  private func dotCommandQuoted(_ value: String) -> String {
    if !value.contains("'") { return "'\(value)'" }
    let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    return "\"\(escaped)\""
  }
}

/// What `tally-dev bench` times.
enum BenchMode: String, ExpressibleByArgument {
  /// Importing one generated CUR, against sqlite3's `.import`.
  case `import`
  /// Allocating generated months and reading the stored allocation.
  case allocation
  /// `tally recommend --lookback 60` over two generated months.
  case recommend
  /// Allocating a generated month among 50 teams and rendering its reports.
  case report
  /// `tally nightly` from scratch against `tally import` alone, on the import benchmark's CUR.
  case nightly
}

/// A benchmark that cannot start.
struct BenchError: Error, CustomStringConvertible {
  var description: String
}

/// The generated CUR of a benchmark run.
struct BenchFile {
  var path: String
  var lines: Int
  var columns: Int
  var bytes: Int
  var seed: UInt64
  /// Whether an earlier run's file was reused.
  var reused: Bool
  /// Seconds spent generating it (0 when reused).
  var generationSeconds: Double

  /// Reuses `directory/name` if its sidecar matches, or generates it: a CUR of `lines` rows
  /// for `month` (the generator's default month, October 2026, when nil).
  /// `format` other than legacy rewrites the same lines as CUR 2.0 or Azure cost details.
  static func prepare(
    directory: String, name: String = "cur-bench.csv", lines: Int, seed: UInt64,
    month: BillingMonth? = nil, format: BenchFormat = .legacy, log: (String) -> Void
  ) throws -> BenchFile {
    let path = (directory as NSString).appendingPathComponent(name)
    let sidecar = path + ".meta"
    var bench = BenchBill(lines: lines, seed: seed, format: format)
    if let month { bench.cur.month = month }
    let columns = bench.cur.columns.count
    let identity =
      "lines=\(lines)\nseed=\(seed)\nformat=\(BenchBill.formatVersion(format))\n"
      + (month.map { "month=\($0)\n" } ?? "")
    let manager = FileManager.default
    if let recorded = try? String(contentsOfFile: sidecar, encoding: .utf8),
      recorded.hasPrefix(identity),
      let sizeLine = recorded.split(separator: "\n").first(where: { $0.hasPrefix("bytes=") }),
      let size = Int(sizeLine.dropFirst("bytes=".count)),
      let attributes = try? manager.attributesOfItem(atPath: path),
      (attributes[.size] as? NSNumber)?.intValue == size
    {
      log("reusing \(path) (\(lines) rows, seed \(seed), \(size) bytes)")
      return BenchFile(
        path: path, lines: lines, columns: columns, bytes: size, seed: seed, reused: true,
        generationSeconds: 0)
    }
    if manager.fileExists(atPath: sidecar) { try manager.removeItem(atPath: sidecar) }
    log("generating \(path) (\(lines) rows, seed \(seed))…")
    let start = ChildProcess.monotonicSeconds()
    let summary = try bench.write(toFile: path)
    let seconds = ChildProcess.monotonicSeconds() - start
    try (identity + "bytes=\(summary.byteCount)\n").write(
      toFile: sidecar, atomically: true, encoding: .utf8)
    log(
      String(
        format: "generated %d rows, %d columns, %.1f MB in %.1f s", summary.lineCount,
        summary.columnCount, Double(summary.byteCount) / 1e6, seconds))
    return BenchFile(
      path: path, lines: lines, columns: summary.columnCount, bytes: summary.byteCount,
      seed: seed, reused: false, generationSeconds: seconds)
  }
}

/// One measured import.
struct ToolRun {
  var tool: String
  var arguments: [String]
  var result: ChildResult
  var failure: String?
  var stderrTail: [String] = []
}

/// The results of a benchmark run, as a table or JSON.
struct BenchReport {
  var bill: BenchFile
  var runs: [ToolRun]

  private struct Row: Encodable {
    var tool: String
    var command: [String]
    var ok: Bool
    var status: String
    var wallSeconds: Double
    var cpuSeconds: Double
    var rowsPerSecond: Double
    var megabytesPerSecond: Double
    var peakRSSMegabytes: Double

    enum CodingKeys: String, CodingKey {
      case tool, command, ok, status
      case wallSeconds = "wall_seconds"
      case cpuSeconds = "cpu_seconds"
      case rowsPerSecond = "rows_per_second"
      case megabytesPerSecond = "megabytes_per_second"
      case peakRSSMegabytes = "peak_rss_megabytes"
    }
  }

  private struct Document: Encodable {
    var file: String
    var lines: Int
    var columns: Int
    var bytes: Int
    var seed: UInt64
    var reused: Bool
    var generationSeconds: Double
    var results: [Row]
    var tallyToSQLiteWallRatio: Double?
    var loadAverage: Double

    enum CodingKeys: String, CodingKey {
      case file, lines, columns, bytes, seed, reused, results
      case loadAverage = "load_average"
      case generationSeconds = "generation_seconds"
      case tallyToSQLiteWallRatio = "tally_to_sqlite3_wall_ratio"
    }
  }

  private var rows: [Row] {
    runs.map { run in
      let wall = run.result.wallSeconds
      return Row(
        tool: run.tool, command: run.arguments, ok: run.failure == nil,
        status: run.failure ?? run.result.statusDescription, wallSeconds: wall,
        cpuSeconds: run.result.cpuSeconds, rowsPerSecond: Double(bill.lines) / wall,
        megabytesPerSecond: Double(bill.bytes) / 1e6 / wall,
        peakRSSMegabytes: Double(run.result.peakResidentBytes) / 1_048_576)
    }
  }

  /// tally's wall time over sqlite3's, when both ran and succeeded.
  var ratio: Double? {
    guard let sqlite = runs.first(where: { $0.tool == "sqlite3" && $0.failure == nil }),
      let tally = runs.first(where: { $0.tool == "tally" && $0.failure == nil })
    else { return nil }
    return tally.result.wallSeconds / sqlite.result.wallSeconds
  }

  func table() -> String {
    var lines = [
      String(
        format: "%@: %d rows, %d columns, %.1f MB%@", bill.path, bill.lines, bill.columns,
        Double(bill.bytes) / 1e6, bill.reused ? " (reused)" : ""),
      "",
      "tool        wall s    CPU s      rows/s      MB/s   peak RSS MB   status",
    ]
    for row in rows {
      // Foundation's `%-8@` does not pad on Linux: pad the name in Swift.
      let tool = row.tool.padding(toLength: 8, withPad: " ", startingAt: 0)
      lines.append(
        tool
          + String(
            format: " %9.2f %8.2f %11.0f %9.1f %13.1f   ", row.wallSeconds, row.cpuSeconds,
            row.rowsPerSecond, row.megabytesPerSecond, row.peakRSSMegabytes) + row.status)
    }
    if let ratio {
      lines.append("")
      lines.append(String(format: "tally/sqlite3 wall time: %.2f", ratio))
    }
    lines.append("")
    lines.append(
      "MB = 10^6 bytes of CSV; peak RSS MB = MiB (ru_maxrss of wait4); CPU s = user + system, "
        + "all threads (wait4).")
    lines.append(String(format: "load average (1 min) at the end: %.2f", oneMinuteLoadAverage()))
    return lines.joined(separator: "\n")
  }

  func json() throws -> String {
    let document = Document(
      file: bill.path, lines: bill.lines, columns: bill.columns, bytes: bill.bytes,
      seed: bill.seed, reused: bill.reused, generationSeconds: bill.generationSeconds,
      results: rows, tallyToSQLiteWallRatio: ratio, loadAverage: oneMinuteLoadAverage())
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(document), as: UTF8.self)
  }
}

extension BenchFormat: ExpressibleByArgument {}
