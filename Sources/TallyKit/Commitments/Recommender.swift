/// The commitments stage: from the hourly usage in the bill, what to buy (reserved instances
/// per pool, then a spend-based commitment per provider and currency on what they leave on
/// demand), what is owned, and when it ends.
///
/// Every provider recommender does the same thing (`shared/reference/reservations.md` §0):
/// take the hourly eligible on-demand usage over a look-back window, assume the future looks
/// the same, and pick the level that maximises net savings over the window. tally does that
/// exactly (see ``SpendSeries/optimalCommitment()`` and ``UnitSeries/optimalUnits()``), then
/// also shows the savings curve, guards against stale data, and stops assuming renewals.
public enum Recommender {
  /// Hours in a month for estimates (8,760 / 12, as AWS uses).
  static let hoursPerMonth = 730.0
  /// Hours in a year of term.
  static let hoursPerYear = 8_760.0
  /// The stale-data guard's recent stretch: three days.
  static let recentHours = 72
  /// Spend-based commitments are bought in steps of 0.001 an hour.
  static let commitmentStep = 0.001
  /// The levels of the savings curve, as shares of the recommended level.
  static let curveFractions: [Double] = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5]

  /// Reads the store and analyses its latest months; nil when the store holds no lines.
  public static func report(store: Store, configuration: CommitmentsConfiguration) throws
    -> CommitmentReport?
  {
    guard let latest = try store.latestBillingMonth() else { return nil }
    return try report(store: store, configuration: configuration, through: latest)
  }

  /// Analyses the months up to `month`: recommendations sized on the look-back window ending
  /// with the last usage of `month` or before, and the commitments owned in `month`.
  public static func report(
    store: Store, configuration: CommitmentsConfiguration, through month: BillingMonth
  ) throws -> CommitmentReport {
    let months = Recommender.months(through: month, lookbackDays: configuration.lookbackDays)
    let history = try store.lineHistory(months: months[0]...month) { line in
      LineRole(line, commitmentCategory: { _ in nil }).keepsHours
    }
    return try report(history: history, configuration: configuration)
  }

  /// The months a look-back of `lookbackDays` ending in `month` can reach, oldest first: from
  /// the month holding the day `lookbackDays` before `month` starts, through `month`.
  public static func months(through month: BillingMonth, lookbackDays: Int) -> [BillingMonth] {
    let earliest = Timestamp(
      secondsSinceEpoch: month.start.secondsSinceEpoch - Int64(lookbackDays) * 86_400
    ).month
    var months = [earliest]
    while months[months.count - 1] < month { months.append(months[months.count - 1].next) }
    return months
  }

  /// Analyses a history of lines.
  static func report(history: LineHistory, configuration: CommitmentsConfiguration) throws
    -> CommitmentReport
  {
    var analysis = Analysis(history: history, configuration: configuration)
    try analysis.run()
    return analysis.report
  }
}

extension LineRole {
  /// Whether the store should keep hourly series for a class: usage a commitment covered or
  /// could cover.
  var keepsHours: Bool {
    switch coverage {
    case .none: false
    case .committed: true
    case .onDemand: spendEligible || pool != nil
    }
  }
}

/// The work of one report.
private struct Analysis {
  let history: LineHistory
  let configuration: CommitmentsConfiguration
  let roles: [LineRole]
  var report: CommitmentReport

  init(history: LineHistory, configuration: CommitmentsConfiguration) {
    self.history = history
    self.configuration = configuration
    roles = history.classes.map { line in
      LineRole(line, commitmentCategory: { history.commitments[$0]?.category })
    }
    report = CommitmentReport(
      lookbackDays: configuration.lookbackDays, term: configuration.term,
      payment: configuration.payment, expiringWithinDays: configuration.expiringWithinDays)
  }

  /// A provider and currency: amounts in different currencies never meet.
  struct Group: Hashable, Comparable {
    var provider: String
    var currency: String
    static func < (lhs: Group, rhs: Group) -> Bool {
      (lhs.provider, lhs.currency) < (rhs.provider, rhs.currency)
    }
  }

