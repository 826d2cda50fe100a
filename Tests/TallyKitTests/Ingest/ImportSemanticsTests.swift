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
    let database = directory.file("t.sqlite")
    do {
      let store = try Store(path: database)
      _ = try Importer(store: store).importDelivery(
        at: TestPaths.fixture("focus/old-names-and-quirks.csv"))
    }
    let before = try Data(contentsOf: URL(fileURLWithPath: database))
    let bad = try makeBadFile(damage, in: directory)
    let error = try #require(throws: InputError.self) {
      let store = try Store(path: database)
      _ = try Importer(store: store).importDelivery(at: bad)
    }
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
