extension MonthReport {
  /// Billed cost per day of the month (by when each charge started), one line per currency.
  /// Days are those the lines name, so a charge dated outside the month shows up at its own
  /// date rather than being moved or dropped.
  func dailyChart() -> String {
    let days = Set(daily.map(\.day)).sorted()
    let series = Set(daily.map(\.currency)).sorted().map { currency in
      let costs = Dictionary(
        daily.filter { $0.currency == currency }.map { ($0.day, $0.cost.billed.nanos) },
        uniquingKeysWith: { first, _ in first })
      return SVGChart.Series(name: currency, values: days.map { costs[$0] })
    }
    return SVGChart.lines(
      title: "Billed cost per day and currency, \(month)",
      categories: days.map { day in
        let (_, month, dayOfMonth) = Timestamp.civilFromDays(day)
        return (month < 10 ? "0" : "") + "\(month)-" + (dayOfMonth < 10 ? "0" : "")
          + "\(dayOfMonth)"
      }, series: series, format: { Money(nanos: $0).groupedCents })
  }
}
