import Foundation

/// `tally recommend` output: the JSON shape of DESIGN.md, a CSV of recommendations (one row
/// each, the savings curve as columns), and tables for a terminal.
///
/// Ratios are rounded to four places and unit counts to four, so that output is stable.
public struct RecommendOutput: Sendable {
  /// The report shown.
  public var report: CommitmentReport

  /// Wraps a report.
  public init(_ report: CommitmentReport) {
    self.report = report
  }

  /// The report in `format`.
  public func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .json: return try renderJSON(JSONReport(report))
    case .csv: return recommendationsTable().renderedAsCSV()
    case .table: return text()
    }
  }

  // MARK: CSV

  /// One row per recommendation, the savings curve as columns: `tally recommend --format csv`
  /// and a month report's `recommendations.csv`.
  func recommendationsTable() -> ResultTable {
    let fractions = Recommender.curveFractions.map { "savings_at_\(percent($0))" }
    var table = ResultTable(
      columns: [
        "kind", "provider", "currency", "term", "payment", "region", "family", "platform",
        "tenancy", "size_flexible", "hourly_commitment", "normalized_units", "instance_type",
        "instances", "discount", "discount_source", "estimated_monthly_savings",
        "estimated_monthly_on_demand_cost", "utilization", "coverage", "break_even_months",
        "upfront_cost", "recurring_monthly_cost", "window_start", "window_end",
        "stale_data_guard",
      ] + fractions)
    for item in report.recommendations {
      let target = item.reservation
      let estimate = item.estimate
      var row: [String] = [
        item.kind.rawValue, item.provider, item.currency, item.term.rawValue,
        item.payment.rawValue,
      ]
      row += [target?.region ?? "", target?.family ?? "", target?.platform ?? ""]
      row += [target?.tenancy ?? "", target.map { String($0.sizeFlexible) } ?? ""]
      row.append(item.hourlyCommitment?.description ?? "")
      row.append(target.map { number($0.normalizedUnits) } ?? "")
      row.append(target?.instanceType ?? "")
      row.append(target.map { number($0.instances) } ?? "")
      row += [number(item.discount), item.discountSource.rawValue]
      row += [estimate.monthlySavings.description, estimate.monthlyOnDemandCost.description]
      row += [number(estimate.utilization), number(estimate.coverage)]
      row.append(estimate.breakEvenMonths.map(number) ?? "")
      row += [estimate.upfrontCost.description, estimate.recurringMonthlyCost.description]
      row += [item.window.start.description, item.window.end.description]
      row.append(String(item.staleDataGuard != nil))
      row += item.savingsCurve.map(\.monthlySavings.description)
      table.rows.append(row)
    }
    return table
  }

  /// One row per commitment owned in the report's month, amounts in full: a month report's
  /// `owned-commitments.csv`.
  func ownedCommitmentsTable() -> ResultTable {
    ResultTable(
      columns: [
        "month", "commitment", "provider", "currency", "type", "category", "term", "payment",
        "offering", "end_date", "used_cost", "unused_cost", "covered_on_demand_cost",
        "net_savings", "utilization", "coverage",
      ], numeric: Set(10...15),
      rows: (report.owned?.commitments ?? []).map { item in
        [
          report.owned?.month.description ?? "", item.id, item.provider, item.currency,
          item.type, item.category, item.term, item.payment, item.offering,
          item.end?.description ?? "", item.usedCost.description, item.unusedCost.description,
          item.coveredOnDemandCost.description, item.netSavings.description,
          number(item.utilization), number(item.coverage),
        ]
      })
  }

  // MARK: Text

  private func text() -> String {
    var out =
      "Recommendations: \(report.term.rawValue) \(report.payment.rawValue), "
      + "look-back \(report.lookbackDays) days\n\n"
    if report.recommendations.isEmpty {
      out += "Nothing to buy: no commitment would save money over the window.\n"
    } else {
      var table = ResultTable(
        columns: [
          "kind", "provider", "buy", "for", "discount", "source", "savings/month",
          "utilisation", "coverage", "break-even", "upfront",
        ], numeric: [4, 6, 7, 8, 9, 10])
      for item in report.recommendations {
        table.rows.append([
          item.kind.rawValue, item.provider, item.purchaseText, item.scopeText,
          percent(item.discount) + "%", item.discountSource.rawValue,
          "\(item.estimate.monthlySavings.formatted(fractionDigits: 2)) \(item.currency)",
          percent(item.estimate.utilization) + "%", percent(item.estimate.coverage) + "%",
          item.estimate.breakEvenMonths.map { String(format: "%.1f mo", $0) } ?? "never",
          item.estimate.upfrontCost.formatted(fractionDigits: 2),
        ])
      }
      out += table.renderedAsText()
      out += "\nSavings per month at 50% … 150% of each recommended level:\n"
      for item in report.recommendations {
        let points = item.savingsCurve.map { $0.monthlySavings.formatted(fractionDigits: 0) }
        out += "  \(item.purchaseText) \(item.scopeText): \(points.joined(separator: " "))\n"
      }
      for item in report.recommendations {
        if let guardNote = item.staleDataGuard {
          out +=
            "\nStale-data guard on \(item.purchaseText) \(item.scopeText): \(guardNote.reason).\n"
        }
      }
    }
    if let owned = report.owned {
      out += "\nCommitments owned in \(owned.month)\n"
      if owned.commitments.isEmpty {
        out += "None in the bill.\n"
      } else {
        var table = ResultTable(
          columns: [
            "commitment", "type", "ends", "utilisation", "coverage", "unused", "net savings",
          ], numeric: [3, 4, 5, 6])
        for item in owned.commitments {
          table.rows.append([
            item.id, item.type, item.end.map { String($0.description.prefix(10)) } ?? "?",
            percent(item.utilization) + "%", percent(item.coverage) + "%",
            "\(item.unusedCost.formatted(fractionDigits: 2)) \(item.currency)",
            item.netSavings.formatted(fractionDigits: 2),
          ])
        }
        out += table.renderedAsText()
      }
      out += "\nExpiry calendar (12 months from \(owned.month))\n"
      if owned.expiryCalendar.isEmpty {
        out += "Nothing ends in the next 12 months.\n"
      } else {
        var table = ResultTable(
          columns: ["month", "ending", "monthly cost", "on-demand equivalent"], numeric: [1, 2, 3])
        for item in owned.expiryCalendar {
          table.rows.append([
            item.month.description, String(item.commitments.count),
            "\(item.monthlyCost.formatted(fractionDigits: 2)) \(item.currency)",
            item.coveredOnDemandCost.formatted(fractionDigits: 2),
          ])
        }
        out += table.renderedAsText()
      }
    }
    if !report.notes.isEmpty {
      out += "\nNotes\n" + report.notes.map { "  \($0)\n" }.joined()
    }
    return out
  }
}

