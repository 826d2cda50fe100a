import Foundation
import SampleBills
import Testing

/// The sample-bill generator: determinism, the committed files, and the invariants the rest
/// of tally relies on, checked by an independent route (a CSV splitter and a decimal parser
/// of this file's own, and the amortisation formula applied here).
@Suite struct SampleBillsTests {
  /// The default set, generated once for all tests (about a second in a debug build).
  static let committedSet = SampleBillSet().files()

  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static func file(_ path: String) throws -> [UInt8] {
    try #require(committedSet.first { $0.path == path }).bytes
  }

  /// The October CUR before compression (as the generator writes it into the gzip file).
  static let octoberCSV = LegacyCURMonth(
    month: SampleBillSet.secondMonth, seed: SampleBillSet.defaultSeed, lineEnding: "\r\n"
  ).generate().bytes

  // MARK: Determinism

  /// The committed files were written by another process (`make sample-bills`), so
  /// ``committedSampleBillsMatchTheGenerator()`` checks determinism across runs; this test
  /// checks it within one, file by file.
  @Test func sameSeedGivesIdenticalBytes() throws {
    let seed = SampleBillSet.defaultSeed
    let september = LegacyCURMonth(month: SampleBillSet.firstMonth, seed: seed).generate()
    #expect(difference(september.bytes, try Self.file(SampleBillSet.septemberPath)) == nil)
    let focus = FOCUSMonth(month: SampleBillSet.secondMonth, seed: seed).generate()
    #expect(difference(focus.bytes, try Self.file(SampleBillSet.focusPath)) == nil)
    let gzip = try #require(Self.committedSet.first { $0.path.hasSuffix(".csv.gz") })
    #expect(difference(Gzip.compress(Self.octoberCSV), gzip.bytes) == nil)
  }

  @Test func differentSeedGivesDifferentBytes() throws {
    let month = SampleBillSet.firstMonth
    let other = LegacyCURMonth(month: month, seed: SampleBillSet.defaultSeed + 1).generate()
    #expect(difference(other.bytes, try Self.file(SampleBillSet.septemberPath)) != nil)
    let focus = FOCUSMonth(month: SampleBillSet.secondMonth, seed: 7).generate()
    #expect(difference(focus.bytes, try Self.file(SampleBillSet.focusPath)) != nil)
  }

  @Test func benchBillIsDeterministic() throws {
    let first = try benchBytes(lines: 300, seed: 3)
    #expect(difference(try benchBytes(lines: 300, seed: 3), first) == nil)
    #expect(difference(try benchBytes(lines: 300, seed: 4), first) != nil)
  }

  // MARK: The committed files