  mutating func run() throws {
    var members: [Group: [Int]] = [:]
    for (index, role) in roles.enumerated() where role.coverage != .none {
      members[Group(provider: role.provider, currency: role.currency), default: []].append(index)
    }
    for group in members.keys.sorted() {
      guard let classes = members[group], let window = window(of: classes) else { continue }
      try recommend(for: group, classes: classes, window: window)
    }
    report.owned = try owned()
  }

  // MARK: Windows and what counts

  /// The look-back window of a group: it ends at the hour its last usage ends and reaches back
  /// the look-back, but not before its first usage.
  func window(of classes: [Int]) -> HourWindow? {
    let origin = history.start.secondsSinceEpoch
    let limit = origin + Int64(history.hours) * 3600
    guard let lastEnd = classes.map({ history.lastEnd[$0].secondsSinceEpoch }).max(),
      let firstStart = classes.map({ history.firstStart[$0].secondsSinceEpoch }).min()
    else { return nil }
    let end = min(limit, origin + (lastEnd - origin + 3599) / 3600 * 3600)
    let first = max(origin, origin + (firstStart - origin) / 3600 * 3600)
    let start = max(first, end - Int64(configuration.lookbackDays) * 86_400)
    guard start < end else { return nil }
    return HourWindow(
      start: Timestamp(secondsSinceEpoch: start), end: Timestamp(secondsSinceEpoch: end))
  }

  /// The hour indexes of a window in the history's hourly series.
  func hourRange(_ window: HourWindow) -> Range<Int> {
    let origin = history.start.secondsSinceEpoch
    return Int(
      (window.start.secondsSinceEpoch - origin) / 3600)..<Int(
        (window.end.secondsSinceEpoch - origin) / 3600)
  }

  /// Whether a class's usage belongs in the series to be covered: on-demand usage, and usage
  /// of commitments that have ended or end within the configured days after the window. Usage
  /// of a commitment that will still be held, or whose end the bill does not say, is left out.
  func counts(_ index: Int, window: HourWindow) -> Bool {
    switch roles[index].coverage {
    case .none: return false
    case .onDemand: return true
    case .committed(let id):
      guard let id, let end = history.commitments[id]?.end else { return false }
      let horizon =
        window.end.secondsSinceEpoch + Int64(configuration.expiringWithinDays) * 86_400
      return end.secondsSinceEpoch <= horizon
    }
  }

  /// Whether a commitment's term, payment and offering match what is being priced; what the
  /// bill does not say matches.
  func matches(
    _ commitment: Int64?, kind: CommitmentKind, term: CommitmentTerm, payment: PaymentOption
  ) -> Bool {
    guard let commitment, let record = history.commitments[commitment] else { return true }
    if !record.term.isEmpty, CommitmentTerm(billText: record.term) != term { return false }
    if !record.payment.isEmpty, PaymentOption(billText: record.payment) != payment {
      return false
    }
    let offering = record.offering.lowercased()
    switch kind {
    case .savingsPlan: return !offering.contains("ec2instance")
    case .reservedInstance: return !offering.contains("convertible")
    case .flexibleCUD: return true
    }
  }

  // MARK: Recommending

  mutating func recommend(for group: Group, classes: [Int], window: HourWindow) throws {
    let hours = hourRange(window)
    var uncovered: [LineRole.Pool: [Double]] = [:]
    let both = configuration.recommend.contains(.savingsPlans)
    if configuration.recommend.contains(.reservedInstances), group.provider == "aws" {
      var pools: [LineRole.Pool: [Int]] = [:]
      for index in classes {
        if let pool = roles[index].pool { pools[pool, default: []].append(index) }
      }
      for pool in pools.keys.sorted() {
        guard let members = pools[pool], members.contains(where: { counts($0, window: window) })
        else { continue }
        if let fractions = try recommendReservation(
          pool, members: members, group: group, window: window, hours: hours), both
        {
          uncovered[pool] = fractions
        }
      }
    }
    if both {
      try recommendSpendCommitment(
        group: group, classes: classes, window: window, hours: hours, uncovered: uncovered)
    }
  }

