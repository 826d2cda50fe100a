/// Parses the JSON object of a tag column (`{"team":"payments","env":"prod"}`) into raw
/// key/value pairs, in the order written.
///
/// Values are kept as text: strings unescaped, numbers as written, `true` (a valueless tag) as
/// the empty string, `false` as `false`; `null` drops the pair. A nested object or array is
/// kept as its JSON text. Throws with the 0-based byte offset of the first bad byte.
enum FlatJSONObject {
  /// Why a tag column is not a JSON object.
  struct ParseError: Error {
    var message: String
    var offset: Int
  }

  /// Parses `bytes`. `bracesOptional` accepts the brace-less form Azure writes
  /// (`"team": "payments","env": "prod"`). Empty input is an empty object.
  static func parse(_ bytes: UnsafeRawBufferPointer, bracesOptional: Bool = false)
    throws(ParseError)
    -> [(key: String, value: String)]
  {
    var parser = Parser(bytes: bytes)
    parser.skipSpace()
    if parser.atEnd { return [] }
    let braced = parser.peek == UInt8(ascii: "{")
    if braced {
      parser.index += 1
    } else if !bracesOptional {
      throw ParseError(message: "expected a JSON object starting with {", offset: parser.index)
    }
    var pairs: [(key: String, value: String)] = []
    parser.skipSpace()
    let closing = UInt8(ascii: "}")
    if braced && parser.peek == closing {
      parser.index += 1
    } else if !parser.atEnd {
      while true {
        parser.skipSpace()
        let key = try parser.string()
        parser.skipSpace()
        try parser.expect(UInt8(ascii: ":"))
        parser.skipSpace()
        if let value = try parser.value() { pairs.append((key, value)) }
        parser.skipSpace()
        if parser.peek == UInt8(ascii: ",") {
          parser.index += 1
          continue
        }
        if braced { try parser.expect(closing) }
        break
      }
    }
    parser.skipSpace()
    guard parser.atEnd else {
      throw ParseError(message: "unexpected text after the object", offset: parser.index)
    }
    return pairs
  }

  private struct Parser {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    mutating func skipSpace() {
      while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        index += 1
      }
    }

    mutating func expect(_ byte: UInt8) throws(ParseError) {
      guard peek == byte else {
        throw ParseError(message: "expected '\(Character(UnicodeScalar(byte)))'", offset: index)
      }
      index += 1
    }

    mutating func string() throws(ParseError) -> String {
      try expect(UInt8(ascii: "\""))
      var utf8: [UInt8] = []
      while let byte = peek {
        index += 1
        switch byte {
        case UInt8(ascii: "\""):
          return String(decoding: utf8, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard let escaped = peek else { break }
          index += 1
          switch escaped {
          case UInt8(ascii: "n"): utf8.append(0x0A)
          case UInt8(ascii: "t"): utf8.append(0x09)
          case UInt8(ascii: "r"): utf8.append(0x0D)
          case UInt8(ascii: "b"): utf8.append(0x08)
          case UInt8(ascii: "f"): utf8.append(0x0C)
          case UInt8(ascii: "u"): try unicodeEscape(into: &utf8)
          default: utf8.append(escaped)
          }
        default:
          utf8.append(byte)
        }
      }
      throw ParseError(message: "unterminated string", offset: index)
    }

    private mutating func hex4() throws(ParseError) -> UInt32 {
      guard index + 4 <= bytes.count else {
        throw ParseError(message: "bad \\u escape", offset: index)
      }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let byte = bytes[index]
        let digit: UInt32
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
        default: throw ParseError(message: "bad \\u escape", offset: index)
        }
        value = value << 4 | digit
        index += 1
      }
      return value
    }

    private mutating func unicodeEscape(into utf8: inout [UInt8]) throws(ParseError) {
      var scalar = try hex4()
      if (0xD800..<0xDC00).contains(scalar), peek == UInt8(ascii: "\\"), index + 1 < bytes.count,
        bytes[index + 1] == UInt8(ascii: "u")
      {
        index += 2
        let low = try hex4()
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
      }
      utf8.append(contentsOf: String(Character(UnicodeScalar(scalar) ?? "\u{FFFD}")).utf8)
    }

    /// A scalar as text, nil for null; nested values as their JSON text.
    mutating func value() throws(ParseError) -> String? {
      guard let byte = peek else { throw ParseError(message: "expected a value", offset: index) }
      switch byte {
      case UInt8(ascii: "\""):
        return try string()
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        let start = index
        try skipNested()
        return String(
          decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
      default:
        let start = index
        while let next = peek, next != UInt8(ascii: ","), next != UInt8(ascii: "}"), next != 0x20,
          next != 0x0A, next != 0x0D, next != 0x09
        {
          index += 1
        }
        let word = String(
          decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        switch word {
        case "true": return ""
        case "false": return "false"
        case "null": return nil
        default:
          guard !word.isEmpty, Double(word) != nil else {
            throw ParseError(
              message: "expected a string, number, true, false or null", offset: start)
          }
          return word
        }
      }
    }

    private mutating func skipNested() throws(ParseError) {
      var depth = 0
      var inString = false
      while let byte = peek {
        index += 1
        if inString {
          if byte == UInt8(ascii: "\\") {
            index += 1
          } else if byte == UInt8(ascii: "\"") {
            inString = false
          }
          continue
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 0 { return }
        default: break
        }
      }
      throw ParseError(message: "unterminated nested value", offset: index)
    }
  }
}