  @Test func committedSampleBillsMatchTheGenerator() throws {
    let folder = Self.repositoryRoot.appendingPathComponent("sample-bills")
    for file in Self.committedSet {
      let url = folder.appendingPathComponent(file.path)
      let committed = try #require(
        FileManager.default.contents(atPath: url.path),
        "sample-bills/\(file.path) is missing: run `make sample-bills`")
      let mismatch = difference([UInt8](committed), file.bytes)
      #expect(
        mismatch == nil,
        "sample-bills/\(file.path) differs from the generator's output (\(mismatch ?? "")): run `make sample-bills`"
      )
    }
    // Nothing stale in the generator-owned CUR folder.
    let owned = folder.appendingPathComponent("aws-cur")
    let expected = Set(Self.committedSet.map(\.path).filter { $0.hasPrefix("aws-cur/") })
    var found: Set<String> = []
    if let walker = FileManager.default.enumerator(atPath: owned.path) {
      for case let path as String in walker {
        var isDirectory: ObjCBool = false
        let full = owned.appendingPathComponent(path).path
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory),
          !isDirectory.boolValue
        {
          found.insert("aws-cur/" + path)
        }
      }
    }
    #expect(found == expected)
  }

  @Test func committedSampleBillsStaySmall() {
    let total = Self.committedSet.reduce(0) { $0 + $1.bytes.count }
    #expect(total < 1_700_000)
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip")))
  func gzipFileDecompressesToTheOctoberCSV() throws {
    let entry = try #require(Self.committedSet.first { $0.path.hasSuffix(".csv.gz") })
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let writer = Thread {
      input.fileHandleForWriting.write(Data(entry.bytes))
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    let decompressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(difference([UInt8](decompressed), Self.octoberCSV) == nil)
  }

  @Test func manifestNamesTheGzipFile() throws {
    let manifestEntry = try #require(
      Self.committedSet.first { $0.path.hasSuffix("-Manifest.json") })
    let json = try JSONSerialization.jsonObject(with: Data(manifestEntry.bytes))
    let manifest = try #require(json as? [String: Any])
    let keys = try #require(manifest["reportKeys"] as? [String])
    let gzip = try #require(Self.committedSet.first { $0.path.hasSuffix(".csv.gz") })
    #expect(keys == [gzip.path])
    #expect(manifest["compression"] as? String == "GZIP")
    let columns = try #require(manifest["columns"] as? [[String: String]])
    let header = try TestCSV.rows(Self.octoberCSV)[0]
    #expect(columns.map { "\($0["category"] ?? "")/\($0["name"] ?? "")" } == header)
    let period = try #require(manifest["billingPeriod"] as? [String: String])
    #expect(period["start"] == "20261001T000000.000Z")
    #expect(period["end"] == "20261101T000000.000Z")
  }

  // MARK: AWS CUR invariants

  static let lineItemTypes: Set<String> = [
    "Usage", "DiscountedUsage", "RIFee", "Fee", "SavingsPlanCoveredUsage", "SavingsPlanNegation",
    "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee", "Tax", "Credit", "Refund", "EdpDiscount",
  ]

  @Test(arguments: ["september", "october"])
  func curMonthAmortisedTotalEqualsBilledTotal(month: String) throws {
    let bytes = month == "september" ? try Self.file(SampleBillSet.septemberPath) : Self.octoberCSV
    let table = try TestCSV.table(bytes)
    try CURInvariants.check(table)
    #expect(table.rows.count >= 1_300)

    let types = Set(table.rows.map { $0["lineItem/LineItemType"] })
    #expect(types == Self.lineItemTypes)
    let fees = table.rows.filter { $0["lineItem/LineItemType"] == "Fee" }
    #expect(fees.contains { !$0["reservation/ReservationARN"].isEmpty })
    #expect(fees.contains { $0["lineItem/ProductCode"] == "AWSSupportBusiness" })
  }

  @Test func curHasBothTeamColumnsAndTagVariants() throws {
    let table = try TestCSV.table(try Self.file(SampleBillSet.septemberPath))
    #expect(table.header.contains("resourceTags/user:team"))
    #expect(table.header.contains("resourceTags/user:Team"))
    #expect(table.header.contains("resourceTags/user:cost-center"))
    #expect(table.header.contains("resourceTags/user:env"))
    #expect(table.header.contains("resourceTags/aws:createdBy"))
    let october = try TestCSV.table(Self.octoberCSV)
    let teamValues = Set(october.rows.map { $0["resourceTags/user:team"] })
    for value in ["payments", "pay", " search", "Paymnts", "ml", "data-eng"] {
      #expect(teamValues.contains(value), "user:team never has \(value)")
    }
    #expect(Set(october.rows.map { $0["resourceTags/user:Team"] }).contains("Payments"))
    #expect(
      october.rows.contains {
        $0["resourceTags/user:team"].isEmpty && $0["resourceTags/user:Team"].isEmpty
          && !$0["lineItem/ResourceId"].isEmpty
      })
    // Real CURs write tiny amounts in exponent form.
    #expect(october.rows.contains { $0["lineItem/UnblendedCost"].contains("E-") })
  }

  @Test func twoCurrencies() throws {
    let cur = try TestCSV.table(try Self.file(SampleBillSet.septemberPath))
    let focus = try TestCSV.table(try Self.file(SampleBillSet.focusPath))
    #expect(Set(cur.rows.map { $0["lineItem/CurrencyCode"] }) == ["USD"])
    #expect(Set(focus.rows.map { $0["BillingCurrency"] }) == ["EUR"])
  }

  // MARK: FOCUS invariants

  @Test func focusEffectiveTotalEqualsBilledTotal() throws {
    let table = try TestCSV.table(try Self.file(SampleBillSet.focusPath))
    #expect(table.header == FOCUSMonth.columns)
    var billed: Int64 = 0
    var effective: Int64 = 0
    for row in table.rows {
      billed += try TestDecimal.nanos(row["BilledCost"])
      effective += try TestDecimal.nanos(row["EffectiveCost"])
      if row["ChargeCategory"] == "Usage" {
        let list = try TestDecimal.nanos(row["ListCost"])
        let contracted = try TestDecimal.nanos(row["ContractedCost"])
        let rowEffective = try TestDecimal.nanos(row["EffectiveCost"])
        #expect(list >= contracted && contracted >= rowEffective)
      }
    }
    #expect(billed == effective)
    #expect(billed > 0)
    let kinds = Set(table.rows.map { "\($0["ChargeCategory"])/\($0["CommitmentDiscountStatus"])" })
    #expect(kinds.isSuperset(of: ["Usage/Used", "Usage/Unused", "Purchase/", "Credit/", "Tax/"]))
  }

  // MARK: The benchmark bill

  @Test func benchBillHasAboutAHundredColumnsAndBalances() throws {
    let bytes = try benchBytes(lines: 2_000, seed: 11)
    let table = try TestCSV.table(bytes)
    #expect(table.rows.count == 2_000)
    #expect((95...110).contains(table.header.count))
    #expect(Set(table.header).count == table.header.count)
    try CURInvariants.check(table)
    let intervals = table.rows.map { $0["identity/TimeInterval"] }
    #expect(intervals.contains("2026-10-01T00:00:00Z/2026-10-01T01:00:00Z"))
    #expect(Set(table.rows.map { $0["lineItem/ResourceId"] }).count > 500)
  }

  /// Line counts where the last hour is too short for the Savings Plan fee lines, or the
  /// month-end lines leave little room.
  @Test(arguments: [100, 201, 257, 1_000])
  func benchBillHasExactlyTheRequestedLines(lines: Int) throws {
    let table = try TestCSV.table(try benchBytes(lines: lines, seed: UInt64(lines)))
    #expect(table.rows.count == lines)
    try CURInvariants.check(table)
  }

  private func benchBytes(lines: Int, seed: UInt64) throws -> [UInt8] {
    var bytes: [UInt8] = []
    let summary = try BenchCUR(lines: lines, seed: seed).write { bytes += $0 }
    #expect(summary.lineCount == lines)
    #expect(summary.byteCount == bytes.count)
    return bytes
  }

  // MARK: The helpers themselves

  @Test func decimalParserOfTheseTests() throws {
    #expect(try TestDecimal.nanos("1.2E-7") == 120)
    #expect(try TestDecimal.nanos("-0.0104000000") == -10_400_000)
    #expect(try TestDecimal.nanos("24.0") == 24_000_000_000)
    #expect(try TestDecimal.nanos("") == 0)
    #expect(throws: TestDecimal.Failure.self) { try TestDecimal.nanos("0.0000000001") }
  }

  @Test func csvSplitterOfTheseTests() throws {
    let rows = try TestCSV.rows(Array("a,\"b,\"\"c\"\"\",\r\n\" x\",,\n".utf8))
    #expect(rows == [["a", "b,\"c\"", ""], [" x", "", ""]])
  }
}