  /// Sizes a reservation for one pool from the usage of its classes that count; the others
  /// (usage of reservations still held) only teach the discount. Returns, per window hour,
  /// the share of the pool's usage the reservation leaves on demand.
  mutating func recommendReservation(
    _ pool: LineRole.Pool, members: [Int], group: Group, window: HourWindow, hours: Range<Int>
  ) throws -> [Double]? {
    var usage = Array(repeating: 0.0, count: hours.count)
    var cost = Money.zero
    var unitsByType: [String: (units: Double, factor: Double)] = [:]
    for index in members where counts(index, window: window) {
      guard let costs = history.hourlyCost[index], let quantities = history.hourlyQuantity[index]
      else { continue }
      let factor = roles[index].unitsPerQuantity
      var units = 0.0
      for hour in hours {
        let used = quantities[hour] * factor
        usage[hour - hours.lowerBound] += used
        units += used
        cost = try cost.adding(Money(nanos: costs[hour]))
      }
      unitsByType[roles[index].instanceType, default: (0, factor)].units += units
    }
    let totalUnits = usage.reduce(0, +)
    let name = "\(pool.region) \(pool.family) \(pool.platform) \(pool.tenancy)"
    guard totalUnits > 0, cost > .zero,
      let mostUsed = unitsByType.max(by: { ($0.value.units, $1.key) < ($1.value.units, $0.key) }),
      let smallest = unitsByType.min(by: { ($0.value.factor, $0.key) < ($1.value.factor, $1.key) })
    else { return nil }

    let payment = priced(provider: group.provider, kind: .reservedInstance)
    var learned = Observation()
    for index in members where roles[index].coveredByReservation {
      guard
        case .committed(let id) = roles[index].coverage,
        matches(id, kind: .reservedInstance, term: configuration.term, payment: payment)
      else { continue }
      try learned.add(history.totals[index])
    }
    let discount: Double
    let source: DiscountSource
    let note: String
    if let measured = learned.discount {
      (discount, source) = (measured, .bill)
      note = "measured on \(learned.lines) reserved lines of this pool (\(learned.basis))"
      report.learnedDiscounts.append(
        LearnedDiscount(
          provider: group.provider, currency: group.currency, kind: .reservedInstance, key: name,
          discount: measured, lines: learned.lines, basis: learned.basis))
    } else if let (entry, _) = configuration.discounts.lookUp(
      provider: group.provider, kind: .reservedInstance, term: configuration.term,
      payment: payment)
    {
      (discount, source) = (entry.discount, entry.configured ? .config : .builtIn)
      note = entry.configured ? "from tally.yaml" : "built-in table: no reserved lines to measure"
    } else {
      report.notes.append("\(group.provider) \(name): no reservation discount known; skipped")
      return nil
    }

    let model = UnitSeries(
      usage: usage, onDemandRate: cost.units / totalUnits, discount: discount,
      step: pool.sizeFlexible ? smallest.value.factor : mostUsed.value.factor)
    guard
      let sized = sized(
        model, window: window, subject: "\(group.provider) \(name) reservation (\(group.currency))")
    else {
      return nil
    }
    let units = sized.level
    report.recommendations.append(
      try recommendation(
        kind: .reservedInstance, group: group, payment: payment, discount: discount,
        source: source, note: note, sized: sized,
        reservation: ReservationTarget(
          region: pool.region, family: pool.family, platform: pool.platform,
          tenancy: pool.tenancy, sizeFlexible: pool.sizeFlexible, normalizedUnits: units,
          instanceType: mostUsed.key, instances: units / mostUsed.value.factor,
          smallestInstanceType: smallest.key, smallestInstances: units / smallest.value.factor)))
    return usage.map { $0 > 0 ? max(0, 1 - min($0, units) / $0) : 1 }
  }

