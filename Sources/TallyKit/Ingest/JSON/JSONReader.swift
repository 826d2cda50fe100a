/// Why some text is not JSON: a message and the 0-based byte offset of the problem.
struct JSONSyntaxError: Error {
  var message: String
  var offset: Int
  /// The 1-based line and column, for text read from a file.
  var line = 1
  var column = 1
}

/// Reads JSON values: one document, or a sequence of them (newline-delimited JSON), from a byte
/// source in chunks.
///
/// A big document is not held in memory when its bulk is an array reached through objects only
/// (`{"ResourceTagMappingList": [...]}`, `{"data": {"rows": [...]}}`): the caller names such
/// arrays by their key path (`"*"` matches any key) and receives their elements one at a time;
/// the rest of the document is built and handed over at its end, with those arrays left empty.
///
/// With `pythonLiterals` the reader also accepts the Python `repr` of the same data, as found in
/// CSV copies of BigQuery exports: single-quoted strings, `None`, `True` and `False`.
final class JSONReader {
  private let source: (any ByteSource)?
  private let path: String
  private let pythonLiterals: Bool
  private var buffer: UnsafeMutableRawBufferPointer
  private let ownsBuffer: Bool
  private var count = 0
  private var index = 0
  /// Bytes consumed before the start of the buffer.
  private var consumedBefore = 0
  private var line = 1
  /// The absolute offset at which the current line starts.
  private var lineStart = 0
  private var depth = 0
  private var scratch: [UInt8] = []

  private static let maximumDepth = 512

  /// A reader of a file's bytes (already decompressed); `path` is named in errors.
  init(source: any ByteSource, path: String, pythonLiterals: Bool = false) {
    self.source = source
    self.path = path
    self.pythonLiterals = pythonLiterals
    buffer = .allocate(byteCount: 1 << 16, alignment: 1)
    ownsBuffer = true
  }

  private init(bytes: UnsafeRawBufferPointer, pythonLiterals: Bool) {
    source = nil
    path = ""
    self.pythonLiterals = pythonLiterals
    buffer = UnsafeMutableRawBufferPointer(mutating: bytes)
    count = bytes.count
    ownsBuffer = false
  }

  deinit {
    if ownsBuffer { buffer.deallocate() }
  }

  /// Parses `bytes` as exactly one value (surrounding white space allowed).
  static func parse(_ bytes: UnsafeRawBufferPointer, pythonLiterals: Bool = false)
    throws(JSONSyntaxError) -> JSONValue
  {
    let reader = JSONReader(bytes: bytes, pythonLiterals: pythonLiterals)
    do {
      try reader.skipSpace()
      let value = try reader.value(path: nil, streaming: [], element: { _, _, _ in })
      try reader.skipSpace()
      guard try reader.peek() == nil else {
        throw reader.syntax("unexpected text after the value")
      }
      return value
    } catch let error as JSONSyntaxError {
      throw error
    } catch {
      throw JSONSyntaxError(message: "\(error)", offset: reader.offset)
    }
  }

  /// Parses `text` as exactly one value.
  static func parse(text: String, pythonLiterals: Bool = false) throws(JSONSyntaxError)
    -> JSONValue
  {
    let result = Array(text.utf8).withUnsafeBytes { bytes in
      Result { () throws(JSONSyntaxError) in try parse(bytes, pythonLiterals: pythonLiterals) }
    }
    return try result.get()
  }

  /// Reads every top-level value of the file in order.
  ///
  /// - Parameters:
  ///   - streaming: key paths of arrays whose elements go to `element` one at a time.
  ///   - element: receives the key path, an element and the line it starts on.
  ///   - document: receives each top-level value (streamed arrays left empty) and its line.
  /// - Throws: ``InputError`` at the file, line and column of bad JSON, or what the closures
  ///   throw.
  func readAll(
    streaming: [[String]] = [],
    element: ([String], JSONValue, Int) throws -> Void = { _, _, _ in },
    document: (JSONValue, Int) throws -> Void
  ) throws {
    do {
      try skipByteOrderMark()
      while true {
        try skipSpace()
        guard try peek() != nil else { return }
        let startLine = line
        let value = try self.value(path: [], streaming: streaming, element: element)
        try document(value, startLine)
      }
    } catch let error as JSONSyntaxError {
      throw InputError(
        "bad JSON: \(error.message)",
        at: SourceLocation(file: path, line: error.line, column: error.column))
    }
  }

