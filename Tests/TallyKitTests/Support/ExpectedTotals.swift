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

  init(_ sums: [Key: Sums]) { self.sums = sums }
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