extension Recommendation {
  /// What to buy, in words: `1.234 USD/h`, or `16 NU = 4 × m5.xlarge`.
  var purchaseText: String {
    if let hourlyCommitment {
      return "\(hourlyCommitment.formatted(fractionDigits: 3)) \(currency)/h"
    }
    guard let reservation else { return "" }
    return "\(number(reservation.normalizedUnits)) NU = \(number(reservation.instances)) × "
      + reservation.instanceType
  }

  /// What it covers, in words: the reservation pool, or the provider's eligible usage.
  var scopeText: String {
    guard let reservation else { return "eligible \(provider) usage" }
    return [reservation.region, reservation.family, reservation.platform, reservation.tenancy]
      .joined(separator: " ")
  }
}

/// A ratio or count rounded to four places, as text without trailing zeros.
private func number(_ value: Double) -> String {
  let rounded = (value * 10_000).rounded() / 10_000
  if rounded == rounded.rounded() { return String(Int64(rounded)) }
  var text = String(format: "%.4f", rounded)
  while text.hasSuffix("0") { text.removeLast() }
  return text
}

/// A ratio as a percentage with at most one decimal.
private func percent(_ ratio: Double) -> String {
  let value = (ratio * 1000).rounded() / 10
  return value == value.rounded() ? String(Int64(value)) : String(format: "%.1f", value)
}

/// Rounds a ratio or count to four places for JSON.
private func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

/// The JSON document.
private struct JSONReport: Encodable {
  let report: CommitmentReport

  init(_ report: CommitmentReport) { self.report = report }

  enum Keys: String, CodingKey {
    case lookbackDays = "lookback_days", term, payment
    case expiringWithinDays = "expiring_within_days"
    case recommendations
    case learnedDiscounts = "learned_discounts"
    case ownedCommitments = "owned_commitments"
    case notes
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(report.lookbackDays, forKey: .lookbackDays)
    try container.encode(report.term.rawValue, forKey: .term)
    try container.encode(report.payment.rawValue, forKey: .payment)
    try container.encode(report.expiringWithinDays, forKey: .expiringWithinDays)
    try container.encode(
      report.recommendations.map(JSONRecommendation.init), forKey: .recommendations)
    try container.encode(report.learnedDiscounts.map(JSONLearned.init), forKey: .learnedDiscounts)
    try container.encode(report.owned.map(JSONOwned.init), forKey: .ownedCommitments)
    try container.encode(report.notes, forKey: .notes)
  }
}

