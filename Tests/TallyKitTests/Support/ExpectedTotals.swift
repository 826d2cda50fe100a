import Foundation
import Testing

@testable import TallyKit

/// Totals per month and currency, computed from a file by the independent route of
/// `IndependentCSV`, to compare with what the store holds after importing it.
struct ExpectedTotals: Equatable, CustomStringConvertible {
  struct Key: Hashable, Comparable {
    var month: String
    var currency: String
    static func < (a: Key, b: Key) -> Bool { (a.month, a.currency) < (b.month, b.currency) }
  }
  struct Sums: Equatable {
    var rows = 0
    var billed: Int64 = 0
    var effective: Int64 = 0
    var list: Int64 = 0
    var contracted: Int64 = 0
  }
  var sums: [Key: Sums] = [:]

  var description: String {
    sums.keys.sorted().map { "\($0.month) \($0.currency): \(sums[$0] ?? Sums())" }.joined(
      separator: "\n")
  }

  /// The store's month totals in the same shape.
  init(store: Store) throws {
    for period in try store.monthTotals() {
      sums[Key(month: period.month.description, currency: period.currency)] = Sums(
        rows: period.rowCount, billed: period.totals.billed.nanos,
        effective: period.totals.effective.nanos, list: period.totals.list.nanos,
        contracted: period.totals.contracted.nanos)
    }
  }

  /// FOCUS: the four cost columns summed as written (older names accepted, NULL as zero);
  /// a missing ListCost or ContractedCost column stands in as the billed cost.
  init(focusFile path: String) throws {
    for row in try IndependentCSV.rows(path) {
      let key = Key(
        month: String((row["BillingPeriodStart"] ?? "").prefix(7)),
        currency: row["BillingCurrency"] ?? "")
      let billed = IndependentCSV.nanos(row["BilledCost"])
      var sums = self.sums[key] ?? Sums()
      sums.rows += 1
      sums.billed += billed
      sums.effective += IndependentCSV.nanos(row["EffectiveCost"] ?? row["AmortizedCost"])
      sums.list += row["ListCost"].map { IndependentCSV.nanos($0) } ?? billed
      sums.contracted += row["ContractedCost"].map { IndependentCSV.nanos($0) } ?? billed
      self.sums[key] = sums
    }
  }

  /// Legacy CUR: billed is UnblendedCost; effective by the amortisation CASE of DESIGN.md,
  /// written out again here; list is publicOnDemandCost where present (0 on negation lines).
  init(curFile path: String) throws {
    for row in try IndependentCSV.rows(path) {
      func value(_ slashName: String) -> String? { row[slashName] ?? row[snakeCase(slashName)] }
      func amount(_ slashName: String) -> Int64 { IndependentCSV.nanos(value(slashName)) }
      let month = String((value("bill/BillingPeriodStartDate") ?? "").prefix(7))
      let currency = value("lineItem/CurrencyCode").flatMap { $0.isEmpty ? nil : $0 } ?? "USD"
      let key = Key(month: month, currency: currency)
      let unblended = amount("lineItem/UnblendedCost")
      let type = value("lineItem/LineItemType") ?? ""
      let effective: Int64
      switch type {
      case "SavingsPlanCoveredUsage": effective = amount("savingsPlan/SavingsPlanEffectiveCost")
      case "SavingsPlanRecurringFee":
        effective =
          amount("savingsPlan/TotalCommitmentToDate") - amount("savingsPlan/UsedCommitment")
      case "SavingsPlanNegation", "SavingsPlanUpfrontFee": effective = 0
      case "DiscountedUsage": effective = amount("reservation/EffectiveCost")
      case "RIFee":
        effective =
          amount("reservation/UnusedAmortizedUpfrontFeeForBillingPeriod")
          + amount("reservation/UnusedRecurringFee")
      case "Fee" where !(value("reservation/ReservationARN") ?? "").isEmpty: effective = 0
      default: effective = unblended
      }
      let publicCost = value("pricing/publicOnDemandCost") ?? ""
      let list =
        type == "SavingsPlanNegation"
        ? 0 : (publicCost.isEmpty ? unblended : IndependentCSV.nanos(publicCost))
      var sums = self.sums[key] ?? Sums()
      sums.rows += 1
      sums.billed += unblended
      sums.effective += effective
      sums.list += list
      sums.contracted += list
      self.sums[key] = sums
    }
  }

