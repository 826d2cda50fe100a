/// Amounts shown to people: rounded to cents so that a column's rows add up to its rounded
/// total (largest-remainder rounding).
enum MoneyColumn {
  /// `amounts` in cents, as text, in the same order.
  static func cents(_ amounts: [Money]) -> [String] {
    Money.roundedPreservingTotal(amounts, fractionDigits: 2).map {
      $0.formatted(fractionDigits: 2)
    }
  }

  /// `amounts` and, last, their total, in cents: the rows add up to the total shown.
  static func centsWithTotal(_ amounts: [Money]) throws(MoneyError) -> [String] {
    let total = try Money.sum(amounts)
    let rounded = Money.roundedPreservingTotal(amounts, fractionDigits: 2)
    let shownTotal = Money.roundedPreservingTotal([total], fractionDigits: 2)[0]
    return (rounded + [shownTotal]).map { $0.formatted(fractionDigits: 2) }
  }
}