  // MARK: - Bytes

  private var offset: Int { consumedBefore + index }

  private func peek() throws -> UInt8? {
    if index < count { return buffer[index] }
    guard let source else { return nil }
    consumedBefore += count
    index = 0
    count = try source.read(into: buffer)
    return count > 0 ? buffer[0] : nil
  }

  private func advance(_ byte: UInt8) {
    index += 1
    if byte == 0x0A {
      line += 1
      lineStart = offset
    }
  }

  private func next() throws -> UInt8? {
    guard let byte = try peek() else { return nil }
    advance(byte)
    return byte
  }

  private func syntax(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(
      message: message, offset: offset, line: line, column: offset - lineStart + 1)
  }

  private func skipByteOrderMark() throws {
    guard try peek() == 0xEF else { return }
    for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
      guard try next() == expected else { throw syntax("expected a JSON value") }
    }
  }

  private func skipSpace() throws {
    while let byte = try peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
      advance(byte)
    }
  }

  private func expect(_ expected: UInt8) throws {
    guard let byte = try peek(), byte == expected else {
      throw syntax("expected '\(Character(UnicodeScalar(expected)))'")
    }
    advance(byte)
  }

  // MARK: - Values

  /// Parses one value. `path` is the key path from the root while only objects were crossed
  /// (nil once inside an array); arrays at a streamed path go to `element`.
  private func value(
    path: [String]?, streaming: [[String]],
    element: ([String], JSONValue, Int) throws -> Void
  ) throws -> JSONValue {
    guard let byte = try peek() else { throw syntax("expected a value, found the end") }
    switch byte {
    case UInt8(ascii: "{"):
      return try object(path: path, streaming: streaming, element: element)
    case UInt8(ascii: "["):
      if let path, streaming.contains(where: { matches($0, path) }) {
        try streamArray(path: path, element: element)
        return .array([])
      }
      return try array()
    case UInt8(ascii: "\""):
      return .string(try string(quote: byte))
    case UInt8(ascii: "'") where pythonLiterals:
      return .string(try string(quote: byte))
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .number(try number())
    default:
      let word = try bareWord()
      switch word {
      case "true": return .bool(true)
      case "false": return .bool(false)
      case "null": return .null
      case "True" where pythonLiterals: return .bool(true)
      case "False" where pythonLiterals: return .bool(false)
      case "None" where pythonLiterals: return .null
      default:
        throw syntax(
          word.isEmpty
            ? "expected a value, found '\(Character(UnicodeScalar(byte)))'"
            : "expected a value, found \"\(word.prefix(20))\"")
      }
    }
  }

  private func matches(_ pattern: [String], _ path: [String]) -> Bool {
    pattern.count == path.count && zip(pattern, path).allSatisfy { $0 == "*" || $0 == $1 }
  }

  private func enter() throws {
    depth += 1
    guard depth <= JSONReader.maximumDepth else {
      throw syntax("nested more than \(JSONReader.maximumDepth) levels deep")
    }
  }

  private func object(
    path: [String]?, streaming: [[String]],
    element: ([String], JSONValue, Int) throws -> Void
  ) throws -> JSONValue {
    try enter()
    defer { depth -= 1 }
    try expect(UInt8(ascii: "{"))
    var object = JSONObject()
    try skipSpace()
    if try peek() == UInt8(ascii: "}") {
      _ = try next()
      return .object(object)
    }
    while true {
      try skipSpace()
      guard let quote = try peek(),
        quote == UInt8(ascii: "\"") || (pythonLiterals && quote == UInt8(ascii: "'"))
      else { throw syntax("expected a member name in double quotes") }
      let key = try string(quote: quote)
      try skipSpace()
      try expect(UInt8(ascii: ":"))
      try skipSpace()
      let value = try self.value(
        path: path.map { $0 + [key] }, streaming: streaming, element: element)
      object.members.append((key, value))
      try skipSpace()
      switch try peek() {
      case UInt8(ascii: ","): advance(UInt8(ascii: ","))
      case UInt8(ascii: "}"):
        advance(UInt8(ascii: "}"))
        return .object(object)
      default: throw syntax("expected ',' or '}' after a member")
      }
    }
  }

  private func array() throws -> JSONValue {
    try enter()
    defer { depth -= 1 }
    try expect(UInt8(ascii: "["))
    var elements: [JSONValue] = []
    try skipSpace()
    if try peek() == UInt8(ascii: "]") {
      _ = try next()
      return .array(elements)
    }
    while true {
      try skipSpace()
      elements.append(try value(path: nil, streaming: [], element: { _, _, _ in }))
      try skipSpace()
      switch try peek() {
      case UInt8(ascii: ","): advance(UInt8(ascii: ","))
      case UInt8(ascii: "]"):
        advance(UInt8(ascii: "]"))
        return .array(elements)
      default: throw syntax("expected ',' or ']' after an element")
      }
    }
  }

  private func streamArray(path: [String], element: ([String], JSONValue, Int) throws -> Void)
    throws
  {
    try expect(UInt8(ascii: "["))
    try skipSpace()
    if try peek() == UInt8(ascii: "]") {
      _ = try next()
      return
    }
    while true {
      try skipSpace()
      let startLine = line
      let value = try self.value(path: nil, streaming: [], element: { _, _, _ in })
      try element(path, value, startLine)
      try skipSpace()
      switch try peek() {
      case UInt8(ascii: ","): advance(UInt8(ascii: ","))
      case UInt8(ascii: "]"):
        advance(UInt8(ascii: "]"))
        return
      default: throw syntax("expected ',' or ']' after an element")
      }
    }
  }

  private func bareWord() throws -> String {
    scratch.removeAll(keepingCapacity: true)
    while let byte = try peek(),
      (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    {
      scratch.append(byte)
      advance(byte)
    }
    return String(decoding: scratch, as: UTF8.self)
  }

  /// A number as written, checked against JSON's grammar (Python's `1e-06` is the same).
  private func number() throws -> String {
    scratch.removeAll(keepingCapacity: true)
    func digits() throws -> Int {
      var seen = 0
      while let byte = try peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        scratch.append(byte)
        advance(byte)
        seen += 1
      }
      return seen
    }
    if try peek() == UInt8(ascii: "-") {
      scratch.append(UInt8(ascii: "-"))
      _ = try next()
    }
    guard try digits() > 0 else { throw syntax("expected digits") }
    if try peek() == UInt8(ascii: ".") {
      scratch.append(UInt8(ascii: "."))
      _ = try next()
      guard try digits() > 0 else { throw syntax("expected digits after '.'") }
    }
    if let byte = try peek(), byte | 0x20 == UInt8(ascii: "e") {
      scratch.append(byte)
      advance(byte)
      if let sign = try peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
        scratch.append(sign)
        advance(sign)
      }
      guard try digits() > 0 else { throw syntax("expected digits in the exponent") }
    }
    return String(decoding: scratch, as: UTF8.self)
  }

  private func string(quote: UInt8) throws -> String {
    try expect(quote)
    scratch.removeAll(keepingCapacity: true)
    while true {
      guard let byte = try next() else { throw syntax("unterminated string") }
      switch byte {
      case quote:
        return String(decoding: scratch, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard let escaped = try next() else { throw syntax("unterminated string") }
        switch escaped {
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "u"): try unicodeEscape()
        case UInt8(ascii: "x") where pythonLiterals:
          appendScalar(try hex(digits: 2))
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
          scratch.append(escaped)
        case UInt8(ascii: "'") where pythonLiterals:
          scratch.append(escaped)
        default:
          throw syntax("bad escape '\\\(Character(UnicodeScalar(escaped)))' in a string")
        }
      case 0x00..<0x20 where quote == UInt8(ascii: "\""):
        throw syntax("a control character inside a string")
      default:
        scratch.append(byte)
      }
    }
  }

  private func hex(digits: Int) throws -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<digits {
      guard let byte = try next() else { throw syntax("bad \\u escape") }
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw syntax("bad hexadecimal digit in an escape")
      }
      value = value << 4 | digit
    }
    return value
  }

  private func unicodeEscape() throws {
    var scalar = try hex(digits: 4)
    if (0xD800..<0xDC00).contains(scalar), try peek() == UInt8(ascii: "\\") {
      _ = try next()
      guard try next() == UInt8(ascii: "u") else { throw syntax("bad surrogate pair") }
      let low = try hex(digits: 4)
      scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
    }
    appendScalar(scalar)
  }

  private func appendScalar(_ value: UInt32) {
    let scalar = UnicodeScalar(value) ?? "\u{FFFD}"
    scratch.append(contentsOf: String(Character(scalar)).utf8)
  }
}
