import Foundation
import Testing

@testable import TallyKit

/// DESIGN.md "Imports" and invariants 2–5: the same bytes are skipped, a newer delivery of a
/// source and month replaces the older one, and a bad file rolls back entirely, leaving the
/// database byte for byte as it was.
@Suite struct ImportSemanticsTests {
  static let cur = TestPaths.fixture("cur/every-line-item-type.csv")

  @Test func sameBytesTwiceChangeNothing() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let first = try Importer(store: store).importDelivery(at: Self.cur)
    let before = try store.monthTotals()
    let copy = directory.file("copy-of-the-same-bytes.csv")
    try FileManager.default.copyItem(atPath: Self.cur, toPath: copy)
    let second = try Importer(store: store).importDelivery(at: copy)
    #expect(first.status == .imported)
    #expect(second.status == .skipped)
    #expect(second.importID == first.importID)
    #expect(try store.monthTotals() == before)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM imports") == 1)
  }

  /// A new file is hashed on a thread of its own while it is imported; the import records the
  /// hash of the bytes (computed here by the system's `sha256sum`) for the delivery and the file.
  @Test func importRecordsTheHashOfTheBytes() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let outcome = try Importer(store: store).importDelivery(at: Self.cur)
    let expected = try systemSHA256(Self.cur, in: directory)
    #expect(outcome.status == .imported)
    #expect(try store.connection.scalarText("SELECT sha256 FROM imports") == expected)
    #expect(try store.connection.scalarText("SELECT sha256 FROM import_files") == expected)
  }

  /// Files of a size never imported are hashed while they are read: when the hash then shows
  /// the bytes were imported after all (here the recorded size was altered), the import is rolled
  /// back and reported as skipped.
  @Test func sameBytesFoundAfterReadingAreSkipped() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let first = try Importer(store: store).importDelivery(at: Self.cur)
    try store.connection.execute("UPDATE import_files SET byte_count = 1")
    let before = try store.monthTotals()
    let second = try Importer(store: store).importDelivery(at: Self.cur)
    #expect(second.status == .skipped)
    #expect(second.importID == first.importID)
    #expect(try store.monthTotals() == before)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM imports") == 1)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM cost_lines") == 14)
  }

  private func systemSHA256(_ path: String, in directory: TemporaryDirectory) throws -> String {
    let output = directory.file("sha256sum.out")
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", path]
    process.standardOutput = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return String(try String(contentsOfFile: output, encoding: .utf8).prefix(64))
  }

  /// A restated month (one amount changed, one line dropped) replaces the earlier delivery:
  /// only the newer rows remain.
  @Test func newerDeliveryReplacesTheMonth() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let first = try Importer(store: store).importDelivery(at: Self.cur)
    var lines = try String(contentsOfFile: Self.cur, encoding: .utf8).split(separator: "\n").map(
      String.init)
    lines[1] = lines[1].replacingOccurrences(of: ",10.00,", with: ",12.00,")  // l01 billed 10 → 12
    lines.removeLast()  // drop l14 (1.2E-7)
    let restated = directory.file("restated.csv")
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: restated, atomically: true, encoding: .utf8)
    let second = try Importer(store: store).importDelivery(at: restated)
    #expect(second.status == .replaced)
    #expect(second.replacedImports == [first.importID])
    #expect(try ExpectedTotals(store: store) == ExpectedTotals(curFile: restated))
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM cost_lines") == 13)
    #expect(
      try store.connection.scalarInt64(
        "SELECT count(*) FROM cost_lines WHERE import_id = \(first.importID)") == 0)
    #expect(
      try store.connection.scalarInt64(
        "SELECT replaced_by FROM imports WHERE id = \(first.importID)")
        == second.importID)
  }

  /// Another source's month is left alone: a FOCUS delivery does not replace a CUR one.
  @Test func otherSourcesAreKept() throws {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: Self.cur)
    let focus = try Importer(store: store).importDelivery(
      at: TestPaths.fixture("focus/old-names-and-quirks.csv"))
    #expect(focus.status == .imported)
    #expect(try store.connection.scalarInt64("SELECT count(*) FROM cost_lines") == 17)
  }

  enum Damage: String, CaseIterable {
    case truncatedGzip, malformedQuote, nonNumericCost, unknownFormat, badTagJSON, badDate
  }

  /// Each kind of bad file fails with an InputError naming the file (and line and column where
  /// there is one), and the database file is byte for byte what it was.
  @Test(arguments: Damage.allCases)
  func badFileRollsBackEntirely(_ damage: Damage) throws {
    let directory = try TemporaryDirectory()
    let (database, before) = try databaseWithOneImport(in: directory)
    let bad = try makeBadFile(damage, in: directory)
    let error = try failedImport(of: bad, into: database)
    #expect(error.location.file == bad)
    switch damage {
    case .truncatedGzip:
      #expect(error.message.contains("gzip"))
    case .malformedQuote:
      #expect(error.location.line == 3)
    case .nonNumericCost:
      #expect(error.location.line == 2)
      #expect(error.location.column == 14)
      #expect(error.location.columnName == "lineItem/UnblendedCost")
      #expect(error.message.contains("ten"))
    case .unknownFormat:
      #expect(error.message.contains("looked for"))
    case .badTagJSON:
      #expect(error.location.line == 2)
      #expect(error.location.columnName?.hasPrefix("Tags") == true)
    case .badDate:
      #expect(error.location.line == 3)
      #expect(error.location.columnName == "ChargePeriodStart")
    }
    let after = try Data(contentsOf: URL(fileURLWithPath: database))
    #expect(after == before, "the database changed after a failed import")
    let walExists = FileManager.default.fileExists(atPath: database + "-wal")
    #expect(try !walExists || walIsEmpty(database), "uncommitted pages were left in the WAL")
  }

  /// A bad cost three and a half MiB into a file: the reading thread has parsed several chunks
  /// ahead and thousands of lines are inserted when it is found. The error names its line and
  /// column, and the database is byte for byte what it was.
  @Test func badLineDeepInALargeFileRollsBackEntirely() throws {
    let directory = try TemporaryDirectory()
    let (database, before) = try databaseWithOneImport(in: directory)
    let lines = try String(contentsOfFile: Self.cur, encoding: .utf8).split(separator: "\n")
    var text = String(lines[0]) + "\n"
    var dataLines = 0
    while text.utf8.count < 3_500_000 {
      for line in lines.dropFirst() { text += line + "\n" }
      dataLines += lines.count - 1
    }
    // The first data line's billed cost is 10.00 (column 14); spoil it in one copy, then go on.
    text += lines[1].replacingOccurrences(of: ",USD,10.00,", with: ",USD,ten,") + "\n"
    for line in lines.dropFirst() { text += line + "\n" }
    let bad = directory.file("large-bad.csv")
    try text.write(toFile: bad, atomically: true, encoding: .utf8)
    let error = try failedImport(of: bad, into: database)
    #expect(error.location.file == bad)
    #expect(error.location.line == dataLines + 2)  // after the header and the good lines
    #expect(error.location.column == 14)
    #expect(error.message.contains("ten"))
    let after = try Data(contentsOf: URL(fileURLWithPath: database))
    #expect(after == before, "the database changed after a failed import")
  }

  /// A new database at `t.sqlite` holding one FOCUS import, and its bytes.
  private func databaseWithOneImport(in directory: TemporaryDirectory) throws -> (String, Data) {
    let database = directory.file("t.sqlite")
    do {  // closed before its bytes are read
      let store = try Store(path: database)
      _ = try Importer(store: store).importDelivery(
        at: TestPaths.fixture("focus/old-names-and-quirks.csv"))
    }
    return (database, try Data(contentsOf: URL(fileURLWithPath: database)))
  }

  /// The error of importing `path` into `database`, which must fail.
  private func failedImport(of path: String, into database: String) throws -> InputError {
    try #require(throws: InputError.self) {
      let store = try Store(path: database)
      _ = try Importer(store: store).importDelivery(at: path)
    }
  }

  private func walIsEmpty(_ database: String) throws -> Bool {
    let attributes = try FileManager.default.attributesOfItem(atPath: database + "-wal")
    return (attributes[.size] as? Int) == 0
  }

  private func makeBadFile(_ damage: Damage, in directory: TemporaryDirectory) throws -> String {
    let cur = try String(contentsOfFile: Self.cur, encoding: .utf8)
    let focus = try String(
      contentsOfFile: TestPaths.fixture("focus/old-names-and-quirks.csv"), encoding: .utf8)
    let path = directory.file("bad-\(damage.rawValue)")
    switch damage {
    case .truncatedGzip:
      let plain = directory.file("whole.csv")
      try cur.write(toFile: plain, atomically: true, encoding: .utf8)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/gzip")
      process.arguments = ["-k", plain]
      try process.run()
      process.waitUntilExit()
      let gzip = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
      try gzip.prefix(gzip.count - 40).write(to: URL(fileURLWithPath: path))
    case .malformedQuote:
      var lines = cur.split(separator: "\n").map(String.init)
      lines[2] = lines[2].replacingOccurrences(
        of: ",SavingsPlanCoveredUsage,", with: ",Savings\"Plan\"x,")
      try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    case .nonNumericCost:
      try cur.replacingOccurrences(of: ",USD,10.00,", with: ",USD,ten,").write(
        toFile: path, atomically: true, encoding: .utf8)
    case .unknownFormat:
      try "name,amount\nwidget,3\n".write(toFile: path, atomically: true, encoding: .utf8)
    case .badTagJSON:
      try focus.replacingOccurrences(of: "\"{\"\"team\"\"", with: "\"{team\"\"").write(
        toFile: path, atomically: true, encoding: .utf8)
    case .badDate:
      try focus.replacingOccurrences(
        of: ",2026-09-03 00:00:00,2026-09-04 00:00:00,Tax",
        with: ",2026-13-03,2026-09-04 00:00:00,Tax"
      )
      .write(toFile: path, atomically: true, encoding: .utf8)
    }
    return path
  }
}