  /// Sizes the spend-based commitment of a provider and currency.
  mutating func recommendSpendCommitment(
    group: Group, classes: [Int], window: HourWindow, hours: Range<Int>,
    uncovered: [LineRole.Pool: [Double]]
  ) throws {
    let kind = CommitmentKind.spendBased(for: group.provider)
    let payment = priced(provider: group.provider, kind: kind)
    let table = configuration.discounts.lookUp(
      provider: group.provider, kind: kind, term: configuration.term, payment: payment)

    // Discounts measured per rate key, and their average over the provider and currency.
    var byKey: [String: Observation] = [:]
    var overall = Observation()
    for index in classes where roles[index].coveredBySpendCommitment {
      guard case .committed(let id) = roles[index].coverage,
        matches(id, kind: kind, term: configuration.term, payment: payment)
      else { continue }
      try byKey[roles[index].rateKey, default: Observation()].add(history.totals[index])
      try overall.add(history.totals[index])
    }
    for key in byKey.keys.sorted() {
      guard let observation = byKey[key], let discount = observation.discount else { continue }
      report.learnedDiscounts.append(
        LearnedDiscount(
          provider: group.provider, currency: group.currency, kind: kind, key: key,
          discount: discount, lines: observation.lines, basis: observation.basis))
    }

    // Each counted class at its discount: the rate key's, else the average, else the table.
    var eligible: [(index: Int, discount: Double, source: DiscountSource)] = []
    for index in classes where roles[index].spendEligible && counts(index, window: window) {
      if let discount = byKey[roles[index].rateKey]?.discount {
        eligible.append((index, discount, .bill))
      } else if let discount = overall.discount {
        eligible.append((index, discount, .billAverage))
      } else if let (entry, _) = table {
        eligible.append((index, entry.discount, entry.configured ? .config : .builtIn))
      }
    }
    guard !eligible.isEmpty else {
      let counted = classes.contains { roles[$0].spendEligible && counts($0, window: window) }
      let reason =
        counted
        ? "no discount known (add one under commitments.discounts); skipped"
        : "no eligible on-demand usage in the window"
      report.notes.append("\(group.provider) \(kind.rawValue) (\(group.currency)): \(reason)")
      return
    }

    let width = eligible.count
    var amounts = Array(repeating: Int64(0), count: hours.count * width)
    var spendBySource: [DiscountSource: Money] = [:]
    for (k, entry) in eligible.enumerated() {
      guard let costs = history.hourlyCost[entry.index] else { continue }
      // The share of a pool's usage its reservation leaves on demand, to the nearest nano.
      let left = roles[entry.index].pool.flatMap { uncovered[$0] }
      for hour in hours {
        let offset = hour - hours.lowerBound
        let amount = left.map { Int64((Double(costs[hour]) * $0[offset]).rounded()) } ?? costs[hour]
        amounts[offset * width + k] = amount
        spendBySource[entry.source, default: .zero] = try spendBySource[
          entry.source, default: .zero
        ]
        .adding(Money(nanos: amount))
      }
    }
    let model = try SpendSeries(
      hours: hours.count, discounts: eligible.map(\.discount), amounts: amounts)
    let (source, note) = describe(spendBySource)
    guard
      let sized = sized(
        model, window: window, subject: "\(group.provider) \(kind.rawValue) (\(group.currency))")
    else {
      return
    }
    report.recommendations.append(
      try recommendation(
        kind: kind, group: group, payment: payment, discount: sized.basis.meanDiscount,
        source: source, note: note, sized: sized, reservation: nil))
  }

  /// The payment option that will be priced: the one asked for, or no-upfront where the
  /// provider sells only that.
  func priced(provider: String, kind: CommitmentKind) -> PaymentOption {
    configuration.discounts.lookUp(
      provider: provider, kind: kind, term: configuration.term, payment: configuration.payment)?
      .payment ?? configuration.payment
  }

  func describe(_ spend: [DiscountSource: Money]) -> (DiscountSource, String) {
    let total = spend.values.reduce(0.0) { $0 + $1.units }
    let used = spend.filter { $0.value.nanos > 0 }.sorted { $0.value > $1.value }
    guard used.count > 1, total > 0 else {
      let only = used.first?.key ?? .builtIn
      let words: [DiscountSource: String] = [
        .bill: "measured in the bill for this usage",
        .billAverage: "the bill's average savings plan discount (no rate for this usage)",
        .config: "from tally.yaml", .builtIn: "built-in table: the bill shows no rate",
        .mixed: "",
      ]
      return (only, words[only] ?? "")
    }
    let parts = used.map { "\($0.key.rawValue) \(Int(($0.value.units / total * 100).rounded()))%" }
    return (.mixed, "share of eligible spend by source: " + parts.joined(separator: ", "))
  }