private struct JSONRecommendation: Encodable {
  let item: Recommendation

  init(_ item: Recommendation) { self.item = item }

  enum Keys: String, CodingKey {
    case kind, provider, currency, term, payment, discount
    case discountSource = "discount_source", discountNote = "discount_note"
    case hourlyCommitment = "hourly_commitment"
    case region, family, platform, tenancy
    case sizeFlexible = "size_flexible", normalizedUnits = "normalized_units"
    case instanceType = "instance_type", instances
    case smallestInstanceType = "smallest_instance_type", smallestInstances = "smallest_instances"
    case monthlySavings = "estimated_monthly_savings"
    case monthlyOnDemandCost = "estimated_monthly_on_demand_cost"
    case monthlyCommitmentCost = "monthly_commitment_cost"
    case savingsRate = "savings_rate", utilization, coverage
    case breakEvenMonths = "break_even_months", upfrontCost = "upfront_cost"
    case recurringMonthlyCost = "recurring_monthly_cost"
    case windowStart = "window_start", windowEnd = "window_end"
    case lookbackHours = "lookback_hours"
    case basisStart = "basis_start", basisEnd = "basis_end"
    case staleDataGuard = "stale_data_guard", savingsCurve = "savings_curve"
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(item.kind.rawValue, forKey: .kind)
    try c.encode(item.provider, forKey: .provider)
    try c.encode(item.currency, forKey: .currency)
    try c.encode(item.term.rawValue, forKey: .term)
    try c.encode(item.payment.rawValue, forKey: .payment)
    try c.encode(rounded(item.discount), forKey: .discount)
    try c.encode(item.discountSource.rawValue, forKey: .discountSource)
    try c.encode(item.discountNote, forKey: .discountNote)
    if let commitment = item.hourlyCommitment {
      try c.encode(commitment.description, forKey: .hourlyCommitment)
    }
    if let target = item.reservation {
      try c.encode(target.region, forKey: .region)
      try c.encode(target.family, forKey: .family)
      try c.encode(target.platform, forKey: .platform)
      try c.encode(target.tenancy, forKey: .tenancy)
      try c.encode(target.sizeFlexible, forKey: .sizeFlexible)
      try c.encode(rounded(target.normalizedUnits), forKey: .normalizedUnits)
      try c.encode(target.instanceType, forKey: .instanceType)
      try c.encode(rounded(target.instances), forKey: .instances)
      try c.encode(target.smallestInstanceType, forKey: .smallestInstanceType)
      try c.encode(rounded(target.smallestInstances), forKey: .smallestInstances)
    }
    let estimate = item.estimate
    try c.encode(estimate.monthlySavings.description, forKey: .monthlySavings)
    try c.encode(estimate.monthlyOnDemandCost.description, forKey: .monthlyOnDemandCost)
    try c.encode(estimate.monthlyCommitmentCost.description, forKey: .monthlyCommitmentCost)
    try c.encode(rounded(estimate.savingsRate), forKey: .savingsRate)
    try c.encode(rounded(estimate.utilization), forKey: .utilization)
    try c.encode(rounded(estimate.coverage), forKey: .coverage)
    try c.encode(
      estimate.breakEvenMonths.map { ($0 * 100).rounded() / 100 }, forKey: .breakEvenMonths)
    try c.encode(estimate.upfrontCost.description, forKey: .upfrontCost)
    try c.encode(estimate.recurringMonthlyCost.description, forKey: .recurringMonthlyCost)
    try c.encode(item.window.start.description, forKey: .windowStart)
    try c.encode(item.window.end.description, forKey: .windowEnd)
    try c.encode(item.window.hours, forKey: .lookbackHours)
    try c.encode(item.basis.start.description, forKey: .basisStart)
    try c.encode(item.basis.end.description, forKey: .basisEnd)
    try c.encode(item.staleDataGuard.map(JSONGuard.init), forKey: .staleDataGuard)
    try c.encode(item.savingsCurve.map(JSONCurvePoint.init), forKey: .savingsCurve)
  }
}

private struct JSONGuard: Encodable {
  let value: StaleDataGuard
  init(_ value: StaleDataGuard) { self.value = value }