  /// Azure cost details imported alone (no other dataset of the month in the store): `Cost`
  /// (or `CostInBillingCurrency`, `PreTaxCost`) counts as billed, effective and contracted
  /// cost; list cost is `paygCostInBillingCurrency` where the file has it, else the cost. The
  /// month is that of `BillingPeriodStartDate` (`MM/DD/YYYY`, `M/D/YYYY` or ISO), or of the
  /// row's date when the billing period is empty. Column names are matched ignoring case.
  init(azureFile path: String) throws {
    for row in try IndependentCSV.rows(path) {
      let lowered = Dictionary(row.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
      func value(_ names: String...) -> String? {
        names.lazy.compactMap { lowered[$0.lowercased()] }.first
      }
      let period = value("BillingPeriodStartDate").flatMap { $0.isEmpty ? nil : $0 }
      let month = try #require(
        ExpectedTotals.month(ofAzureDate: period ?? value("Date", "UsageDateTime") ?? ""))
      let key = Key(
        month: month,
        currency: value("BillingCurrency", "BillingCurrencyCode", "Currency") ?? "")
      let cost = IndependentCSV.nanos(value("CostInBillingCurrency", "Cost", "PreTaxCost"))
      var sums = self.sums[key] ?? Sums()
      sums.rows += 1
      sums.billed += cost
      sums.effective += cost
      sums.list += value("paygCostInBillingCurrency").map { IndependentCSV.nanos($0) } ?? cost
      sums.contracted += cost
      self.sums[key] = sums
    }
  }

  /// `09/01/2023`, `9/1/2023`, `2023-09-01` or `2019-07-29 00:00:00` → `2023-09`.
  static func month(ofAzureDate text: String) -> String? {
    if text.contains("/") {
      let parts = text.split(separator: "/")
      guard parts.count == 3, let month = Int(parts[0]) else { return nil }
      return "\(parts[2])-\(month < 10 ? "0" : "")\(month)"
    }
    return text.count >= 7 ? String(text.prefix(7)) : nil
  }

  /// GCP billing export copied to CSV: per invoice month and currency, billed and effective
  /// cost are `cost` plus every credit amount (net of credits); list cost is `cost_at_list`
  /// where given, else `cost`; contracted cost is `cost`. Each credit is a line of its own.
  /// Credit amounts are found with a regular expression, whatever the quoting (JSON or Python
  /// `repr`), not with tally's parser.
  init(gcpFile path: String) throws {
    let amount = try Regex(#"['"]amount['"]\s*:\s*(-?[0-9.eE+-]+)"#)
    for row in try IndependentCSV.rows(path) {
      let invoice = row["invoice.month"] ?? ""
      let month =
        invoice.count == 6
        ? "\(invoice.prefix(4))-\(invoice.suffix(2))"
        : String((row["usage_start_time"] ?? "").prefix(7))
      let key = Key(month: month, currency: row["currency"] ?? "")
      let cost = IndependentCSV.nanos(row["cost"])
      let credits = (row["credits"] ?? "").matches(of: amount).map {
        IndependentCSV.nanos(String($0.output[1].substring ?? ""))
      }
      var sums = self.sums[key] ?? Sums()
      sums.rows += 1 + credits.count
      sums.billed += cost + credits.reduce(0, +)
      sums.effective += cost + credits.reduce(0, +)
      let list = row["cost_at_list"] ?? ""
      sums.list += list.isEmpty ? cost : IndependentCSV.nanos(list)
      sums.contracted += cost
      self.sums[key] = sums
    }
  }

  /// OCI cost report: `cost/myCost` counts as all four costs, in the month the usage starts.
  init(ociFile path: String) throws {
    for row in try IndependentCSV.rows(path) {
      let key = Key(
        month: String((row["lineItem/intervalUsageStart"] ?? "").prefix(7)),
        currency: row["cost/currencyCode"] ?? "")
      let cost = IndependentCSV.nanos(row["cost/myCost"])
      var sums = self.sums[key] ?? Sums()
      sums.rows += 1
      sums.billed += cost
      sums.effective += cost
      sums.list += cost
      sums.contracted += cost
      self.sums[key] = sums
    }
  }

  init(_ sums: [Key: Sums]) { self.sums = sums }

  /// The totals of several files imported into one store.
  static func + (lhs: ExpectedTotals, rhs: ExpectedTotals) -> ExpectedTotals {
    var sums = lhs.sums
    for (key, value) in rhs.sums {
      var sum = sums[key] ?? Sums()
      sum.rows += value.rows
      sum.billed += value.billed
      sum.effective += value.effective
      sum.list += value.list
      sum.contracted += value.contracted
      sums[key] = sum
    }
    return ExpectedTotals(sums)
  }
}

/// `lineItem/UnblendedCost` → `line_item_unblended_cost`, `reservation/ReservationARN` →
/// `reservation_reservation_a_r_n`: the Athena spelling, derived without tally's header code.
func snakeCase(_ slashName: String) -> String {
  var out = ""
  for character in slashName {
    if character.isUppercase {
      out += "_" + character.lowercased()
    } else if character == "/" || character == ":" {
      out += "_"
    } else {
      out.append(character)
    }
  }
  while out.contains("__") { out = out.replacingOccurrences(of: "__", with: "_") }
  return out
}
