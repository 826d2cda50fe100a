extension HTMLPage.Table {
  /// A table of the costliest items (given costliest first): the first `limit` by name, the
  /// rest folded into one "N others" row, and a total. Amounts are rounded to cents by largest
  /// remainder, so the rows add up to the rounded total. `cells` gives an item's cells before
  /// its amount; the amount is the last column.
  static func costliest<Item>(
    _ items: [Item], limit: Int, caption: String, columns: [(name: String, numeric: Bool)],
    emptyText: String, amount: (Item) -> Money, cells: (Item) throws(MoneyError) -> [HTMLPage.Cell]
  ) throws(MoneyError) -> HTMLPage.Table {
    // One item more than the limit is shown rather than folded into "1 others".
    let count = items.count == limit + 1 ? items.count : limit
    let shown = Array(items.prefix(count))
    let others = items.dropFirst(count)
    var amounts = shown.map(amount)
    if !others.isEmpty { amounts.append(try Money.sum(others.map(amount))) }
    let rounded = Money.roundedPreservingTotal(amounts, fractionDigits: 2)
    let blanks = Array(repeating: HTMLPage.Cell.text(""), count: max(0, columns.count - 2))
    var rows: [[HTMLPage.Cell]] = []
    for (index, item) in shown.enumerated() {
      rows.append(try cells(item) + [.amount(rounded[index])])
    }
    if !others.isEmpty {
      rows.append([.text("\(others.count) others")] + blanks + [.amount(rounded[shown.count])])
    }
    return HTMLPage.Table(
      caption: caption, columns: columns, rows: rows,
      footer: items.isEmpty ? [] : [[.text("Total")] + blanks + [.amount(try Money.sum(rounded))]],
      emptyText: emptyText)
  }
}
