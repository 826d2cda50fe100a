import Crypto
import Foundation

/// What importing one delivery (a file, or a manifest with its files) did.
public struct ImportOutcome: Sendable {
  /// Whether the delivery was new, already there, or replaced an earlier one.
  public enum Status: String, Sendable {
    /// New data for its source and months.
    case imported
    /// The same bytes were imported before; nothing changed.
    case skipped
    /// A newer delivery of a source and month that were already imported; the old lines are gone.
    case replaced
  }

  /// The path as given.
  public var path: String
  /// What happened.
  public var status: Status
  /// The detected format and version, e.g. `focus 1.2` or `aws-cur legacy`.
  public var format: String
  /// The delivery stream it belongs to.
  public var source: String
  /// The import's id (for a skipped delivery, the earlier import's).
  public var importID: Int64
  /// Lines imported.
  public var rowCount: Int
  /// Totals read from the file per month and currency (empty when skipped).
  public var totals: [PeriodTotals]
  /// The earlier imports this one superseded.
  public var replacedImports: [Int64]
}

/// A failure of the import machinery itself (not of the input): exit code 4.
public struct ImportInternalError: Error, CustomStringConvertible {
  /// What went wrong.
  public var description: String
}

/// Imports billing exports into the store, one delivery per transaction.
///
/// A delivery is detected from its content (never its name), skipped when the same bytes were
/// imported before, replaces the earlier delivery of the same source and month, and rolls back
/// entirely when any line is bad. After writing, the store's totals must equal the totals read
/// from the file, per month, currency and cost column, or the import fails.
public struct Importer {
  private let store: Store
  private let sourceName: String?

  /// Creates an importer writing into `store`. The delivery stream is read from the data (the
  /// payer or billing account, e.g. `aws-cur:111122223333`); `sourceName`, a configured source's
  /// name, prefixes it (`aws/aws-cur:111122223333`), so that one configured source can hold
  /// several accounts' exports without one replacing another.
  public init(store: Store, sourceName: String? = nil) {
    self.store = store
    self.sourceName = sourceName
  }

  /// Whether exactly this delivery (the same bytes) is already in the store.
  public static func isImported(_ path: String, in store: Store) throws -> Bool {
    let importer = Importer(store: store)
    let files = try importer.deliveryFiles(path)
    return try store.importWithSHA256(try importer.deliverySHA256(path: path, files: files)) != nil
  }

  /// Imports one file, or a CUR manifest with the report files it names.
  public func importDelivery(at path: String) throws -> ImportOutcome {
    let files = try deliveryFiles(path)
    let sha256 = try deliverySHA256(path: path, files: files)
    if let earlier = try store.importWithSHA256(sha256) {
      return ImportOutcome(
        path: path, status: .skipped, format: "", source: earlier.source, importID: earlier.id,
        rowCount: 0, totals: [], replacedImports: [])
    }
    return try store.transaction {
      var load = DeliveryLoad(path: path, sha256: sha256)
      for file in files.data {
        try load.read(file: file, store: store, sha256: try sha256Hex(of: file))
      }
      guard let importID = load.importID else {
        throw ImportInternalError(description: "no import was started for \(path)")
      }
      let stored = try load.lineIDs.map { try store.storedTotals(lineIDs: $0) } ?? []
      let read = load.totals.sorted { ($0.month, $0.currency) < ($1.month, $1.currency) }
      guard stored == read else {
        throw ImportInternalError(
          description: "\(path): the totals stored (\(stored)) differ from the totals read from "
            + "the file (\(read)); the import was rolled back")
      }
      let stream = load.source ?? "\(load.format):no-lines"
      let source = sourceName.map { "\($0)/\(stream)" } ?? stream
      let replaced = try store.finishImport(
        id: importID, source: source, formatVersion: load.formatVersion, files: load.files,
        totals: read, lineIDs: load.lineIDs)
      return ImportOutcome(
        path: path, status: replaced.isEmpty ? .imported : .replaced,
        format: "\(load.format) \(load.formatVersion)", source: source, importID: importID,
        rowCount: read.reduce(0) { $0 + $1.rowCount }, totals: read, replacedImports: replaced)
    }
  }