  // MARK: Sizing

  /// A level chosen on a model, with the hours its estimates come from.
  struct Sized<Model: CommitmentModel> {
    var level: Double
    var basis: Model
    var window: HourWindow
    var basisWindow: HourWindow
    var staleDataGuard: (windowLevel: Double, recentLevel: Double)?
  }

  /// The optimal level over the window, lowered to the last three days' optimum when that is
  /// lower (Azure's guard against stale data); nil, with a note on `subject`, when no level
  /// saves money.
  mutating func sized<Model: CommitmentModel>(
    _ model: Model, window: HourWindow, subject: String
  ) -> Sized<Model>? {
    let windowLevel = model.optimalLevel()
    var result = Sized(
      level: windowLevel, basis: model, window: window, basisWindow: window, staleDataGuard: nil)
    if model.hours > Recommender.recentHours {
      let recent = model.suffix(hours: Recommender.recentHours)
      let recentLevel = recent.optimalLevel()
      if recentLevel < windowLevel {
        result.level = recentLevel
        result.basis = recent
        result.basisWindow = HourWindow(
          start: Timestamp(
            secondsSinceEpoch: window.end.secondsSinceEpoch - Int64(Recommender.recentHours)
              * 3600), end: window.end)
        result.staleDataGuard = (windowLevel, recentLevel)
      }
    }
    guard result.level > 0 else {
      if windowLevel > 0 {
        report.notes.append(
          "\(subject): the whole window would support a commitment, but the last "
            + "\(Recommender.recentHours / 24) days show too little usage to keep it busy "
            + "(stale-data guard); nothing recommended")
      } else {
        report.notes.append("\(subject): no commitment saves money over the window")
      }
      return nil
    }
    return result
  }

  func recommendation<Model: CommitmentModel>(
    kind: CommitmentKind, group: Group, payment: PaymentOption, discount: Double,
    source: DiscountSource, note: String, sized: Sized<Model>, reservation: ReservationTarget?
  ) throws -> Recommendation {
    let spendBased = reservation == nil
    func commitment(_ level: Double) throws -> Money? {
      spendBased ? try Money.estimate(level, fractionDigits: 3) : nil
    }
    let evaluation = sized.basis.evaluate(level: sized.level)
    var curve: [CurvePoint] = []
    for fraction in Recommender.curveFractions {
      let level = sized.basis.purchasable(sized.level * fraction)
      let point = sized.basis.evaluate(level: level)
      curve.append(
        CurvePoint(
          fraction: fraction, hourlyCommitment: try commitment(level),
          normalizedUnits: spendBased ? nil : level,
          monthlySavings: try Money.estimate(
            point.netSavings * Recommender.hoursPerMonth / Double(point.hours)),
          utilization: point.utilization, coverage: point.coverage))
    }
    var staleDataGuard: StaleDataGuard?
    if let levels = sized.staleDataGuard {
      let unit = spendBased ? "hourly commitment" : "normalised units"
      staleDataGuard = StaleDataGuard(
        windowHourlyCommitment: try commitment(levels.windowLevel),
        recentHourlyCommitment: try commitment(levels.recentLevel),
        windowNormalizedUnits: spendBased ? nil : levels.windowLevel,
        recentNormalizedUnits: spendBased ? nil : levels.recentLevel,
        reason:
          "the last \(Recommender.recentHours / 24) days of usage support a lower \(unit) than "
          + "the whole window: recommending the lower one so as not to commit on usage that "
          + "has stopped; estimates use those days")
    }
    return Recommendation(
      kind: kind, provider: group.provider, currency: group.currency, term: configuration.term,
      payment: payment, discount: discount, discountSource: source, discountNote: note,
      hourlyCommitment: try commitment(sized.level), reservation: reservation,
      estimate: try estimate(evaluation, payment: payment), savingsCurve: curve,
      window: sized.window, basis: sized.basisWindow, staleDataGuard: staleDataGuard)
  }

