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
    /// A newer delivery of a source and month (or a newer inventory snapshot) that replaced an
    /// earlier one.
    case replaced
  }

  /// What kind of data the delivery holds.
  public enum Kind: String, Sendable {
    /// Cost lines of a billing export.
    case bill
    /// Resources and their tags: an inventory snapshot.
    case inventory
  }

  /// The path as given.
  public var path: String
  /// What happened.
  public var status: Status
  /// A bill or an inventory.
  public var kind: Kind = .bill
  /// The detected format and version, e.g. `focus 1.2`, `aws-cur 2.0`,
  /// `azure-ea actual c360`, `inventory aws-get-resources cli`.
  public var format: String
  /// The delivery stream it belongs to.
  public var source: String
  /// The import's id (for a skipped delivery, the earlier import's); for an inventory, the
  /// snapshot's id.
  public var importID: Int64
  /// Lines imported (for an inventory: resources).
  public var rowCount: Int
  /// Totals read from the file per month and currency (empty when skipped and for
  /// inventories).
  public var totals: [PeriodTotals]
  /// The earlier imports (or snapshots) this one superseded.
  public var replacedImports: [Int64]
  /// What the import decided that a reader of its output should know (e.g. how Azure's
  /// actual and amortized datasets were paired).
  public var notes: [String] = []
}

/// A failure of the import machinery itself (not of the input): exit code 4.
public struct ImportInternalError: Error, CustomStringConvertible {
  /// What went wrong.
  public var description: String
}

/// Imports billing exports and resource inventories into the store, one delivery per
/// transaction.
///
/// A delivery is detected from its content (never its name; ``FormatDetection``), skipped when
/// the same bytes were imported before, replaces the earlier delivery of the same source and
/// month (an inventory replaces the earlier snapshot of its source), and rolls back entirely when
/// any line is bad. After writing, the store's totals must equal the totals read from the file,
/// per month, currency and cost column, or the import fails.
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
    switch try importer.plan(path) {
    case .bill(let delivery):
      let sha256 = delivery.sha256(fileHashes: try delivery.fileHashes())
      return try store.importWithSHA256(sha256) != nil
    case .inventory:
      return try store.inventorySnapshotWithSHA256(try sha256Hex(of: path)) != nil
    }
  }

  /// Imports one file, or a manifest with the data files it names.
  public func importDelivery(at path: String) throws -> ImportOutcome {
    switch try plan(path) {
    case .bill(let delivery):
      return try importBill(path: path, delivery: delivery)
    case .inventory(let format):
      return try InventoryImport(store: store, sourceName: sourceName).run(
        path: path, format: format)
    }
  }

  /// What a path holds, from its content.
  private enum Plan {
    case bill(BillDeliveryFiles)
    case inventory(InventoryFormat)
  }

  private func plan(_ path: String) throws -> Plan {
    let sniff = try FormatDetection.sniff(path: path)
    if sniff.isJSON {
      guard let kind = FormatDetection.jsonKind(sniff.keys) else {
        throw InputError(
          "a JSON file that is not a format tally recognises; looked for "
            + FormatDetection.lookedFor,
          at: SourceLocation(file: path))
      }
      switch kind {
      case .curManifest, .dataExportsManifest, .azureExportManifest:
        let manifest = try DeliveryManifest(path: path, kind: kind)
        return .bill(
          BillDeliveryFiles(manifest: manifest, data: manifest.dataFiles, jsonLines: false))
      case .gcpBillingLines:
        return .bill(BillDeliveryFiles(manifest: nil, data: [path], jsonLines: true))
      case .inventory(let format):
        return .inventory(format)
      }
    }
    let header = try readHeader(path)
    guard let kind = FormatDetection.csvKind(header) else {
      throw unrecognised(header, file: path)
    }
    switch kind {
    case .inventory(let format):
      return .inventory(format)
    case .focusContractCommitment:
      throw InputError(
        "this is a FOCUS 1.3 Contract Commitment file (the commitments behind the charges), "
          + "not a Cost and Usage file; tally imports the Cost and Usage dataset",
        at: SourceLocation(file: path, line: 1))
    default:
      return .bill(BillDeliveryFiles(manifest: nil, data: [path], jsonLines: false))
    }
  }

  private func readHeader(_ path: String) throws(InputError) -> Header {
    let reader = CSVReader(source: try openByteSource(path: path), path: path)
    return Header(try reader.readHeader())
  }

  private func importBill(path: String, delivery: BillDeliveryFiles) throws -> ImportOutcome {
    if delivery.manifest == nil, try !store.hasImportedFile(ofSize: try fileSize(path)) {
      // No file of this size was ever imported, so these bytes were not: hash them while they
      // are read for parsing, instead of reading the file twice.
      do {
        return try load(path: path, delivery: delivery, hashingWhileReading: true) { load in
          load.files.map(\.sha256)
        }
      } catch let skip as SameBytesImported {
        return skip.outcome
      }
    }
    let hashes = try delivery.fileHashes()
    if let earlier = try store.importWithSHA256(delivery.sha256(fileHashes: hashes)) {
      return SameBytesImported(path: path, earlier: earlier).outcome
    }
    return try load(path: path, delivery: delivery) { _ in hashes }
  }

  /// Reads the delivery's files into the store in one transaction, checks the totals, and
  /// records the import. `fileHashes` gives the SHA-256 of the manifest (if any) and of each data
  /// file, in order; it is called once the files are read, so that with `hashingWhileReading`
  /// it can return the hashes computed as the files were read.
  ///
  /// - Throws: ``SameBytesImported`` (after rolling back) when the hashes show that the delivery
  ///   was imported before.
  private func load(
    path: String, delivery: BillDeliveryFiles, hashingWhileReading: Bool = false,
    fileHashes: (DeliveryLoad) throws -> [String]
  ) throws -> ImportOutcome {
    try store.transaction {
      var load = DeliveryLoad(path: path)
      for file in delivery.data {
        try load.read(
          file: file, store: store, jsonLines: delivery.jsonLines, hashing: hashingWhileReading)
      }
      guard let importID = load.importID else {
        throw ImportInternalError(description: "no import was started for \(path)")
      }
      let hashes = try fileHashes(load)
      let sha256 = delivery.sha256(fileHashes: hashes)
      if let earlier = try store.importWithSHA256(sha256) {
        throw SameBytesImported(path: path, earlier: earlier)
      }
      for (index, hash) in hashes.suffix(load.files.count).enumerated() {
        load.files[index].sha256 = hash
      }
      var read = load.totals.sorted { ($0.month, $0.currency) < ($1.month, $1.currency) }
      var stream = load.source ?? "\(load.format):no-lines"
      var formatVersion = load.formatVersion
      var notes: [String] = []
      if let evidence = load.datasetEvidence {
        let pairing = AzureDatasetPairing(
          store: store, importID: importID, pairingKey: load.source ?? "\(load.format):no-lines",
          evidence: evidence, manifestDataset: delivery.manifest?.azureDataset,
          months: Set(read.map(\.month)), lineIDs: load.lineIDs, location: path)
        let outcome = try pairing.apply()
        stream = "\(pairing.pairingKey):\(outcome.datasetName)"
        formatVersion = "\(outcome.datasetName) \(formatVersion)"
        read = outcome.expectedTotals(read)
        notes = outcome.notes
      }
      let readBack = try load.lineIDs.map {
        try load.writer?.readBackResult() ?? store.readBack(lineIDs: $0)
      }
      let stored = readBack?.totals ?? []
      guard stored == read else {
        throw ImportInternalError(
          description: "\(path): the totals stored (\(stored)) differ from the totals read from "
            + "the file (\(read)); the import was rolled back")
      }
      let source = sourceName.map { "\($0)/\(stream)" } ?? stream
      let replaced = try store.finishImport(
        id: importID, source: source, sha256: sha256, formatVersion: formatVersion,
        files: load.files, totals: read, lineIDs: load.lineIDs, lineGroups: readBack?.groups)
      var outcome = ImportOutcome(
        path: path, status: replaced.isEmpty ? .imported : .replaced,
        format: "\(load.format) \(formatVersion)", source: source, importID: importID,
        rowCount: read.reduce(0) { $0 + $1.rowCount }, totals: read, replacedImports: replaced)
      outcome.notes = notes
      PausePoint.reach("import")
      return outcome
    }
  }

  private func unrecognised(_ header: Header, file: String) -> InputError {
    let start = header.names.prefix(6).joined(separator: ",")
    return InputError(
      "not a billing export or inventory tally recognises; looked for "
        + FormatDetection.lookedFor + "; the header starts with \"\(start)\"",
      at: SourceLocation(file: file, line: 1))
  }
}