  private struct DeliveryFiles {
    var manifest: String?
    var data: [String]
  }

  private func deliveryFiles(_ path: String) throws(InputError) -> DeliveryFiles {
    guard try startsLikeJSON(path) else { return DeliveryFiles(manifest: nil, data: [path]) }
    guard let json = try CURManifest.jsonObject(atPath: path), CURManifest.recognises(json) else {
      throw InputError(
        "a JSON file that is not a billing manifest tally recognises (looked for an AWS CUR "
          + "manifest: an object with reportKeys and assemblyId)", at: SourceLocation(file: path))
    }
    return DeliveryFiles(manifest: path, data: try CURManifest(path: path, json: json).reportFiles)
  }

  /// The delivery's identity: a single file's SHA-256, or a hash over the manifest's and its
  /// files' hashes.
  private func deliverySHA256(path: String, files: DeliveryFiles) throws(InputError) -> String {
    guard let manifest = files.manifest else { return try sha256Hex(of: path) }
    var hasher = SHA256()
    for file in [manifest] + files.data { hasher.update(data: Array(try sha256Hex(of: file).utf8)) }
    return hex(hasher.finalize())
  }
}

/// The state of one delivery while its files are read inside the import's transaction.
private struct DeliveryLoad {
  let path: String
  /// The delivery's identity (for a single file, the file's SHA-256).
  let sha256: String
  var importID: Int64?
  var writer: CostLineWriter?
  var format = ""
  var formatVersion = ""
  var source: String?
  var files: [ImportedFile] = []
  var periods = PeriodAccumulator()
  var totals: [PeriodTotals] { periods.totals }
  var lineIDs: ClosedRange<Int64>? { writer?.lineIDs }

  init(path: String, sha256: String) {
    self.path = path
    self.sha256 = sha256
  }

  /// Reads one data file of the delivery; `fileSHA256` is recorded with the file.
  mutating func read(file: String, store: Store, sha256 fileSHA256: String) throws {
    let reader = CSVReader(source: try openByteSource(path: file), path: file)
    let header = Header(try reader.readHeader())
    if FocusMapper.recognises(header) {
      var mapper = try FocusMapper(header: header, path: file)
      try read(
        file: file, sha256: fileSHA256, store: store, reader: reader, header: header,
        mapper: &mapper)
    } else if AWSCURMapper.recognises(header) {
      var mapper = try AWSCURMapper(header: header, path: file)
      try read(
        file: file, sha256: fileSHA256, store: store, reader: reader, header: header,
        mapper: &mapper)
    } else {
      throw unrecognised(header, file: file)
    }
  }

  private mutating func read<Mapper: CostLineMapper>(
    file: String, sha256 fileSHA256: String, store: Store, reader: CSVReader, header: Header,
    mapper: inout Mapper
  ) throws {
    if importID == nil {
      format = mapper.format
      formatVersion = mapper.formatVersion
      let id = try store.beginImport(
        path: path, sha256: sha256, format: mapper.format, formatVersion: mapper.formatVersion)
      importID = id
      writer = try CostLineWriter(connection: store.connection, importID: id)
    } else if format != mapper.format {
      throw InputError(
        "this report file is \(mapper.format) but the delivery's first file is \(format)",
        at: SourceLocation(file: file, line: 1))
    }
    guard let writer else { return }
    var rowCount = 0
    var firstSource: String?
    let byteCount = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0
    try reader.forEachRecord(keeping: mapper.keptColumns) { record in
      let fields = RecordFields(
        record: record, header: header, path: file, nullLiteral: mapper.readsNULLAsNull)
      guard record.count == header.names.count else {
        throw InputError(
          "expected \(header.names.count) fields as in the header, found \(record.count)",
          at: SourceLocation(file: file, line: record.line))
      }
      var line = CostLine()
      try mapper.map(fields, into: &line, writer: writer)
      if firstSource == nil { firstSource = mapper.sourceName(fields) }
      let period = try periods.add(line, location: fields.location(nil))
      try periods.withMonthText(period) { try writer.write(line, billingPeriod: $0) }
      rowCount += 1
    }
    if source == nil { source = firstSource }
    files.append(
      ImportedFile(path: file, sha256: fileSHA256, byteCount: byteCount, rowCount: rowCount))
  }

