extension BillingMonth {
  /// The month `count` months later (earlier when negative).
  public func adding(months count: Int) -> BillingMonth {
    let index = year * 12 + (month - 1) + count
    let year = index >= 0 ? index / 12 : (index - 11) / 12
    return BillingMonth(year: year, month: index - year * 12 + 1)
  }
}
