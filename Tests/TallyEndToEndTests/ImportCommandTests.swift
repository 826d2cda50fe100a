import Foundation
import Testing

/// `tally import` as a user runs it: the exit code and what it prints.
@Suite struct ImportCommandTests {
  /// A file tally cannot recognise fails with exit code 3 (input error) and a message that says
  /// what was looked for; nothing is written to standard output as an import.
  @Test func unrecognisedFileExitsWithCode3() throws {
    let scratch = try ScratchDirectory()
    let run = try TallyBinary.run([
      "--db", scratch.file("t.sqlite"), "import", TallyBinary.fixture("unrecognised.csv"),
    ])
    #expect(run.status == 3)
    #expect(run.standardError.contains("unrecognised.csv:1"))
    #expect(run.standardError.contains("looked for"))
  }
}
