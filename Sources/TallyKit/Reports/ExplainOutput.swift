/// `tally explain --team NAME`: the waterfall of a team's month, from the stored lineage — direct
/// cost by tag with its accounts and services, each rule's contribution, each pool's share and
/// why. Per currency the steps add up to the team's total, and each step's parts to the step.
public struct ExplainOutput: Encodable, Sendable {
  /// One currency's waterfall.
  public struct Currency: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// Σ steps.amount.
    public var total: String
    /// Tags, then resources, rules, pool shares and (for the bucket) unallocated amounts.
    public var steps: [Step]
  }

  /// What one step and source contributed.
  public struct Step: Encodable, Sendable, Equatable {
    /// tag, resource, rule, shared or unallocated.
    public var step: String
    /// The tag origin, rule or pool ("" when none).
    public var source: String
    /// Σ parts.amount.
    public var amount: String
    /// Why, in words.
    public var why: String
    /// The amount by account and service (one part for a pool share).
    public var parts: [Part]
    /// How a pool share was computed.
    public var share: Share?
    /// What the pool held, by account and service (for pool shares).
    public var pool: [Part]?
  }

  /// An amount by account and service.
  public struct Part: Encodable, Sendable, Equatable {
    /// The usage account id, if any.
    public var accountID: String?
    /// Its name, if the bill gives one.
    public var accountName: String?
    /// The service, if any.
    public var service: String?
    /// missing, invalid or conflict when the lines had no valid team tag.
    public var tagStatus: String?
    /// The amount.
    public var amount: String

    enum CodingKeys: String, CodingKey {
      case service, amount
      case accountID = "account_id"
      case accountName = "account_name"
      case tagStatus = "tag_status"
    }
  }

  /// A pool share: amount = pool_total × weight / weight_total, by the largest remainder.
  public struct Share: Encodable, Sendable, Equatable {
    /// proportional, even, fixed or even_fallback.
    public var method: String
    /// The team's weight: direct cost (proportional), 1 (even) or percentage (fixed).
    public var weight: String
    /// Σ of the weights.
    public var weightTotal: String
    /// weight / weight_total, 0…1.
    public var fraction: Double
    /// The pool's amount.
    public var poolTotal: String

    enum CodingKeys: String, CodingKey {
      case method, weight, fraction
      case weightTotal = "weight_total"
      case poolTotal = "pool_total"
    }
  }

  /// The team (or the unallocated bucket's name).
  public var team: String
  /// `YYYY-MM`.
  public var month: String
  /// effective, billed or list.
  public var costBasis: String
  /// Per currency.
  public var currencies: [Currency]

  enum CodingKeys: String, CodingKey {
    case team, month, currencies
    case costBasis = "cost_basis"
  }

  /// Reads the waterfall of `team` (nil: the unallocated bucket, shown as `name`) from the
  /// stored allocation.
  public static func load(
    team: String?, name: String, month: BillingMonth, basis: CostBasis, from store: Store
  ) throws -> ExplainOutput {
    let rows = try store.lineage(of: team, in: month, basis: basis)
    let methods = try store.allocationMethods(of: month)
    let key = try store.allocationRun(of: month)?.byKey ?? "team"
    let pools = Set(rows.filter { $0.step == .shared || $0.step == .unallocated }.map(\.source))
    let parts = try store.poolParts(of: pools, in: month, basis: basis)
    return try ExplainOutput(
      team: name, month: month, basis: basis, key: key, rows: rows, methods: methods,
      poolParts: parts)
  }

  /// Builds the waterfall from stored rows.
  init(
    team: String, month: BillingMonth, basis: CostBasis, key: String, rows: [LineageRow],
    methods: [AllocationMethod], poolParts: [StoredPoolPart]
  ) throws {
    self.team = team
    self.month = month.description
    costBasis = basis.rawValue
    let details = Dictionary(
      methods.map { ("\($0.kind) \($0.name)", $0.detail) }, uniquingKeysWith: { first, _ in first })
    var currencies: [Currency] = []
    for currency in Set(rows.map(\.currency)).sorted() {
      let own = rows.filter { $0.currency == currency }
      var steps: [Step] = []
      for step in AllocationStep.allCases {
        let ofStep = own.filter { $0.step == step }
        let sources = Set(ofStep.map(\.source))
        let ordered = try sources.map { source throws(MoneyError) in
          (source, try Money.sum(ofStep.filter { $0.source == source }.map(\.amount)))
        }.sorted {
          $0.1.nanos.magnitude != $1.1.nanos.magnitude
            ? $0.1.nanos.magnitude > $1.1.nanos.magnitude : $0.0 < $1.0
        }
        for (source, amount) in ordered {
          let items = ofStep.filter { $0.source == source }
          let share = items.first?.share
          let pool = poolParts.filter { $0.currency == currency && $0.pool == source }
          steps.append(
            Step(
              step: step.rawValue, source: source, amount: amount.description,
              why: ExplainOutput.why(
                step: step, source: source, key: key, details: details, share: share),
              parts: items.map {
                Part(
                  accountID: $0.accountID, accountName: $0.accountName, service: $0.service,
                  tagStatus: $0.tagStatus, amount: $0.amount.description)
              },
              share: share.map(ExplainOutput.share),
              pool: step == .shared || (step == .unallocated && !pool.isEmpty)
                ? pool.map {
                  Part(
                    accountID: $0.accountID, accountName: nil, service: $0.service,
                    tagStatus: nil, amount: $0.amount.description)
                } : nil))
        }
      }
      currencies.append(
        Currency(
          currency: currency, total: try Money.sum(own.map(\.amount)).description, steps: steps))
    }
    self.currencies = currencies
  }

  private static func share(_ share: PoolShare) -> Share {
    let weight = Money(nanos: share.weight)
    let total = Money(nanos: share.weightTotal)
    let isMoney = share.method == .proportional || share.method == .fixed
    return Share(
      method: share.method.rawValue,
      weight: isMoney ? weight.description : String(share.weight),
      weightTotal: isMoney ? total.description : String(share.weightTotal),
      fraction: share.weightTotal == 0 ? 0 : Double(share.weight) / Double(share.weightTotal),
      poolTotal: share.poolTotal.description)
  }

  /// The reason for a step, in words.
  private static func why(
    step: AllocationStep, source: String, key: String, details: [String: String],
    share: PoolShare?
  ) -> String {
    switch step {
    case .tag:
      let origin =
        switch source {
        case "bill": "on the bill"
        case "account_default": "inherited from the account (policy.account_defaults)"
        default: "from \(source)"
        }
      return "a valid \(key) tag \(origin)"
    case .resource:
      return "a credit without a valid \(key) tag, following the resource it belongs to"
    case .rule:
      return "rule \(source): \(details["rule \(source)"] ?? "(no longer in the config)")"
    case .shared:
      let pool = "pool \(source): \(details["pool \(source)"] ?? "(no longer in the config)")"
      guard let share else { return pool }
      return "\(pool); \(sentence(share))"
    case .unallocated:
      if source.isEmpty { return "no valid \(key) tag, rule or pool matched" }
      if source == "credits" { return "credits are kept unallocated (allocation.credits)" }
      return "pool \(source) has no target with direct cost and falls back to unallocated: "
        + (details["pool \(source)"] ?? "")
    }
  }

  /// `direct cost 87.00 of 119.00 (73.11%) of a pool of 30.00`.
  private static func sentence(_ share: PoolShare) -> String {
    let percent = Money(
      nanos: share.weightTotal == 0
        ? 0
        : Int64(
          Int128(share.weight) * 100 * Int128(Money.nanosPerUnit) / Int128(share.weightTotal))
    ).formatted(fractionDigits: 2)
    let pool = "of a pool of \(share.poolTotal.formatted(fractionDigits: 2))"
    switch share.method {
    case .proportional:
      return "direct cost \(Money(nanos: share.weight).formatted(fractionDigits: 2)) of "
        + "\(Money(nanos: share.weightTotal).formatted(fractionDigits: 2)) (\(percent)%) \(pool)"
    case .even:
      return "1 of \(share.weightTotal) targets \(pool)"
    case .evenFallback:
      return "no target had direct cost, so 1 of \(share.weightTotal) targets \(pool)"
    case .fixed:
      return "\(Money(nanos: share.weight).formatted(fractionDigits: 2))% \(pool)"
    }
  }

  /// The waterfall in `format`. The table is in cents, its steps adding up to its total.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json: return try renderJSON(self)
    case .csv: return csvTable.renderedAsCSV()
    case .table: return try text()
    }
  }

  private var csvTable: ResultTable {
    var rows: [[String]] = []
    for currency in currencies {
      for step in currency.steps {
        for part in step.parts {
          rows.append([
            currency.currency, step.step, step.source, part.accountID ?? "", part.accountName ?? "",
            part.service ?? "", part.tagStatus ?? "", part.amount, step.why,
          ])
        }
      }
      rows.append([currency.currency, "total", "", "", "", "", "", currency.total, ""])
    }
    return ResultTable(
      columns: [
        "currency", "step", "source", "account_id", "account_name", "service", "tag_status",
        "amount", "why",
      ], rows: rows)
  }

  /// Each step with its amount in the right-hand column, its reason below it, and its parts
  /// (account · service) with their amounts in the middle column; the steps add up to the
  /// total. Reasons are not aligned, so long ones do not widen the table.
  private func text() throws -> String {
    guard !currencies.isEmpty else { return "\(team) has no allocation in \(month).\n" }
    var text = "Why \(team) carries what it carries, \(month), \(costBasis) cost\n"
    for currency in currencies {
      // (label, part, amount) rows, and reason lines, in order.
      var lines: [(label: String, part: String, amount: String)?] = []
      var reasons: [Int: String] = [:]
      let amounts = try MoneyColumn.centsWithTotal(
        try currency.steps.map { try Money(parsing: $0.amount) })
      for (index, step) in currency.steps.enumerated() {
        let label = step.source.isEmpty ? step.step : "\(step.step) \(step.source)"
        lines.append(("  " + label, "", amounts[index]))
        reasons[lines.count] = "      " + step.why
        lines.append(nil)
        if let pool = step.pool, !pool.isEmpty {
          let held = try pool.prefix(3).map {
            let name = [$0.accountID, $0.service].compactMap { $0 }.joined(separator: " · ")
            return "\(name) \(try Money(parsing: $0.amount).formatted(fractionDigits: 2))"
          }
          let more = pool.count > 3 ? ", and \(pool.count - 3) more" : ""
          reasons[lines.count] = "      the pool held " + held.joined(separator: ", ") + more
          lines.append(nil)
        }
        guard step.step != AllocationStep.shared.rawValue else { continue }
        let parts = MoneyColumn.cents(try step.parts.map { try Money(parsing: $0.amount) })
        for (part, cents) in zip(step.parts, parts) {
          var name = [part.accountID, part.service].compactMap { $0 }.joined(separator: " · ")
          if let status = part.tagStatus { name += " (team tag \(status))" }
          lines.append(("      " + name, cents, ""))
        }
      }
      lines.append(("  total", "", amounts[currency.steps.count]))
      let rows = lines.compactMap { $0 }
      let labelWidth = max(currency.currency.count, rows.map(\.label.count).max() ?? 0)
      let partWidth = max(4, rows.map(\.part.count).max() ?? 0)
      let amountWidth = max(6, rows.map(\.amount.count).max() ?? 0)
      func padded(_ text: String, _ width: Int, right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
      }
      text +=
        "\n" + padded(currency.currency, labelWidth, right: false) + "  "
        + padded("part", partWidth, right: true) + "  " + padded("amount", amountWidth, right: true)
        + "\n"
      for (index, line) in lines.enumerated() {
        guard let line else {
          text += (reasons[index] ?? "") + "\n"
          continue
        }
        let row =
          padded(line.label, labelWidth, right: false) + "  "
          + padded(line.part, partWidth, right: true) + "  "
          + padded(line.amount, amountWidth, right: true)
        text += String(row.reversed().drop { $0 == " " }.reversed()) + "\n"
      }
    }
    return text
  }
}
