/// `tally runs`: the recorded runs of `tally nightly`, newest first.
public struct RunsOutput: Encodable, Sendable {
  /// One run.
  public struct Run: Encodable, Sendable {
    /// Fields as recorded; see `RunRecord`.
    public var id: Int64
    public var startedAt: String
    public var endedAt: String?
    public var status: String
    public var imported: Int
    public var replaced: Int
    public var skipped: Int
    public var failed: Int
    public var lines: Int
    public var warnings: Int
    public var months: [String]
    public var message: String?

    enum CodingKeys: String, CodingKey {
      case id, status, imported, replaced, skipped, failed, lines, warnings, months, message
      case startedAt = "started_at"
      case endedAt = "ended_at"
    }
  }

  /// The runs.
  public var runs: [Run]

  /// Builds the output from stored runs.
  public init(_ records: [RunRecord]) {
    runs = records.map {
      Run(
        id: $0.id, startedAt: $0.startedAt, endedAt: $0.endedAt, status: $0.status,
        imported: $0.imported,
        replaced: $0.replaced, skipped: $0.skipped, failed: $0.failed, lines: $0.lines,
        warnings: $0.warnings, months: $0.months, message: $0.message)
    }
  }

  /// The runs in `format`.
  public func rendered(as format: OutputFormat) throws -> String {
    if format == .json { return try renderJSON(self) }
    let table = ResultTable(
      columns: [
        "run", "started", "ended", "status", "imported", "replaced", "skipped", "failed", "lines",
        "months",
        "message",
      ],
      numeric: [0, 4, 5, 6, 7, 8],
      rows: runs.map {
        [
          String($0.id), $0.startedAt, $0.endedAt ?? "", $0.status, String($0.imported),
          String($0.replaced),
          String($0.skipped), String($0.failed), String($0.lines), $0.months.joined(separator: " "),
          $0.message ?? "",
        ]
      })
    if format == .csv { return table.renderedAsCSV() }
    return runs.isEmpty
      ? "No runs yet: `tally nightly` records one each time it runs.\n" : table.renderedAsText()
  }
}

/// `tally runs --run N`: one run as recorded, every delivery it considered, and what changed
/// against the successful run before it.
public struct RunDetailOutput: Encodable, Sendable {
  /// One changed figure; amounts are decimal strings, compliance a ratio with six decimals.
  public struct Change: Encodable, Sendable {
    public var kind: String
    public var team: String?
    public var month: String
    public var currency: String
    public var before: String?
    public var after: String?
  }

  /// The run.
  public var run: RunsOutput.Run
  /// Every delivery it considered.
  public var deliveries: [RunDelivery]
  /// The run it is compared with.
  public var previousRun: Int64?
  /// Months whose totals changed and existed before.
  public var restatedMonths: [String]
  /// Figures that changed.
  public var changes: [Change]
  /// The diff in words, for the table form.
  private let diffLines: [String]

  enum CodingKeys: String, CodingKey {
    case run, deliveries, changes
    case previousRun = "previous_run"
    case restatedMonths = "restated_months"
  }

  /// Builds the output from a stored run, its deliveries and its diff.
  public init(_ record: RunRecord, deliveries: [RunDelivery], diff: RunDiff) {
    run = RunsOutput([record]).runs[0]
    self.deliveries = deliveries
    previousRun = diff.previousRun
    restatedMonths = diff.restatedMonths
    diffLines = diff.lines
    changes = diff.changes.map { change in
      func value(_ value: Int64?) -> String? {
        guard let value else { return nil }
        return change.kind == "compliance"
          ? Money(nanos: value * 1_000).formatted(fractionDigits: 6)
          : Money(nanos: value).description
      }
      return Change(
        kind: change.kind, team: change.name.isEmpty ? nil : change.name, month: change.month,
        currency: change.currency, before: value(change.before), after: value(change.after))
    }
  }

  /// The run in `format`: JSON, or the run's fields, its deliveries and the diff's lines as text
  /// (CSV: the deliveries).
  public func rendered(as format: OutputFormat) throws -> String {
    if format == .json { return try renderJSON(self) }
    let table = ResultTable(
      columns: ["path", "status", "lines", "message"], numeric: [2],
      rows: deliveries.map { [$0.path, $0.status, String($0.lines), $0.message ?? ""] })
    if format == .csv { return table.renderedAsCSV() }
    let header = [
      "Run #\(run.id): \(run.status), started \(run.startedAt), ended \(run.endedAt ?? "–")",
      "Deliveries: \(run.imported) imported, \(run.replaced) replaced, \(run.skipped) skipped, "
        + "\(run.failed) failed; \(run.lines) lines; \(run.warnings) warnings",
      "Months processed: \(run.months.isEmpty ? "none" : run.months.joined(separator: " "))",
    ]
    let message = run.message.map { ["Message: \($0)"] } ?? []
    return (header + message).map { $0 + "\n" }.joined() + "\n"
      + (deliveries.isEmpty ? "" : table.renderedAsText() + "\n")
      + diffLines.map { $0 + "\n" }.joined()
  }
}