/// The invariants of a legacy CUR, recomputed from its text.
enum CURInvariants {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func check(_ table: TestCSV.Table) throws {
    var billed: Int64 = 0
    var effective: Int64 = 0
    // Per Savings Plan and line period.
    var coveredEffective: [String: Int64] = [:]
    var coveredUnblended: [String: Int64] = [:]
    var negated: [String: Int64] = [:]
    var recurringUsed: [String: Int64] = [:]
    // Per reservation.
    var reservationEffective: [String: Int64] = [:]
    var reservationBilled: [String: Int64] = [:]
    var upfrontPaid: [String: Int64] = [:]
    var upfrontAmortised: [String: Int64] = [:]
    for row in table.rows {
      let type = row["lineItem/LineItemType"]
      let unblended = try TestDecimal.nanos(row["lineItem/UnblendedCost"])
      let plan = row["savingsPlan/SavingsPlanARN"] + " " + row["identity/TimeInterval"]
      let reservation = row["reservation/ReservationARN"]
      let amortised: Int64
      switch type {
      case "SavingsPlanCoveredUsage":
        amortised = try TestDecimal.nanos(row["savingsPlan/SavingsPlanEffectiveCost"])
        coveredEffective[plan, default: 0] += amortised
        coveredUnblended[plan, default: 0] += unblended
      case "SavingsPlanRecurringFee":
        let total = try TestDecimal.nanos(row["savingsPlan/TotalCommitmentToDate"])
        let used = try TestDecimal.nanos(row["savingsPlan/UsedCommitment"])
        guard used <= total else { throw Failure(description: "used > total for \(plan)") }
        recurringUsed[plan, default: 0] += used
        amortised = total - used
      case "SavingsPlanNegation":
        negated[plan, default: 0] += unblended
        amortised = 0
      case "SavingsPlanUpfrontFee":
        amortised = 0
      case "DiscountedUsage":
        amortised = try TestDecimal.nanos(row["reservation/EffectiveCost"])
        reservationEffective[reservation, default: 0] += amortised
      case "RIFee":
        amortised =
          try TestDecimal.nanos(row["reservation/UnusedAmortizedUpfrontFeeForBillingPeriod"])
          + TestDecimal.nanos(row["reservation/UnusedRecurringFee"])
        reservationEffective[reservation, default: 0] += amortised
        let upfront = try TestDecimal.nanos(row["reservation/AmortizedUpfrontFeeForBillingPeriod"])
        reservationBilled[reservation, default: 0] += unblended + upfront
        if upfront != 0 { upfrontAmortised[reservation, default: 0] += upfront }
      case "Fee" where !reservation.isEmpty:
        upfrontPaid[reservation, default: 0] += unblended
        amortised = 0
      default:
        amortised = unblended
      }
      billed += unblended
      effective += amortised
    }
    guard billed == effective else {
      throw Failure(description: "Σ billed \(billed) ≠ Σ effective \(effective)")
    }
    guard coveredEffective == recurringUsed.filter({ $0.value != 0 }) else {
      throw Failure(description: "Σ SavingsPlanEffectiveCost ≠ UsedCommitment")
    }
    guard negated == coveredUnblended.mapValues({ -$0 }) else {
      throw Failure(description: "negations do not cancel covered usage")
    }
    guard reservationEffective == reservationBilled else {
      throw Failure(description: "reservation amortisation does not match its fees")
    }
    guard upfrontPaid == upfrontAmortised else {
      throw Failure(description: "an upfront fee differs from its amortisation over the month")
    }
  }
}

