import Foundation

/// The state of one bill delivery while its files are read inside the import's transaction.
struct DeliveryLoad {
  let path: String
  var importID: Int64?
  var writer: CostLineWriter?
  var format = ""
  var formatVersion = ""
  var source: String?
  var files: [ImportedFile] = []
  var periods = PeriodAccumulator()
  /// Azure: what the records say about the dataset, over all files of the delivery.
  var datasetEvidence: DatasetEvidence?
  var totals: [PeriodTotals] { periods.totals }
  var lineIDs: ClosedRange<Int64>? { writer?.lineIDs }

  init(path: String) {
    self.path = path
  }

  /// Reads one data file of the delivery. With `hashing`, the file is read from the kernel once
  /// for both parsing and its SHA-256 (``HashingFileSource``), which its entry in ``files`` then
  /// has; otherwise that entry has no SHA-256 yet, and the importer fills it in.
  mutating func read(file: String, store: Store, jsonLines: Bool, hashing: Bool = false) throws {
    let hashed = hashing ? try HashingFileSource(path: file) : nil
    let source = try decompressingIfGzip(hashed ?? FileByteSource(path: file), path: file)
    try read(file: file, store: store, jsonLines: jsonLines, source: source)
    if let hashed { files[files.count - 1].sha256 = try hashed.sha256() }
  }

  private mutating func read(
    file: String, store: Store, jsonLines: Bool, source: any ByteSource
  ) throws {
    if jsonLines {
      let lines = GCPBillingJSONLines(source: source, path: file)
      let header = GCPBillingJSONLines.header
      var mapper = try GCPBillingMapper(header: header, path: file, version: "jsonl")
      try read(
        file: file, store: store, header: header, mapper: &mapper,
        reportsColumnNumbers: false
      ) { _, body in try lines.forEachRecord(body) }
      return
    }
    let reader = CSVReader(source: source, path: file)
    let header = Header(try reader.readHeader())
    // Parsed on a second thread while this one maps and inserts.
    let records: ([Bool], (CSVRecord) throws -> Void) throws -> Void = { kept, body in
      try reader.forEachRecord(keeping: kept, parsingAhead: true, body)
    }
    switch FormatDetection.csvKind(header) {
    case .focus?:
      var mapper = try FocusMapper(header: header, path: file)
      try read(
        file: file, store: store, header: header, mapper: &mapper,
        records: records)
    case .awsCUR?:
      var mapper = try AWSCURMapper(header: header, path: file)
      try read(
        file: file, store: store, header: header, mapper: &mapper,
        records: records)
    case .awsCUR2?:
      var mapper = try AWSCURMapper(header: header, path: file, schema: .cur2)
      try read(
        file: file, store: store, header: header, mapper: &mapper,
        records: records)
    case .azure(let agreement)?:
      var mapper = try AzureCostMapper(header: header, path: file, agreement: agreement)
      try read(
        file: file, store: store, header: header, mapper: &mapper,
        records: records)
    case .gcpBilling?:
      var mapper = try GCPBillingMapper(header: header, path: file, version: "csv")
      try read(
        file: file, store: store, header: header, mapper: &mapper,
        records: records)
    case .ociCostReport?:
      var mapper = try OCICostReportMapper(header: header, path: file)
      try read(
        file: file, store: store, header: header, mapper: &mapper,
        records: records)
    case .inventory?, .focusContractCommitment?, nil:
      let start = header.names.prefix(6).joined(separator: ",")
      throw InputError(
        "a data file of a billing delivery must be a billing export; looked for "
          + FormatDetection.lookedFor + "; the header starts with \"\(start)\"",
        at: SourceLocation(file: file, line: 1))
    }
  }

  private mutating func read<Mapper: CostLineMapper>(
    file: String, store: Store, header: Header,
    mapper: inout Mapper, reportsColumnNumbers: Bool = true,
    records: ([Bool], (CSVRecord) throws -> Void) throws -> Void
  ) throws {
    if importID == nil {
      format = mapper.format
      formatVersion = mapper.formatVersion
      let id = try store.beginImport(
        path: path, format: mapper.format, formatVersion: mapper.formatVersion)
      importID = id
      // Azure's datasets are paired, which changes costs, after all files are written: such a
      // delivery is read back in one pass at the end.
      writer = try CostLineWriter(
        connection: store.connection, importID: id, readsBack: mapper.datasetEvidence == nil)
    } else if format != mapper.format {
      throw InputError(
        "this data file is \(mapper.format) but the delivery's first file is \(format)",
        at: SourceLocation(file: file, line: 1))
    }
    guard let writer else { return }
    var rowCount = 0
    var firstSource: String?
    let byteCount = (try? fileSize(file)) ?? 0
    try records(mapper.keptColumns) { record in
      var fields = RecordFields(
        record: record, header: header, path: file, nullLiteral: mapper.readsNULLAsNull)
      fields.reportsColumnNumbers = reportsColumnNumbers
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
      try mapper.forEachExtraLine(fields, after: line) { extra in
        let period = try periods.add(extra, location: fields.location(nil))
        try periods.withMonthText(period) { try writer.write(extra, billingPeriod: $0) }
      }
      rowCount += 1
      if rowCount % 4096 == 0 { try writer.readBackWritten() }
    }
    try writer.readBackWritten()
    if source == nil { source = firstSource }
    if let evidence = mapper.datasetEvidence {
      if datasetEvidence == nil { datasetEvidence = DatasetEvidence() }
      datasetEvidence?.merge(evidence)
    }
    files.append(
      ImportedFile(path: file, sha256: "", byteCount: byteCount, rowCount: rowCount))
  }
}

/// Totals per month and currency, accumulated line by line without building strings.
struct PeriodAccumulator {
  private struct Entry {
    var periodStart: Int64
    var currency: [UInt8]
    var monthText: [UInt8]
    var totals: PeriodTotals

    /// True for the entry of this period start and currency.
    func holds(_ periodStart: Int64, _ currency: UnsafeRawBufferPointer) -> Bool {
      self.periodStart == periodStart && self.currency.withUnsafeBytes { sameBytes($0, currency) }
    }
  }
  private var entries: [Entry] = []
  /// The entry of the previous line: consecutive lines nearly always share one.
  private var lastIndex = 0

  var totals: [PeriodTotals] { entries.map(\.totals) }

  /// Adds a line; returns the index of its month and currency. An overflow of the totals is
  /// reported at `location`.
  mutating func add(_ line: CostLine, location: @autoclosure () -> SourceLocation)
    throws(InputError) -> Int
  {
    let start = line.billingPeriodStart.secondsSinceEpoch
    var index = lastIndex
    if index >= entries.count || !entries[index].holds(start, line.billingCurrency) {
      index = entries.firstIndex { $0.holds(start, line.billingCurrency) } ?? entries.count
    }
    if index == entries.count {
      let month = line.billingPeriodStart.month
      entries.append(
        Entry(
          periodStart: start, currency: Array(line.billingCurrency),
          monthText: Array(month.description.utf8),
          totals: PeriodTotals(
            month: month, currency: String(decoding: line.billingCurrency, as: UTF8.self),
            rowCount: 0, totals: CostTotals())))
    }
    lastIndex = index
    do {
      try entries[index].totals.totals.add(line)
    } catch {
      throw InputError("the file's total \(error.description)", at: location())
    }
    entries[index].totals.rowCount += 1
    return index
  }

  func withMonthText<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
    try entries[index].monthText.withUnsafeBytes(body)
  }
}
