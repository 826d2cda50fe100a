import Yams

/// The `allocation` section of `tally.yaml`: how every line's cost reaches a team.
///
/// A line goes to the team named by its valid `by` tag; a credit without one follows the
/// resource it belongs to; otherwise the first rule that matches names the team; otherwise
/// the first shared pool that matches takes it and splits it over teams; otherwise it stays
/// in the unallocated bucket. `docs/configuration.md` documents every key.
public struct AllocationConfiguration: Sendable, Equatable {
  /// The canonical tag key whose values are teams.
  public var by = "team"
  /// The cost basis shown by default: effective (amortised), billed or list. All three are
  /// allocated and stored; `--basis` picks another.
  public var cost = CostBasis.effective
  /// The name of the bucket for spend no rule reaches. It is not a team: a tag with this
  /// value counts as no team.
  public var unallocated = "unallocated"
  /// First-match rules for lines without a valid team tag, in file order.
  public var rules: [AllocationRule] = []
  /// Shared-cost pools, in file order: a line without a team goes to the first that matches.
  public var shared: [SharedPool] = []
  /// How credits and refunds (charge category Credit) are allocated.
  public var credits = CreditTreatment.follow
  /// The currency amounts are converted to for reporting, if any.
  public var reportingCurrency: String?
  /// Rates into `reportingCurrency`, by billing currency.
  public var exchangeRates: [String: ExchangeRateSchedule] = [:]

  /// The defaults.
  public init() {}

  static let keys = [
    "by", "cost", "unallocated", "rules", "shared", "credits", "reporting_currency",
    "exchange_rates",
  ]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: AllocationConfiguration.keys)
    by = try mapping["by"]?.string() ?? by
    if let cost = mapping["cost"] {
      self.cost =
        CostBasis(rawValue: try cost.choice(CostBasis.allCases.map(\.rawValue))) ?? .effective
    }
    unallocated = try mapping["unallocated"]?.string() ?? unallocated
    for item in try mapping["rules"]?.items() ?? [] { rules.append(try AllocationRule(item)) }
    for item in try mapping["shared"]?.items() ?? [] { shared.append(try SharedPool(item)) }
    if let credits = mapping["credits"] {
      self.credits =
        CreditTreatment(rawValue: try credits.choice(CreditTreatment.allCases.map(\.rawValue)))
        ?? .follow
    }
    reportingCurrency = try mapping["reporting_currency"]?.string()
    for (currency, schedule) in try mapping["exchange_rates"]?.pairs() ?? [] {
      exchangeRates[currency] = try ExchangeRateSchedule(schedule)
    }
    try check(value)
  }

  /// Names are unique, static team names are not the bucket, fixed splits add up to 100, and
  /// exchange rates come with a reporting currency.
  private func check(_ value: ConfigValue) throws(ConfigurationError) {
    var names: Set<String> = []
    for rule in rules {
      guard names.insert(rule.name).inserted else {
        throw ConfigurationError(
          "allocation.rules: the name \"\(rule.name)\" is used twice", file: value.file,
          line: rule.line)
      }
    }
    names = []
    for pool in shared {
      guard names.insert(pool.name).inserted else {
        throw ConfigurationError(
          "allocation.shared: the name \"\(pool.name)\" is used twice", file: value.file,
          line: pool.line)
      }
    }
    for (team, line) in staticTeams where team == unallocated {
      throw ConfigurationError(
        "allocation: \"\(team)\" is the unallocated bucket's name, not a team", file: value.file,
        line: line)
    }
    if !exchangeRates.isEmpty, reportingCurrency == nil {
      throw value.error("exchange_rates need a reporting_currency to convert into")
    }
  }

  /// Every team named in the section itself (not read from tags), with its line.
  var staticTeams: [(team: String, line: Int?)] {
    var result: [(team: String, line: Int?)] = []
    for rule in rules {
      switch rule.team {
      case .named(let team): result.append((team, rule.line))
      case .fromAccount(let map): result += map.values.sorted().map { ($0, rule.line) }
      case .fromTag: break
      }
    }
    for pool in shared {
      result += (pool.targets ?? []).map { ($0, pool.line) }
      if case .fixed(let shares) = pool.split { result += shares.map { ($0.team, pool.line) } }
    }
    return result
  }
}

