import Foundation

/// How a command prints its results: an aligned table for a terminal, JSON for scripts, CSV
/// for spreadsheets.
public enum OutputFormat: String, CaseIterable, Sendable {
  /// Aligned columns for people.
  case table
  /// One JSON document; money as decimal strings.
  case json
  /// RFC 4180 CSV with a header row; formula-like cells neutralised.
  case csv
}

/// A result as rows and columns, renderable in each `OutputFormat` but JSON (which each result
/// shapes itself).
public struct ResultTable: Sendable {
  /// Column headings.
  public var columns: [String]
  /// Which columns are right-aligned numbers in the table form.
  public var numeric: Set<Int>
  /// The cells, row by row.
  public var rows: [[String]]

  /// Creates a table.
  public init(columns: [String], numeric: Set<Int> = [], rows: [[String]] = []) {
    self.columns = columns
    self.numeric = numeric
    self.rows = rows
  }

  /// Columns padded to their widest cell, numbers right-aligned, a rule under the heading.
  public func renderedAsText() -> String {
    var widths = columns.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
        return numeric.contains(index) ? padding + cell : cell + padding
      }.joined(separator: "  ").replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression)
    }
    var text = line(columns) + "\n"
    text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for row in rows { text += line(row) + "\n" }
    return text
  }

  /// RFC 4180 CSV, CRLF line ends, every cell escaped by `CSVCell.escaped`.
  public func renderedAsCSV() -> String {
    ([columns] + rows).map { $0.map(CSVCell.escaped).joined(separator: ",") }.joined(
      separator: "\r\n")
      + "\r\n"
  }
}

/// Escaping of one CSV cell.
public enum CSVCell {
  /// Quotes a cell when it holds a comma, quote, CR or LF (doubling quotes), and neutralises a
  /// cell that a spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`, tab
  /// or carriage return) by prefixing a single quote — unless it is a plain number such as
  /// `-12.50`, which stays a number.
  public static func escaped(_ cell: String) -> String {
    var text = cell
    if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
      !isPlainNumber(text)
    {
      text = "'" + text
    }
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return text
    }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  private static func isPlainNumber(_ text: String) -> Bool {
    var rest = Substring(text)
    if rest.first == "-" { rest = rest.dropFirst() }
    let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), !parts[0].isEmpty else { return false }
    return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
  }
}

/// JSON for command output: sorted keys so that output is stable, no escaped slashes.
public func renderJSON(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
  return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}
