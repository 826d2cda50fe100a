/// Why an allocation command cannot answer.
public enum AllocationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The store has no lines to allocate or show.
  case emptyStore
  /// The month has no lines.
  case noData(BillingMonth)
  /// No such team in the month (with the nearest name, if one is close).
  case unknownTeam(String, month: BillingMonth, suggestion: String?)
  /// Allocated and unallocated amounts do not add up to the lines' cost (a bug).
  case notConserved
  /// The lines read for the month do not add up to the totals its imports recorded (a bug).
  case doesNotReconcile(BillingMonth)

  /// Whether the user asked for something that is not there (exit 2) rather than a bug (4).
  public var isUsageError: Bool {
    switch self {
    case .emptyStore, .noData, .unknownTeam: true
    case .notConserved, .doesNotReconcile: false
    }
  }

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .emptyStore:
      "the store has no billing lines: import a bill first (`tally import PATH`)"
    case .noData(let month):
      "the store has no billing lines for \(month)"
    case .unknownTeam(let team, let month, let suggestion):
      "no team \"\(team)\" in the allocation of \(month)"
        + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
    case .notConserved:
      "allocated and unallocated amounts do not add up to the lines' cost"
    case .doesNotReconcile(let month):
      "the lines read for \(month) do not add up to the totals its imports recorded"
    }
  }
}
