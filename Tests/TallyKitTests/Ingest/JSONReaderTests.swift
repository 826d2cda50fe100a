import Foundation
import Testing

@testable import TallyKit

/// The JSON reader: values, numbers kept as written, Python literals on request, errors with
/// line and column, and streamed arrays read in chunks as small as one byte.
@Suite struct JSONReaderTests {
  private func parse(_ text: String, python: Bool = false) throws -> JSONValue {
    try JSONReader.parse(text: text, pythonLiterals: python)
  }

  @Test func scalarsAndNesting() throws {
    let value = try parse(#"{"a": [1, -2.5e-3, "x\u00e9\n", true, null], "b": {"c": "012"}}"#)
    #expect(value["a"]?.array?.count == 5)
    #expect(value["a"]?.array?[1].text == "-2.5e-3")
    #expect(value["a"]?.array?[2].text == "xé\n")
    #expect(value.at("b", "c")?.text == "012")
    #expect(value.jsonText == #"{"a":[1,-2.5e-3,"xé\n",true,null],"b":{"c":"012"}}"#)
  }

  @Test(arguments: ["{", #"{"a" 1}"#, "[1,]", "tru", #"{'a': 1}"#, "01x", #""\q""#])
  func malformedTextIsRejected(_ text: String) {
    #expect(throws: JSONSyntaxError.self) { try parse(text) }
  }

  @Test func pythonLiterals() throws {
    let value = try parse("[{'a': None, 'b': True, 'c': 'it\\'s'}]", python: true)
    let first = try #require(value.array?.first)
    #expect(first["b"]?.text == "true")
    #expect(first["c"]?.text == "it's")
  }

  /// Tags in every shape an export or API writes them.
  @Test func tagShapes() throws {
    let shapes = [
      #"{"team": "a", "flag": true, "gone": null}"#,
      #"[{"Key": "team", "Value": "a"}, {"Key": "flag", "Value": ""}]"#,
      #"[{"key": "team", "value": "a"}, {"key": "flag", "value": ""}]"#,
      #"[{"tagKey": "team", "tagValue": "a"}, {"tagKey": "flag", "tagValue": ""}]"#,
    ]
    for text in shapes {
      let pairs = try #require(tagPairs(try parse(text)))
      #expect(pairs.map { "\($0.key)=\($0.value)" } == ["team=a", "flag="], "\(text)")
    }
    #expect(tagPairs(try parse(#""text""#)) == nil)
  }

  /// Streamed elements arrive one at a time with their path and line; the rest of the
  /// document arrives at its end; a second document (JSON lines) follows.
  @Test(arguments: [1, 7, 4096])
  func streamingInChunks(chunk: Int) throws {
    let text = """
      {"meta": {"n": 2}, "data": {"rows": [
        {"id": 1},
        {"id": 2}
      ]}}
      {"meta": {"n": 0}}
      """
    let source = ChunkedSource(Array(text.utf8), chunk: chunk)
    let reader = JSONReader(source: source, path: "t.json")
    var elements: [String] = []
    var documents: [String] = []
    try reader.readAll(
      streaming: [["data", "rows"]],
      element: { path, value, line in
        elements.append("\(path.joined(separator: ".")) \(value.jsonText) @\(line)")
      },
      document: { value, line in documents.append("\(value.jsonText) @\(line)") })
    #expect(elements == [#"data.rows {"id":1} @2"#, #"data.rows {"id":2} @3"#])
    #expect(documents == [#"{"meta":{"n":2},"data":{"rows":[]}} @1"#, #"{"meta":{"n":0}} @5"#])
  }

  @Test func errorsNameLineAndColumn() throws {
    let source = ChunkedSource(Array("{\n  \"a\": [1,\n  2,,\n]}".utf8), chunk: 3)
    let reader = JSONReader(source: source, path: "bad.json")
    let error = try #require(throws: InputError.self) {
      try reader.readAll { _, _ in }
    }
    #expect(error.location.file == "bad.json")
    #expect(error.location.line == 3)
    #expect(error.location.column == 5)
  }

  @Test func memberNamesOfATruncatedPrefix() {
    let text = #"{"ResourceTagMappingList": [{"ResourceARN": "arn:aws:x", "Tags": [{"Key": "a:b"#
    let names = Array(text.utf8).withUnsafeBytes { FormatDetection.memberNames($0) }
    #expect(names == ["ResourceTagMappingList", "ResourceARN", "Tags", "Key"])
  }
}

/// Bytes handed out a few at a time, to exercise refills.
private final class ChunkedSource: ByteSource {
  private let bytes: [UInt8]
  private let chunk: Int
  private var offset = 0

  init(_ bytes: [UInt8], chunk: Int) {
    self.bytes = bytes
    self.chunk = chunk
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let count = min(chunk, buffer.count, bytes.count - offset)
    for index in 0..<count { buffer[index] = bytes[offset + index] }
    offset += count
    return count
  }
}