/// Which of a line's costs an amount is measured in.
public enum CostBasis: String, CaseIterable, Sendable, Codable {
  /// Amortised cost: commitment fees spread over the usage they cover.
  case effective
  /// Invoiced cost.
  case billed
  /// Public list price.
  case list
}

/// A first-match allocation rule: lines that satisfy `when` and have no valid team tag go to
/// the team it names.
public struct AllocationRule: Sendable, Equatable {
  /// The rule's name, recorded in the lineage of every amount it allocates.
  public var name: String
  /// The lines it applies to; nil means every line.
  public var when: LineCondition?
  /// Where the team comes from.
  public var team: TeamSource
  /// The line in the config file, for messages.
  public var line: Int?

  /// Creates a rule.
  public init(name: String, when: LineCondition? = nil, team: TeamSource) {
    self.name = name
    self.when = when
    self.team = team
  }

  static let keys = ["name", "when", "team", "team_from_tag", "team_from_account"]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: AllocationRule.keys)
    name = try mapping.required("name").string()
    line = value.line
    when = try mapping["when"].map { item throws(ConfigurationError) in try LineCondition(item) }
    let sources = ["team", "team_from_tag", "team_from_account"].filter { mapping[$0] != nil }
    guard sources.count == 1 else {
      throw value.error("expected exactly one of team, team_from_tag or team_from_account")
    }
    if let team = mapping["team"] {
      self.team = .named(try team.string())
    } else if let key = mapping["team_from_tag"] {
      self.team = .fromTag(try key.string())
    } else {
      self.team = .fromAccount(try mapping.required("team_from_account").stringMap())
    }
  }
}

/// Where a rule's team comes from.
public enum TeamSource: Sendable, Equatable {
  /// A fixed team.
  case named(String)
  /// The valid canonical value of another tag; a line without it does not match the rule.
  case fromTag(String)
  /// The usage account's team (account id → team); other accounts do not match the rule.
  case fromAccount([String: String])
}

/// A shared-cost pool: lines without a team that satisfy `when` are pooled per month, currency
/// and cost basis, and the pool is split over teams.
public struct SharedPool: Sendable, Equatable {
  /// The pool's name, recorded in the lineage of every share.
  public var name: String
  /// The lines it takes.
  public var when: LineCondition
  /// How it is split.
  public var split: SplitMethod
  /// The teams it is split over; nil means every team with direct cost in the month.
  public var targets: [String]?
  /// What happens when a proportional split finds no direct cost among its targets.
  public var fallback: SplitFallback
  /// The line in the config file, for messages.
  public var line: Int?

  /// Creates a pool.
  public init(
    name: String, when: LineCondition, split: SplitMethod, targets: [String]? = nil,
    fallback: SplitFallback = .even
  ) {
    self.name = name
    self.when = when
    self.split = split
    self.targets = targets
    self.fallback = fallback
  }

  static let keys = ["name", "when", "split", "targets", "fallback"]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: SharedPool.keys)
    name = try mapping.required("name").string()
    line = value.line
    when = try LineCondition(try mapping.required("when"))
    split = try SplitMethod(try mapping.required("split"))
    targets = try mapping["targets"]?.strings()
    if let targets, targets.isEmpty || Set(targets).count != targets.count {
      throw value.error("targets, when given, must name each team once")
    }
    if case .fixed = split, targets != nil {
      throw value.error("a fixed split names its teams itself; drop targets")
    }
    if let fallback = mapping["fallback"] {
      self.fallback =
        SplitFallback(rawValue: try fallback.choice(SplitFallback.allCases.map(\.rawValue)))
        ?? .even
    } else {
      fallback = .even
    }
  }
}