/// A quotes-aware CSV splitter (RFC 4180; LF or CRLF line ends), independent of the generator.
enum TestCSV {
  struct Failure: Error {}

  /// A header and its rows, with lookups by column name.
  struct Table {
    var header: [String]
    var rows: [Row]
  }

  struct Row {
    var index: [String: Int]
    var fields: [String]

    subscript(column: String) -> String {
      guard let position = index[column], position < fields.count else { return "" }
      return fields[position]
    }
  }

  static func table(_ bytes: [UInt8]) throws -> Table {
    let all = try rows(bytes)
    guard let header = all.first else { throw Failure() }
    var index: [String: Int] = [:]
    for (position, name) in header.enumerated() { index[name] = position }
    for row in all.dropFirst() where row.count != header.count { throw Failure() }
    return Table(header: header, rows: all.dropFirst().map { Row(index: index, fields: $0) })
  }

  static func rows(_ bytes: [UInt8]) throws -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var position = 0
    while position < bytes.count {
      let byte = bytes[position]
      if quoted {
        if byte == UInt8(ascii: "\"") {
          if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
            field.append(byte)
            position += 1
          } else {
            quoted = false
          }
        } else {
          field.append(byte)
        }
      } else {
        switch byte {
        case UInt8(ascii: "\""):
          quoted = true
        case UInt8(ascii: ","):
          row.append(String(decoding: field, as: UTF8.self))
          field = []
        case UInt8(ascii: "\r"):
          break
        case UInt8(ascii: "\n"):
          row.append(String(decoding: field, as: UTF8.self))
          rows.append(row)
          row = []
          field = []
        default:
          field.append(byte)
        }
      }
      position += 1
    }
    if quoted { throw Failure() }
    if !row.isEmpty || !field.isEmpty {
      row.append(String(decoding: field, as: UTF8.self))
      rows.append(row)
    }
    return rows
  }
}

/// Decimal text → nanos, exactly; anything finer than 10⁻⁹ is an error. Independent of the
/// generator's formatter.
enum TestDecimal {
  struct Failure: Error {}

  static func nanos(_ text: String) throws -> Int64 {
    if text.isEmpty { return 0 }
    var mantissa = Substring(text)
    var exponent = 0
    if let marker = mantissa.firstIndex(where: { $0 == "E" || $0 == "e" }) {
      guard let value = Int(mantissa[mantissa.index(after: marker)...]) else { throw Failure() }
      exponent = value
      mantissa = mantissa[..<marker]
    }
    var negative = false
    if mantissa.first == "-" {
      negative = true
      mantissa = mantissa.dropFirst()
    }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count) else { throw Failure() }
    var digits = String(parts[0])
    var scale = 0
    if parts.count == 2 {
      digits += parts[1]
      scale = parts[1].count
    }
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
      throw Failure()
    }
    // value = digits × 10^(exponent − scale); in nanos: × 10^(exponent − scale + 9).
    var shift = exponent - scale + 9
    while shift < 0 {
      guard digits.last == "0" else { throw Failure() }
      digits.removeLast()
      shift += 1
    }
    guard var value = Int64(digits.isEmpty ? "0" : digits) else { throw Failure() }
    for _ in 0..<shift { value *= 10 }
    return negative ? -value : value
  }
}

/// Where two byte strings first differ, or nil if they are equal. (Comparing large arrays
/// inside `#expect` would print every byte of both on failure.)
func difference(_ first: [UInt8], _ second: [UInt8]) -> String? {
  if first == second { return nil }
  let common = zip(first, second).prefix { $0 == $1 }.count
  let line = first[..<common].filter { $0 == UInt8(ascii: "\n") }.count + 1
  return "\(first.count) vs \(second.count) bytes, first difference at byte \(common), line \(line)"
}
