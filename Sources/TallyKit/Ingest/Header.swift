/// The header row of a CSV export, with columns found by normalised name: lower-case letters
/// and digits only, so `lineItem/UnblendedCost`, `line_item_unblended_cost` and
/// `LineItem/UnblendedCost` all name the same column.
struct Header {
  /// The column names exactly as written.
  let names: [String]
  private let positions: [String: Int]

  init(_ names: [String]) {
    self.names = names
    var positions: [String: Int] = [:]
    for (index, name) in names.enumerated() where positions[Header.normalise(name)] == nil {
      positions[Header.normalise(name)] = index
    }
    self.positions = positions
  }

  /// The position of the first of `candidates` that the header has.
  func index(_ candidates: String...) -> Int? {
    for candidate in candidates {
      if let index = positions[Header.normalise(candidate)] { return index }
    }
    return nil
  }

  /// True when the header has every one of `names`.
  func has(_ names: String...) -> Bool {
    names.allSatisfy { positions[Header.normalise($0)] != nil }
  }

  /// Lower-case ASCII letters and digits of `name`, in order.
  static func normalise(_ name: String) -> String {
    String(
      String.UnicodeScalarView(
        name.unicodeScalars.lazy.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
          .flatMap { $0.properties.lowercaseMapping.unicodeScalars }))
  }
}