  /// Per-month figures from an evaluation over its hours.
  func estimate(_ evaluation: LevelEvaluation, payment: PaymentOption) throws -> CommitmentEstimate
  {
    let perMonth = Recommender.hoursPerMonth / Double(evaluation.hours)
    let hourlyCost = evaluation.commitmentCost / Double(evaluation.hours)
    let upfront =
      hourlyCost * Recommender.hoursPerYear * Double(configuration.term.years)
      * payment.upfrontShare
    let recurring = hourlyCost * Recommender.hoursPerMonth * (1 - payment.upfrontShare)
    let coveredMonthly = evaluation.coveredSpend * perMonth
    var breakEven: Double? = 0
    if upfront > 0 {
      breakEven = coveredMonthly > recurring ? upfront / (coveredMonthly - recurring) : nil
    }
    return CommitmentEstimate(
      monthlySavings: try Money.estimate(evaluation.netSavings * perMonth),
      monthlyOnDemandCost: try Money.estimate(evaluation.onDemandSpend * perMonth),
      monthlyCommitmentCost: try Money.estimate(hourlyCost * Recommender.hoursPerMonth),
      savingsRate: evaluation.onDemandSpend > 0
        ? evaluation.netSavings / evaluation.onDemandSpend : 0,
      utilization: evaluation.utilization, coverage: evaluation.coverage,
      breakEvenMonths: breakEven, upfrontCost: try Money.estimate(upfront),
      recurringMonthlyCost: try Money.estimate(recurring))
  }

  // MARK: Owned commitments

  /// The commitments with lines in the latest month: what they covered and what went unused.
  func owned() throws -> OwnedCommitments? {
    guard let month = history.months.last else { return nil }
    let m = history.months.count - 1
    struct Sums {
      var used = Money.zero
      var unused = Money.zero
      var covered = Money.zero
    }
    var sums: [Int64: Sums] = [:]
    var groupOf: [Int64: Group] = [:]
    var eligibleSpend: [Group: (spend: Money, instances: Money)] = [:]
    for (index, line) in history.classes.enumerated() {
      let totals = history.totals[index][m]
      let role = roles[index]
      let group = Group(provider: role.provider, currency: role.currency)
      if role.coverage != .none {
        var eligible = eligibleSpend[group] ?? (.zero, .zero)
        if role.spendEligible { eligible.spend = try eligible.spend.adding(totals.onDemand) }
        if role.pool != nil || (!role.isCUR && role.spendEligible) {
          eligible.instances = try eligible.instances.adding(totals.onDemand)
        }
        eligibleSpend[group] = eligible
      }
      guard let id = line.commitment, totals.lines > 0 else { continue }
      var sum = sums[id] ?? Sums()
      if case .committed = role.coverage {
        sum.used = try sum.used.adding(totals.effective)
        sum.covered = try sum.covered.adding(totals.onDemand)
        groupOf[id] = group
      } else if role.isCUR
        ? ["SavingsPlanRecurringFee", "RIFee"].contains(line.lineItemType)
        : line.commitmentStatus == "Unused"
      {
        sum.unused = try sum.unused.adding(totals.effective)
        groupOf[id] = groupOf[id] ?? group
      } else {
        continue
      }
      sums[id] = sum
    }

    var commitments: [OwnedCommitment] = []
    for (id, sum) in sums {
      guard let record = history.commitments[id], let group = groupOf[id] else { continue }
      let cost = try sum.used.adding(sum.unused)
      let eligible = eligibleSpend[group] ?? (.zero, .zero)
      let base = record.category == "Usage" ? eligible.instances : eligible.spend
      commitments.append(
        OwnedCommitment(
          id: record.id, provider: group.provider, currency: group.currency, type: record.type,
          category: record.category, term: record.term, payment: record.payment,
          offering: record.offering, end: record.end, usedCost: sum.used,
          unusedCost: sum.unused, coveredOnDemandCost: sum.covered,
          netSavings: try sum.covered.subtracting(cost),
          utilization: cost.nanos > 0 ? sum.used.units / cost.units : 0,
          coverage: base.nanos > 0 ? min(1, sum.covered.units / base.units) : 0))
    }
    commitments.sort {
      ($0.end ?? .init(secondsSinceEpoch: .max), $0.id) < (
        $1.end ?? .init(secondsSinceEpoch: .max), $1.id
      )
    }

    var calendar: [ExpiryMonth] = []
    var next = month
    for _ in 0..<12 {
      let ending = commitments.filter { $0.end?.month == next }
      for currency in Set(ending.map(\.currency)).sorted() {
        let these = ending.filter { $0.currency == currency }
        calendar.append(
          ExpiryMonth(
            month: next, currency: currency, commitments: these.map(\.id),
            monthlyCost: try Money.sum(these.map { try $0.usedCost.adding($0.unusedCost) }),
            coveredOnDemandCost: try Money.sum(these.map(\.coveredOnDemandCost))))
      }
      next = next.next
    }
    return OwnedCommitments(month: month, commitments: commitments, expiryCalendar: calendar)
  }
}