/// How a shared pool is divided.
public enum SplitMethod: Sendable, Equatable {
  /// In proportion to each target's direct cost (tags and rules) in the same month, currency
  /// and cost basis; negative direct cost counts as none.
  case proportional
  /// Equally among the targets.
  case even
  /// Fixed percentages that add up to 100, in file order.
  case fixed([FixedShare])

  init(_ value: ConfigValue) throws(ConfigurationError) {
    if value.node.scalar != nil {
      switch try value.choice(["proportional", "even"]) {
      case "even": self = .even
      default: self = .proportional
      }
      return
    }
    let mapping = try value.mapping(allowed: ["fixed"])
    let fixed = try mapping.required("fixed")
    var shares: [FixedShare] = []
    var sum = Money.zero
    for (team, percent) in try fixed.pairs() {
      let text = try percent.string()
      guard let amount = try? Money(parsing: text), amount > .zero else {
        throw percent.error("expected a percentage above 0, found \"\(text)\"")
      }
      guard let next = try? sum.adding(amount) else {
        throw fixed.error("the percentages add up to more than 100")
      }
      shares.append(FixedShare(team: team, percent: amount))
      sum = next
    }
    guard sum == Money(nanos: 100 * Money.nanosPerUnit) else {
      throw fixed.error("the percentages add up to \(sum), not 100")
    }
    self = .fixed(shares)
  }
}

/// One team's percentage of a fixed split.
public struct FixedShare: Sendable, Equatable {
  /// The team.
  public var team: String
  /// Its percentage, exact (`33.34`).
  public var percent: Money

  /// Creates a share.
  public init(team: String, percent: Money) {
    self.team = team
    self.percent = percent
  }
}

/// What a proportional split does when none of its targets has positive direct cost.
public enum SplitFallback: String, CaseIterable, Sendable {
  /// Split evenly among the targets (among every team of the month when there are no targets).
  case even
  /// Leave the pool in the unallocated bucket.
  case unallocated
}

/// How credits and refunds (charge category `Credit`) are allocated.
public enum CreditTreatment: String, CaseIterable, Sendable {
  /// Like any line: their own team tag, else the team of the resource they belong to, else
  /// the rules and pools (so an account rule catches account-level credits).
  case follow
  /// Spread over every team in proportion to its direct cost (net view for every team).
  case proportional
  /// Kept in the unallocated bucket (teams see gross cost; the totals stay net).
  case unallocated
}

/// The rate of one billing currency into the reporting currency: one rate for every month, or
/// one per month.
public enum ExchangeRateSchedule: Sendable, Equatable {
  /// The same rate for every month.
  case fixed(Money)
  /// A rate per `YYYY-MM`.
  case monthly([BillingMonth: Money])

  init(_ value: ConfigValue) throws(ConfigurationError) {
    if value.node.scalar != nil {
      self = .fixed(try ExchangeRateSchedule.rate(value))
      return
    }
    var rates: [BillingMonth: Money] = [:]
    for (month, rate) in try value.pairs() {
      guard let parsed = BillingMonth(month) else {
        throw rate.error("expected a month as YYYY-MM, found \"\(month)\"")
      }
      rates[parsed] = try ExchangeRateSchedule.rate(rate)
    }
    self = .monthly(rates)
  }

  private static func rate(_ value: ConfigValue) throws(ConfigurationError) -> Money {
    let text = try value.string()
    guard let rate = try? Money(parsing: text), rate > .zero else {
      throw value.error("expected a positive exchange rate, found \"\(text)\"")
    }
    return rate
  }

  /// The rate for `month`, if there is one.
  public func rate(for month: BillingMonth) -> Money? {
    switch self {
    case .fixed(let rate): rate
    case .monthly(let rates): rates[month]
    }
  }
}