  private func unrecognised(_ header: Header, file: String) -> InputError {
    let start = header.names.prefix(6).joined(separator: ",")
    if header.has("ContractCommitmentId", "ContractCommitmentCost") {
      return InputError(
        "this is a FOCUS 1.3 Contract Commitment file (the commitments behind the charges), "
          + "not a Cost and Usage file; tally imports the Cost and Usage dataset",
        at: SourceLocation(file: file, line: 1))
    }
    if header.names.contains("line_item_unblended_cost") && header.names.contains("resource_tags") {
      return InputError(
        "this is an AWS CUR 2.0 (Data Exports) file, which this version of tally does not import yet",
        at: SourceLocation(file: file, line: 1))
    }
    return InputError(
      "not a billing export tally recognises; looked for FOCUS (columns BilledCost, "
        + "ChargePeriodStart, BillingCurrency), an AWS legacy CUR (lineItem/UnblendedCost and "
        + "lineItem/LineItemType, or their Athena names) and an AWS CUR manifest (JSON with "
        + "reportKeys); the header starts with \"\(start)\"",
      at: SourceLocation(file: file, line: 1))
  }
}

/// Totals per month and currency, accumulated line by line without building strings.
private struct PeriodAccumulator {
  private struct Entry {
    var periodStart: Int64
    var currency: [UInt8]
    var monthText: [UInt8]
    var totals: PeriodTotals
  }
  private var entries: [Entry] = []

  var totals: [PeriodTotals] { entries.map(\.totals) }

  /// Adds a line; returns the index of its month and currency.
  mutating func add(_ line: CostLine, location: SourceLocation) throws(InputError) -> Int {
    let start = line.billingPeriodStart.secondsSinceEpoch
    var index = entries.firstIndex {
      $0.periodStart == start && $0.currency.elementsEqual(line.billingCurrency)
    }
    if index == nil {
      let month = line.billingPeriodStart.month
      entries.append(
        Entry(
          periodStart: start, currency: Array(line.billingCurrency),
          monthText: Array(month.description.utf8),
          totals: PeriodTotals(
            month: month, currency: String(decoding: line.billingCurrency, as: UTF8.self),
            rowCount: 0, totals: CostTotals())))
      index = entries.count - 1
    }
    guard let index else { return 0 }
    do {
      try entries[index].totals.totals.add(line)
    } catch {
      throw InputError("the file's total \(error.description)", at: location)
    }
    entries[index].totals.rowCount += 1
    return index
  }

  func withMonthText<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
    try entries[index].monthText.withUnsafeBytes(body)
  }
}

/// Whether the file's first non-blank byte (after decompression) opens a JSON value.
private func startsLikeJSON(_ path: String) throws(InputError) -> Bool {
  let source = try openByteSource(path: path)
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
  defer { buffer.deallocate() }
  let count = try source.read(into: buffer)
  guard count > 0 else {
    throw InputError("the file is empty: expected a header row", at: SourceLocation(file: path))
  }
  var bytes = Array(buffer[0..<count])[...].drop {
    $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09
  }
  if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
  return bytes.first == UInt8(ascii: "{") || bytes.first == UInt8(ascii: "[")
}

/// SHA-256 of a file's bytes as stored (compressed files are hashed compressed), hex.
func sha256Hex(of path: String) throws(InputError) -> String {
  let source = try FileByteSource(path: path)
  var hasher = SHA256()
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
  defer { buffer.deallocate() }
  while true {
    let count = try source.read(into: buffer)
    if count == 0 { break }
    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
  }
  return hex(hasher.finalize())
}

private func hex(_ digest: some Sequence<UInt8>) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var text: [UInt8] = []
  for byte in digest {
    text.append(digits[Int(byte >> 4)])
    text.append(digits[Int(byte & 0xF)])
  }
  return String(decoding: text, as: UTF8.self)
}
