/// What changed between a run of `tally nightly` and the previous successful one: the
/// deliveries it imported or replaced, and every figure (month totals, team totals, tag
/// compliance) that differs.
public struct RunDiff: Sendable {
  /// One figure that changed (nil before: new; nil after: gone).
  public struct Change: Sendable, Hashable {
    /// `billed`, `effective`, `team` or `compliance`.
    public var kind: String
    /// Its month.
    public var month: String
    /// Its currency.
    public var currency: String
    /// Its team, for team figures.
    public var name: String
    /// The value before, if it existed.
    public var before: Int64?
    /// The value after, if it exists.
    public var after: Int64?
  }

  /// The run described, and when it started (as stored).
  public var run: (id: Int64, startedAt: String)?
  /// The run compared with.
  public var previousRun: Int64?
  /// Deliveries imported or replaced by the run, sorted by path.
  public var deliveries: [RunDelivery]
  /// Figures that changed, sorted by kind, month, currency and name.
  public var changes: [Change]

  /// Compares two runs' figures; `deliveries` may hold every delivery the run considered.
  public init(
    run: (id: Int64, startedAt: String)?, previousRun: Int64?, before: [RunFigure],
    after: [RunFigure], deliveries: [RunDelivery]
  ) {
    self.run = run
    self.previousRun = previousRun
    self.deliveries = deliveries.filter { $0.status == "imported" || $0.status == "replaced" }
      .sorted { $0.path < $1.path }
    func key(_ figure: RunFigure) -> String {
      [figure.kind, figure.month, figure.currency, figure.name].joined(separator: "\u{1F}")
    }
    let old = Dictionary(before.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    let new = Dictionary(after.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    changes = Set(old.keys).union(new.keys).sorted().compactMap { identity in
      let figure = new[identity] ?? old[identity]
      guard let figure, old[identity]?.value != new[identity]?.value else { return nil }
      return Change(
        kind: figure.kind, month: figure.month, currency: figure.currency, name: figure.name,
        before: old[identity]?.value, after: new[identity]?.value)
    }
  }

  /// The stored diff of run `id` against the successful run before it; nil when no such run
  /// is recorded.
  public static func stored(run id: Int64, in store: Store) throws -> RunDiff? {
    guard let record = try store.run(id) else { return nil }
    let previous = try store.previousRunFigures(before: id)
    return RunDiff(
      run: (id, record.startedAt), previousRun: previous?.0, before: previous?.1 ?? [],
      after: try store.runFigures(id), deliveries: try store.runDeliveries(id))
  }

  /// The stored diff of the latest successful run; nil when there is none.
  public static func latest(in store: Store) throws -> RunDiff? {
    guard let run = try store.latestSuccessfulRun() else { return nil }
    return try stored(run: run.id, in: store)
  }

  /// Months whose billed or effective totals changed and existed before: restated months.
  public var restatedMonths: [String] {
    Array(
      Set(
        changes.filter { ($0.kind == "billed" || $0.kind == "effective") && $0.before != nil }
          .map(\.month))
    )
    .sorted()
  }

  /// Whether nothing was delivered and no figure changed.
  public var isEmpty: Bool { deliveries.isEmpty && changes.isEmpty }

  /// A value of `change` as shown: an amount to the cent, or a percentage; "–" when missing.
  static func shown(_ value: Int64?, of change: Change) -> String {
    guard let value else { return "–" }
    return change.kind == "compliance"
      ? formatPercent(Double(value) / 1_000_000)
      : Money(nanos: value).formatted(fractionDigits: 2)
  }

  /// Plain-text lines for the end of a run and `tally runs --run N`.
  public var lines: [String] {
    let since = "since run #\(previousRun.map(String.init) ?? "–")"
    guard !isEmpty else { return ["Nothing changed \(since)."] }
    var lines = ["Changes \(since):"]
    lines += deliveries.map {
      "\($0.status == "replaced" ? "replacing delivery" : "new delivery"): \($0.path)"
    }
    if !restatedMonths.isEmpty {
      lines.append("restated months: \(restatedMonths.joined(separator: " "))")
    }
    for change in changes {
      let subject = [change.kind, change.name, change.month, change.currency].filter {
        !$0.isEmpty
      }
      .joined(separator: " ")
      lines.append(
        "\(subject): \(Self.shown(change.before, of: change)) → \(Self.shown(change.after, of: change))"
      )
    }
    return lines
  }
}
