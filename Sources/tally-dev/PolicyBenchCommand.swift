import ArgumentParser
import Foundation
import SampleBills

/// `tally-dev bench-policy`: times the policy evaluation of a large month after its import.
struct PolicyBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-policy",
    abstract: "Time `tally check` on a generated month of many lines and tag sets.",
    discussion: """
      Generates WORK-DIR/policy-bench.csv (a FOCUS month of --lines rows whose resources carry \
      --tag-sets distinct tag sets) and WORK-DIR/policy-bench.yaml (a policy with aliases, \
      allowed values, a pattern, a scope, exemptions and account defaults), reusing them when \
      WORK-DIR/policy-bench.csv.meta records the same parameters. Imports the month into a \
      fresh WORK-DIR/policy-bench.sqlite, then runs
        TALLY --db … --config … check --format json             (the first evaluation)
        TALLY --db … --config … check --format json --recompute (--repeat more times)
      Each run's wall time includes starting tally and printing; `evaluation wall s` and \
      `evaluation CPU s` are what tally reports for evaluating and storing the month (its \
      stderr note): on a shared machine the CPU time is what the evaluation would take with a \
      core to itself.
      """)

  @Option(help: "Data rows in the month.") var lines = 1_000_000
  @Option(name: .customLong("tag-sets"), help: "Distinct tag sets.") var tagSets = 10_000
  @Option(name: .customLong("work-dir"), help: "Folder for the bill, database and logs.")
  var workDirectory: String
  @Option(help: "The tally executable to time.") var tally = ".build/release/tally"
  @Option(help: "Timed re-evaluations after the first.") var `repeat` = 3

  func validate() throws {
    guard tagSets >= 2, lines >= tagSets else {
      throw ValidationError("need at least 2 tag sets and as many lines as tag sets")
    }
  }

  func run() throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    guard manager.isExecutableFile(atPath: tally) else {
      throw ValidationError("no tally executable at \(tally): build it (swift build -c release)")
    }
    let bill = path("policy-bench.csv")
    let config = path("policy-bench.yaml")
    try prepare(bill: bill, config: config)
    let database = path("policy-bench.sqlite")
    for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: database + suffix) {
      try manager.removeItem(atPath: database + suffix)
    }
    let base = [tally, "--db", database, "--config", config]
    var rows: [(String, ChildResult, (wall: Double, cpu: Double)?)] = []
    print("importing…")
    rows.append(("import", try measure("import", base + ["import", bill]), nil))
    for index in 0...self.repeat {
      let arguments = base + ["check", "--format", "json"] + (index == 0 ? [] : ["--recompute"])
      let name = index == 0 ? "check (first)" : "check --recompute"
      let result = try measure("check-\(index)", arguments)
      rows.append((name, result, evaluationSeconds(log: path("check-\(index).stderr.log"))))
    }
    print("\n\(bill): \(lines) lines, \(tagSets) tag sets\n")
    print("step                    wall s   evaluation wall s   evaluation CPU s   peak RSS MB")
    for (name, result, evaluation) in rows {
      let cells = [
        name.padding(toLength: 20, withPad: " ", startingAt: 0),
        String(format: "%7.2f", result.wallSeconds),
        evaluation.map { String(format: "%17.3f", $0.wall) } ?? String(repeating: " ", count: 17),
        evaluation.map { String(format: "%16.3f", $0.cpu) } ?? String(repeating: " ", count: 16),
        String(format: "%11.1f", Double(result.peakResidentBytes) / 1_048_576),
      ]
      print(cells.joined(separator: "   "))
    }
  }

  private func prepare(bill: String, config: String) throws {
    let sidecar = bill + ".meta"
    let identity = "lines=\(lines)\ntag-sets=\(tagSets)\nformat=\(PolicyBenchBill.formatVersion)\n"
    if (try? String(contentsOfFile: sidecar, encoding: .utf8)) == identity,
      FileManager.default.fileExists(atPath: bill), FileManager.default.fileExists(atPath: config)
    {
      print("reusing \(bill)")
      return
    }
    print("generating \(bill)…")
    try PolicyBenchBill(lines: lines, tagSets: tagSets).write(toFile: bill)
    try PolicyBenchBill.policy.write(toFile: config, atomically: true, encoding: .utf8)
    try identity.write(toFile: sidecar, atomically: true, encoding: .utf8)
  }

  private func measure(_ name: String, _ arguments: [String]) throws -> ChildResult {
    let result = try ChildProcess.run(
      arguments, standardOutput: path("\(name).stdout.log"),
      standardError: path("\(name).stderr.log"))
    guard result.succeeded else {
      throw ValidationError(
        "\(arguments.joined(separator: " ")) failed (\(result.statusDescription)); see \(path("\(name).stderr.log"))"
      )
    }
    return result
  }

  /// The seconds of `tally: evaluated … in 0.123 s (0.100 s of CPU)` in a stderr log.
  private func evaluationSeconds(log: String) -> (wall: Double, cpu: Double)? {
    guard let text = try? String(contentsOfFile: log, encoding: .utf8),
      let line = text.split(separator: "\n").last(where: { $0.contains("evaluated") }),
      let range = line.range(of: " in ", options: .backwards)
    else { return nil }
    let words = line[range.upperBound...].split(separator: " ")
    guard words.count >= 3, let wall = Double(words[0]), let cpu = Double(words[2].dropFirst())
    else { return nil }
    return (wall, cpu)
  }

  private func path(_ name: String) -> String {
    (workDirectory as NSString).appendingPathComponent(name)
  }
}