  enum Keys: String, CodingKey {
    case windowHourlyCommitment = "window_hourly_commitment"
    case recentHourlyCommitment = "recent_hourly_commitment"
    case windowNormalizedUnits = "window_normalized_units"
    case recentNormalizedUnits = "recent_normalized_units"
    case reason
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encodeIfPresent(
      value.windowHourlyCommitment?.description, forKey: .windowHourlyCommitment)
    try c.encodeIfPresent(
      value.recentHourlyCommitment?.description, forKey: .recentHourlyCommitment)
    try c.encodeIfPresent(value.windowNormalizedUnits.map(rounded), forKey: .windowNormalizedUnits)
    try c.encodeIfPresent(value.recentNormalizedUnits.map(rounded), forKey: .recentNormalizedUnits)
    try c.encode(value.reason, forKey: .reason)
  }
}

private struct JSONCurvePoint: Encodable {
  let point: CurvePoint
  init(_ point: CurvePoint) { self.point = point }

  enum Keys: String, CodingKey {
    case fraction, hourlyCommitment = "hourly_commitment", normalizedUnits = "normalized_units"
    case monthlySavings = "estimated_monthly_savings", utilization, coverage
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(rounded(point.fraction), forKey: .fraction)
    try c.encodeIfPresent(point.hourlyCommitment?.description, forKey: .hourlyCommitment)
    try c.encodeIfPresent(point.normalizedUnits.map(rounded), forKey: .normalizedUnits)
    try c.encode(point.monthlySavings.description, forKey: .monthlySavings)
    try c.encode(rounded(point.utilization), forKey: .utilization)
    try c.encode(rounded(point.coverage), forKey: .coverage)
  }
}

private struct JSONLearned: Encodable {
  let value: LearnedDiscount
  init(_ value: LearnedDiscount) { self.value = value }

  enum Keys: String, CodingKey { case provider, currency, kind, key, discount, lines, basis }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(value.provider, forKey: .provider)
    try c.encode(value.currency, forKey: .currency)
    try c.encode(value.kind.rawValue, forKey: .kind)
    try c.encode(value.key, forKey: .key)
    try c.encode(rounded(value.discount), forKey: .discount)
    try c.encode(value.lines, forKey: .lines)
    try c.encode(value.basis, forKey: .basis)
  }
}

private struct JSONOwned: Encodable {
  let value: OwnedCommitments
  init(_ value: OwnedCommitments) { self.value = value }

  enum Keys: String, CodingKey { case month, commitments, expiryCalendar = "expiry_calendar" }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(value.month.description, forKey: .month)
    try c.encode(value.commitments.map(JSONCommitment.init), forKey: .commitments)
    try c.encode(value.expiryCalendar.map(JSONExpiry.init), forKey: .expiryCalendar)
  }
}

private struct JSONCommitment: Encodable {
  let value: OwnedCommitment
  init(_ value: OwnedCommitment) { self.value = value }

  enum Keys: String, CodingKey {
    case id, provider, currency, type, category, term, payment, offering
    case endDate = "end_date", usedCost = "used_cost", unusedCost = "unused_cost"
    case coveredOnDemandCost = "covered_on_demand_cost", netSavings = "net_savings"
    case utilization, coverage
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(value.id, forKey: .id)
    try c.encode(value.provider, forKey: .provider)
    try c.encode(value.currency, forKey: .currency)
    try c.encode(value.type, forKey: .type)
    try c.encode(value.category, forKey: .category)
    try c.encode(value.term, forKey: .term)
    try c.encode(value.payment, forKey: .payment)
    try c.encode(value.offering, forKey: .offering)
    try c.encode(value.end?.description, forKey: .endDate)
    try c.encode(value.usedCost.description, forKey: .usedCost)
    try c.encode(value.unusedCost.description, forKey: .unusedCost)
    try c.encode(value.coveredOnDemandCost.description, forKey: .coveredOnDemandCost)
    try c.encode(value.netSavings.description, forKey: .netSavings)
    try c.encode(rounded(value.utilization), forKey: .utilization)
    try c.encode(rounded(value.coverage), forKey: .coverage)
  }
}

private struct JSONExpiry: Encodable {
  let value: ExpiryMonth
  init(_ value: ExpiryMonth) { self.value = value }

  enum Keys: String, CodingKey {
    case month, currency, commitments
    case monthlyCost = "monthly_cost", coveredOnDemandCost = "covered_on_demand_cost"
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(value.month.description, forKey: .month)
    try c.encode(value.currency, forKey: .currency)
    try c.encode(value.commitments, forKey: .commitments)
    try c.encode(value.monthlyCost.description, forKey: .monthlyCost)
    try c.encode(value.coveredOnDemandCost.description, forKey: .coveredOnDemandCost)
  }
}
