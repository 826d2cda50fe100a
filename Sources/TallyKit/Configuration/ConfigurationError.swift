/// A configuration file that cannot be used: the command exits with code 2.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
  /// The file, as named.
  public var file: String
  /// The 1-based line of the offending key or value, when known.
  public var line: Int?
  /// What was expected and what was found.
  public var message: String

  /// Creates a configuration error.
  public init(_ message: String, file: String, line: Int? = nil) {
    self.message = message
    self.file = file
    self.line = line
  }

  /// `file:line: message`.
  public var description: String {
    "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
  }
}
