import Foundation

/// `tally import`: one line (or JSON object, or CSV row) per delivery.
public struct ImportOutput: Encodable, Sendable {
  /// One delivery's result.
  public struct Delivery: Encodable, Sendable {
    /// The path as given.
    public var path: String
    /// imported, skipped, replaced or failed.
    public var status: String
    /// Format and version, e.g. `aws-cur legacy`.
    public var format: String
    /// The delivery stream.
    public var source: String
    /// The import id (for skipped: the earlier import).
    public var importId: Int64?
    /// Lines imported.
    public var lines: Int
    /// Totals per month and currency.
    public var totals: [SummaryOutput.Month]
    /// Imports this one superseded.
    public var replacedImports: [Int64]
    /// Why it failed.
    public var error: String?
    /// `bill` or `inventory`.
    public var kind: String = "bill"
    /// Inventories: resources in the snapshot.
    public var resources: Int?
    /// What the import decided that a reader should know.
    public var notes: [String] = []

    enum CodingKeys: String, CodingKey {
      case path, status, format, source, lines, totals, error, kind, resources, notes
      case importId = "import_id"
      case replacedImports = "replaced_imports"
    }
  }

  /// Every delivery, in the order imported.
  public var deliveries: [Delivery] = []

  /// Creates an empty result.
  public init() {}

  /// Adds a delivery that was imported, skipped or replaced.
  public mutating func append(_ outcome: ImportOutcome) {
    let inventory = outcome.kind == .inventory
    deliveries.append(
      Delivery(
        path: outcome.path, status: outcome.status.rawValue, format: outcome.format,
        source: outcome.source, importId: outcome.importID, lines: inventory ? 0 : outcome.rowCount,
        totals: SummaryOutput(outcome.totals).months, replacedImports: outcome.replacedImports,
        error: nil, kind: outcome.kind.rawValue, resources: inventory ? outcome.rowCount : nil,
        notes: outcome.notes))
  }

  /// Adds a delivery that failed and was rolled back.
  public mutating func appendFailure(path: String, error: String) {
    deliveries.append(
      Delivery(
        path: path, status: "failed", format: "", source: "", importId: nil, lines: 0, totals: [],
        replacedImports: [], error: error))
  }

  /// The one-line text form of a delivery, as printed while importing.
  public static func line(for delivery: Delivery) -> String {
    switch delivery.status {
    case "skipped":
      let what = delivery.kind == "inventory" ? "snapshot" : "import"
      return
        "skipped   \(delivery.path): the same bytes were imported before (\(what) #\(delivery.importId ?? 0))"
    case "failed":
      return "failed    \(delivery.path): rolled back"
    case _ where delivery.kind == "inventory":
      let replaced =
        delivery.replacedImports.isEmpty
        ? ""
        : " (replaces snapshot #\(delivery.replacedImports.map(String.init).joined(separator: ", #")))"
      let status = delivery.status.padding(toLength: 9, withPad: " ", startingAt: 0)
      return
        "\(status) \(delivery.path): \(delivery.format), \(delivery.resources ?? 0) resources, "
        + "source \(delivery.source)\(replaced)" + notes(delivery)
    default:
      let totals = delivery.totals.map { month in
        let billed =
          (try? Money(parsing: month.billedCost).formatted(fractionDigits: 2)) ?? month.billedCost
        let effective =
          (try? Money(parsing: month.effectiveCost).formatted(fractionDigits: 2))
          ?? month.effectiveCost
        return "\(month.month) \(month.currency) billed \(billed) effective \(effective)"
      }.joined(separator: "; ")
      let replaced =
        delivery.replacedImports.isEmpty
        ? ""
        : " (supersedes import #\(delivery.replacedImports.map(String.init).joined(separator: ", #")))"
      let status = delivery.status.padding(toLength: 9, withPad: " ", startingAt: 0)
      return
        "\(status) \(delivery.path): \(delivery.format), \(delivery.lines) lines"
        + (totals.isEmpty ? "" : "; \(totals)") + replaced + notes(delivery)
    }
  }

  private static func notes(_ delivery: Delivery) -> String {
    delivery.notes.map { "\n          note: \($0)" }.joined()
  }

  /// The whole result in `format` (the table form is the per-delivery lines).
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json:
      return try renderJSON(self)
    case .table:
      return deliveries.map { ImportOutput.line(for: $0) + "\n" }.joined()
    case .csv:
      return ResultTable(
        columns: [
          "path", "status", "format", "source", "import_id", "lines", "error", "kind", "resources",
        ],
        rows: deliveries.map {
          [
            $0.path, $0.status, $0.format, $0.source, $0.importId.map(String.init) ?? "",
            String($0.lines), $0.error ?? "", $0.kind, $0.resources.map(String.init) ?? "",
          ]
        }
      ).renderedAsCSV()
    }
  }
}
