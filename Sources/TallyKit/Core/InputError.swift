/// A place in an input file: the file, and where known the line and column.
///
/// For CSV files `line` is the physical line (1-based) on which the record starts and `column`
/// is the 1-based field number, with the header name beside it when there is one.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// The path of the file, as the user named it.
  public var file: String
  /// The 1-based line, or nil when the problem concerns the whole file.
  public var line: Int?
  /// The 1-based column (CSV field number, or character for JSON).
  public var column: Int?
  /// The header name of the column, when the file has one.
  public var columnName: String?

  /// Creates a location.
  public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil) {
    self.file = file
    self.line = line
    self.column = column
    self.columnName = columnName
  }

  /// `file:line:column (name)`, leaving out what is not known.
  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if let column { text += ":\(column)" }
    if let columnName { text += " (\(columnName))" }
    return text
  }
}

/// An input file that cannot be imported. The import it belongs to is rolled back; the
/// command exits with code 3.
public struct InputError: Error, Sendable, CustomStringConvertible {
  /// Where the problem is.
  public var location: SourceLocation
  /// What was expected and what was found, in words a user can act on.
  public var message: String

  /// Creates an input error.
  public init(_ message: String, at location: SourceLocation) {
    self.message = message
    self.location = location
  }

  /// `file:line:column (name): message`, as compilers print diagnostics.
  public var description: String { "\(location): \(message)" }
}
