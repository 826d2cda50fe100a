/// `tally team NAME`: one team's month from the stored allocation — totals against the month
/// before, where the money came from (tags, rules, pools), top services and accounts, the
/// untagged or non-compliant resources it pays for, and the last six months.
public struct TeamOutput: Encodable, Sendable {
  /// The team's totals in one currency.
  public struct Total: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// Tags, resources and rules.
    public var direct: String
    /// Shares of pools.
    public var shared: String
    /// direct + shared.
    public var total: String
    /// The month before; null when it has no allocation.
    public var previousTotal: String?
    /// total − previous_total.
    public var delta: String?

    enum CodingKeys: String, CodingKey {
      case currency, direct, shared, total, delta
      case previousTotal = "previous_total"
    }

    /// Writes nulls rather than leaving keys out.
    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(currency, forKey: .currency)
      try container.encode(direct, forKey: .direct)
      try container.encode(shared, forKey: .shared)
      try container.encode(total, forKey: .total)
      try container.encode(previousTotal, forKey: .previousTotal)
      try container.encode(delta, forKey: .delta)
    }
  }

  /// An amount by step and source: `tag`/`bill`, `rule`/NAME, `shared`/POOL.
  public struct Source: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// tag, resource, rule or shared.
    public var step: String
    /// The tag origin, rule or pool.
    public var source: String
    /// The amount.
    public var amount: String
  }

  /// Direct cost of one service.
  public struct Service: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// The service's name ("" when the lines name none).
    public var service: String
    /// The amount.
    public var amount: String
  }

  /// Direct cost in one account.
  public struct Account: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// The usage account id.
    public var accountID: String
    /// Its name, when the bill gives one.
    public var accountName: String?
    /// The amount.
    public var amount: String

    enum CodingKeys: String, CodingKey {
      case currency, amount
      case accountID = "account_id"
      case accountName = "account_name"
    }
  }

  /// The direct cost the team carries without a valid team tag.
  public struct Untagged: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// Σ of that cost (including lines that name no resource).
    public var cost: String
    /// How many resources it is spread over.
    public var resources: Int
  }

  /// One untagged or non-compliant resource.
  public struct Resource: Encodable, Sendable, Equatable {
    /// ISO 4217 code.
    public var currency: String
    /// The resource id.
    public var resourceID: String
    /// missing, invalid or conflict.
    public var tagStatus: String
    /// The rule that gave it to the team ("" when a credit followed its resource).
    public var rule: String
    /// What it costs the team.
    public var amount: String

    enum CodingKeys: String, CodingKey {
      case currency, rule, amount
      case resourceID = "resource_id"
      case tagStatus = "tag_status"
    }
  }

  /// One month of the trend.
  public struct Month: Encodable, Sendable, Equatable {
    /// `YYYY-MM`.
    public var month: String
    /// ISO 4217 code.
    public var currency: String
    /// The team's total.
    public var total: String
  }

  /// The totals converted into the reporting currency.
  public struct Reporting: Encodable, Sendable, Equatable {
    /// The reporting currency.
    public var currency: String
    /// The rates used.
    public var rates: [TeamsOutput.Rate]
    /// One row.
    public var totals: [Total]
  }

  /// The team.
  public var team: String
  /// `YYYY-MM`.
  public var month: String
  /// effective, billed or list.
  public var costBasis: String
  /// Per currency.
  public var totals: [Total]
  /// By step and source, largest first per currency.
  public var sources: [Source]
  /// The top services of the direct cost, per currency.
  public var services: [Service]
  /// The top accounts of the direct cost, per currency.
  public var accounts: [Account]
  /// Per currency.
  public var untagged: [Untagged]
  /// The most expensive untagged or non-compliant resources, per currency.
  public var untaggedResources: [Resource]
  /// The last six months with an allocation, this one included.
  public var trend: [Month]
  /// The converted totals, when a reporting currency is configured.
  public var reporting: Reporting?

  enum CodingKeys: String, CodingKey {
    case team, month, totals, sources, services, accounts, untagged, trend, reporting
    case costBasis = "cost_basis"
    case untaggedResources = "untagged_resources"
  }

  /// How many services, accounts and resources are listed per currency.
  public static let topCount = (services: 5, accounts: 5, resources: 10)

  /// Reads the team's view from the stored allocation (no recomputation).
  ///
  /// - Parameter rates: Given the currencies of this month and of the previous month (nil when
  ///   it has no allocation), the reporting rates to convert with, or nil.
  public static func load(
    team: String, month: BillingMonth, basis: CostBasis, from store: Store,
    rates: (_ current: [String], _ previous: [String]?) throws -> (
      current: ReportingRates, previous: ReportingRates?
    )?
  ) throws -> TeamOutput {
    let lineage = try store.lineage(of: team, in: month, basis: basis)
    let window = month.adding(months: -5)...month
    let trend = try store.trend(of: team, basis: basis, months: window)
    let allocated = try store.allocatedMonths(in: window)
    let untagged = try store.untaggedResources(
      of: team, in: month, basis: basis, limit: topCount.resources)
    let currencies = Set(lineage.map(\.currency)).union(trend.map(\.currency)).sorted()
    let previous = allocated.contains(month.previous) ? currencies : nil
    return try TeamOutput(
      team: team, month: month, basis: basis, lineage: lineage, trend: trend,
      allocatedMonths: allocated, untagged: untagged,
      rates: currencies.isEmpty ? nil : try rates(currencies, previous))
  }

  /// Builds the view from stored rows.
  init(
    team: String, month: BillingMonth, basis: CostBasis, lineage: [LineageRow],
    trend: [(month: BillingMonth, currency: String, total: Money)],
    allocatedMonths: Set<BillingMonth>,
    untagged: (top: [UntaggedResource], counts: [String: Int]),
    rates: (current: ReportingRates, previous: ReportingRates?)?
  ) throws {
    self.team = team
    self.month = month.description
    costBasis = basis.rawValue
    let currencies = Set(lineage.map(\.currency)).union(trend.map(\.currency)).sorted()
    let previousMonth = month.previous
    let hasPrevious = allocatedMonths.contains(previousMonth)
    var totals: [Total] = []
    var sources: [Source] = []
    var services: [Service] = []
    var accounts: [Account] = []
    var untaggedTotals: [Untagged] = []
    var converting: [(key: Int, currency: String, amount: Money)] = []
    var convertingPrevious: [(key: Int, currency: String, amount: Money)] = []
    for currency in currencies {
      let rows = lineage.filter { $0.currency == currency }
      let direct = try Money.sum(rows.filter(\.step.isDirect).map(\.amount))
      let shared = try Money.sum(rows.filter { $0.step == .shared }.map(\.amount))
      let total = try direct.adding(shared)
      let previous =
        hasPrevious
        ? try Money.sum(
          trend.filter { $0.month == previousMonth && $0.currency == currency }.map(\.total))
        : nil
      totals.append(
        Total(
          currency: currency, direct: direct.description, shared: shared.description,
          total: total.description, previousTotal: previous?.description,
          delta: try previous.map { previous throws(MoneyError) in
            try total.subtracting(previous).description
          }))
      converting += [(0, currency, direct), (1, currency, shared)]
      if let previous { convertingPrevious.append((2, currency, previous)) }

      let stepOrder = Dictionary(
        uniqueKeysWithValues: AllocationStep.allCases.enumerated().map { ($1.rawValue, $0) })
      sources += try TeamOutput.summed(rows, by: { "\($0.step.rawValue)\u{1F}\($0.source)" })
        .sorted { first, second in
          let a = stepOrder[String(first.key.prefix { $0 != "\u{1F}" })] ?? 0
          let b = stepOrder[String(second.key.prefix { $0 != "\u{1F}" })] ?? 0
          return a < b
        }
        .map { key, amount in
          let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
          return Source(
            currency: currency, step: String(parts[0]), source: String(parts[1]),
            amount: amount.description)
        }
      let directRows = rows.filter(\.step.isDirect)
      services += try TeamOutput.summed(directRows, by: { $0.service ?? "" })
        .prefix(TeamOutput.topCount.services)
        .map { Service(currency: currency, service: $0.key, amount: $0.amount.description) }
      let names = Dictionary(
        directRows.compactMap { row in row.accountID.map { ($0, row.accountName) } },
        uniquingKeysWith: { first, _ in first })
      accounts += try TeamOutput.summed(directRows, by: { $0.accountID ?? "" })
        .prefix(TeamOutput.topCount.accounts)
        .map {
          Account(
            currency: currency, accountID: $0.key, accountName: names[$0.key] ?? nil,
            amount: $0.amount.description)
        }
      let untaggedCost = try Money.sum(directRows.filter { $0.tagStatus != nil }.map(\.amount))
      if untaggedCost != .zero || untagged.counts[currency] != nil {
        untaggedTotals.append(
          Untagged(
            currency: currency, cost: untaggedCost.description,
            resources: untagged.counts[currency] ?? 0))
      }
    }
    self.totals = totals
    self.sources = sources
    self.services = services
    self.accounts = accounts
    self.untagged = untaggedTotals
    untaggedResources = untagged.top.map {
      Resource(
        currency: $0.currency, resourceID: $0.resourceID, tagStatus: $0.tagStatus,
        rule: $0.step == .rule ? $0.source : "", amount: $0.amount.description)
    }
    let trendCurrencies = Set(trend.map(\.currency)).sorted()
    let totalsByMonth = Dictionary(
      trend.map { ("\($0.month) \($0.currency)", $0.total) }, uniquingKeysWith: { $1 })
    self.trend = allocatedMonths.sorted().flatMap { month in
      trendCurrencies.map { currency in
        Month(
          month: month.description, currency: currency,
          total: (totalsByMonth["\(month) \(currency)"] ?? .zero).description)
      }
    }
    if let rates {
      let current = try rates.current.convert(converting)
      let previous = try rates.previous.map { rates throws(MoneyError) in
        try rates.convert(convertingPrevious)
      }
      let direct = current[0] ?? .zero
      let shared = current[1] ?? .zero
      let total = try direct.adding(shared)
      let before = hasPrevious ? previous?[2] ?? .zero : nil
      reporting = Reporting(
        currency: rates.current.currency,
        rates: ([rates.current] + (rates.previous.map { [$0] } ?? [])).flatMap { month in
          month.used.map {
            TeamsOutput.Rate(
              currency: $0.currency, rate: $0.rate.description, month: month.month.description)
          }
        },
        totals: [
          Total(
            currency: rates.current.currency, direct: direct.description,
            shared: shared.description, total: total.description,
            previousTotal: before?.description,
            delta: try before.map { before throws(MoneyError) in
              try total.subtracting(before).description
            })
        ])
    }
  }

  /// Rows summed by a key, largest magnitude first (ties by key).
  private static func summed(_ rows: [LineageRow], by key: (LineageRow) -> String)
    throws(MoneyError) -> [(key: String, amount: Money)]
  {
    var sums: [String: Money] = [:]
    for row in rows { sums[key(row)] = try sums[key(row), default: .zero].adding(row.amount) }
    return sums.map { (key: $0.key, amount: $0.value) }.sorted {
      $0.amount.nanos.magnitude != $1.amount.nanos.magnitude
        ? $0.amount.nanos.magnitude > $1.amount.nanos.magnitude : $0.key < $1.key
    }
  }

  /// The view in `format`: JSON as documented, CSV as one long table (`section` column), a
  /// table for people in cents.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json: return try renderJSON(self)
    case .csv: return csvTable.renderedAsCSV()
    case .table: return try text()
    }
  }

  private var csvTable: ResultTable {
    var rows: [[String]] = []
    for total in totals + (reporting?.totals ?? []) {
      rows.append(["direct", total.currency, "", "", total.direct])
      rows.append(["shared", total.currency, "", "", total.shared])
      rows.append(["total", total.currency, "", "", total.total])
      rows.append(["previous_total", total.currency, "", "", total.previousTotal ?? ""])
      rows.append(["delta", total.currency, "", "", total.delta ?? ""])
    }
    rows += sources.map { ["source", $0.currency, $0.step, $0.source, $0.amount] }
    rows += services.map { ["service", $0.currency, $0.service, "", $0.amount] }
    rows += accounts.map {
      ["account", $0.currency, $0.accountID, $0.accountName ?? "", $0.amount]
    }
    rows += untagged.map { ["untagged", $0.currency, String($0.resources), "", $0.cost] }
    rows += untaggedResources.map {
      ["untagged_resource", $0.currency, $0.resourceID, $0.tagStatus, $0.amount]
    }
    rows += trend.map { ["trend", $0.currency, $0.month, "", $0.total] }
    return ResultTable(columns: ["section", "currency", "name", "detail", "amount"], rows: rows)
  }

  private func text() throws -> String {
    guard !totals.isEmpty else { return "\(team) has no allocation in \(month).\n" }
    var text = "\(team), \(month), \(costBasis) cost\n\n"
    var summary = ResultTable(
      columns: ["currency", "direct", "shared", "total", "previous_total", "delta"],
      numeric: [1, 2, 3, 4, 5])
    let rows =
      totals.map { ($0.currency, $0) }
      + (reporting?.totals ?? []).map {
        ("all in \($0.currency)", $0)
      }
    for (label, total) in rows {
      let cents = try [total.direct, total.shared, total.total, total.previousTotal, total.delta]
        .map { try $0.map { try Money(parsing: $0).formatted(fractionDigits: 2) } ?? "" }
      summary.rows.append([label] + cents)
    }
    text += summary.renderedAsText()
    if let reporting, !reporting.rates.isEmpty {
      text +=
        "(\(reporting.currency) converted at "
        + reporting.rates.map { "\($0.rate) per \($0.currency) for \($0.month)" }.joined(
          separator: ", ") + ")\n"
    }
    for total in totals {
      let currency = total.currency
      let ownSources = sources.filter { $0.currency == currency }
      let amounts = MoneyColumn.cents(try ownSources.map { try Money(parsing: $0.amount) })
      text += "\nWhere the \(currency) comes from\n"
      text +=
        ResultTable(
          columns: ["step", "source", "amount"], numeric: [2],
          rows: ownSources.enumerated().map { [$1.step, $1.source, amounts[$0]] }
        ).renderedAsText()
      text += try listing(
        "Top services (direct)",
        services.filter { $0.currency == currency }.map {
          ($0.service.isEmpty ? "(no service)" : $0.service, $0.amount)
        })
      text += try listing(
        "Top accounts (direct)",
        accounts.filter { $0.currency == currency }.map { account in
          (
            account.accountName.map { "\(account.accountID) (\($0))" } ?? account.accountID,
            account.amount
          )
        })
      if let untagged = untagged.first(where: { $0.currency == currency }) {
        let cost = try Money(parsing: untagged.cost).formatted(fractionDigits: 2)
        text += "\nUntagged or non-compliant spend: \(cost) \(currency)"
        text += " over \(untagged.resources) resources\n"
        let resources = untaggedResources.filter { $0.currency == currency }
        if !resources.isEmpty {
          text +=
            ResultTable(
              columns: ["resource", "team_tag", "rule", "amount"], numeric: [3],
              rows: try resources.map {
                [
                  $0.resourceID, $0.tagStatus, $0.rule,
                  try Money(parsing: $0.amount).formatted(fractionDigits: 2),
                ]
              }
            ).renderedAsText()
        }
      }
    }
    if !trend.isEmpty {
      text += "\nTrend\n"
      text +=
        ResultTable(
          columns: ["month", "currency", "total"], numeric: [2],
          rows: try trend.map {
            [$0.month, $0.currency, try Money(parsing: $0.total).formatted(fractionDigits: 2)]
          }
        ).renderedAsText()
    }
    return text
  }

  private func listing(_ title: String, _ items: [(String, String)]) throws -> String {
    guard !items.isEmpty else { return "" }
    return "\n\(title)\n"
      + ResultTable(
        columns: ["name", "amount"], numeric: [1],
        rows: try items.map { [$0.0, try Money(parsing: $0.1).formatted(fractionDigits: 2)] }
      ).renderedAsText()
  }
}