/// The files of a bill delivery.
private struct BillDeliveryFiles {
  var manifest: DeliveryManifest?
  var data: [String]
  /// The data is a GCP billing export as newline-delimited JSON.
  var jsonLines: Bool

  /// The SHA-256 of the manifest (if any) and of each data file, in that order.
  func fileHashes() throws(InputError) -> [String] {
    var hashes: [String] = []
    for file in [manifest?.path].compactMap({ $0 }) + data {
      hashes.append(try sha256Hex(of: file))
    }
    return hashes
  }

  /// The identity of the delivery from ``fileHashes()``: a single file's SHA-256, or a hash over
  /// the manifest's and its files' hashes.
  func sha256(fileHashes: [String]) -> String {
    guard manifest != nil else { return fileHashes.first ?? "" }
    var hasher = SHA256()
    for hash in fileHashes { hasher.update(data: Array(hash.utf8)) }
    return hex(hasher.finalize())
  }
}

/// An earlier import holds exactly the bytes of the delivery being imported: it is skipped.
private struct SameBytesImported: Error {
  var path: String
  var earlier: StoredImport

  var outcome: ImportOutcome {
    ImportOutcome(
      path: path, status: .skipped, format: "", source: earlier.source, importID: earlier.id,
      rowCount: 0, totals: [], replacedImports: [])
  }
}

/// The size of the file at `path` in bytes.
func fileSize(_ path: String) throws(InputError) -> Int64 {
  do {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.size] as? NSNumber)?.int64Value ?? 0
  } catch {
    throw InputError("cannot read the file's size", at: SourceLocation(file: path))
  }
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

/// Lower-case hexadecimal digits of `digest`.
func hex(_ digest: some Sequence<UInt8>) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var text: [UInt8] = []
  for byte in digest {
    text.append(digits[Int(byte >> 4)])
    text.append(digits[Int(byte & 0xF)])
  }
  return String(decoding: text, as: UTF8.self)
}
