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