/// A discount measured on some lines: what they cost under the commitment against what they
/// would have cost on demand.
private struct Observation {
  /// Σ quantity × commitment rate and × on-demand rate, over months whose lines give rates
  /// (products of a quantity and a unit price, not amounts of the bill).
  var committedAtRates = 0.0
  var onDemandAtRates = 0.0
  /// Σ effective and on-demand-equivalent cost over the other months, exactly.
  var committedCost = Money.zero
  var onDemandCost = Money.zero
  var lines = 0
  var byRates = false

  /// Adds a class's months: by rates where its lines give them, else by costs.
  mutating func add(_ months: [LineClassTotals]) throws {
    for totals in months where totals.lines > 0 {
      lines += totals.lines
      if totals.atOnDemandRate > 0 {
        committedAtRates += totals.atCommitmentRate
        onDemandAtRates += totals.atOnDemandRate
        byRates = true
      } else {
        committedCost = try committedCost.adding(totals.effective)
        onDemandCost = try onDemandCost.adding(totals.onDemand)
      }
    }
  }

  /// 1 − committed / on demand, when that is a discount.
  var discount: Double? {
    let onDemand = onDemandAtRates + onDemandCost.units
    guard onDemand > 0 else { return nil }
    let value = 1 - (committedAtRates + committedCost.units) / onDemand
    return value >= 0 && value < 1 ? value : nil
  }

  var basis: String { byRates ? "rates" : "costs" }
}

/// A series a commitment level can be chosen on.
protocol CommitmentModel {
  /// The hours the series covers.
  var hours: Int { get }
  /// The optimal purchasable level.
  func optimalLevel() -> Double
  /// What a level would have done.
  func evaluate(level: Double) -> LevelEvaluation
  /// The last `count` hours.
  func suffix(hours count: Int) -> Self
  /// `level` rounded to what can be bought.
  func purchasable(_ level: Double) -> Double
}

extension SpendSeries: CommitmentModel {
  func optimalLevel() -> Double { purchasable(optimalCommitment()) }
  func evaluate(level: Double) -> LevelEvaluation { evaluate(commitment: level) }
  /// Down to the 0.001/h purchase step.
  func purchasable(_ level: Double) -> Double {
    (level / Recommender.commitmentStep + 1e-9).rounded(.down) * Recommender.commitmentStep
  }
}

extension UnitSeries: CommitmentModel {
  var hours: Int { usage.count }
  func optimalLevel() -> Double { optimalUnits() }
  func evaluate(level: Double) -> LevelEvaluation { evaluate(units: level) }
  /// To the nearest whole step (ties to even): a curve point is a quantity one can buy.
  func purchasable(_ level: Double) -> Double {
    step > 0 ? (level / step).rounded(.toNearestOrEven) * step : level
  }
}
