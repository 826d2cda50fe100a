/// What the benchmark bill generator wrote.
public struct BenchSummary: Sendable {
  /// Data rows written (the header excluded); equals the requested count.
  public var lineCount: Int
  /// Columns per row.
  public var columnCount: Int
  /// Bytes written, header included.
  public var byteCount: Int
  /// Distinct `lineItem/ResourceId` values the catalogue can produce.
  public var resourceCount: Int
  /// Σ `lineItem/UnblendedCost` in nanos.
  public var billedTotal: Int64
  /// Σ amortised cost (formats.md §2.5) in nanos; equals ``billedTotal``.
  public var effectiveTotal: Int64
}

/// A large legacy CUR for import benchmarks: exactly `lines` data rows at hourly
/// granularity, 101 columns (the tag columns and realistic `product/*` attributes included;
/// about 850 bytes a row, as real CUR rows weigh), about 3,000 distinct resource ids and 50
/// usage types, for October 2026.
///
/// It is written in bounded memory: rows go into a buffer that is flushed to the sink every
/// 8 MiB. The same commitments as the sample months are applied hour by hour (reservations,
/// then Savings Plans, each with its hourly recurring-fee line), and the month-end lines
/// (reservation fees, upfront payments, discounts, credit, refund, support, tax) close the
/// file, so Σ effective = Σ billed holds here too, exactly, whatever the line count. The rows
/// fill as many hours from the start of the month as the count needs (at least 200 rows an
/// hour); when that is less than the whole month, one recurring-fee line per Savings Plan
/// covers the remaining hours, unused.
public struct BenchCUR: Sendable {
  /// The number of data rows to write (at least ``minimumLines``).
  public var lines: Int
  /// The seed every random choice derives from.
  public var seed: UInt64
  /// The billing month.
  public var month = BillingMonth(year: 2026, month: 10)
  /// The size of the resource pool.
  public var resourceCount = 3_000

  /// The smallest line count the generator accepts (room for the month-end lines).
  public static let minimumLines = 100

  /// The version of the generator's output; a change of output changes it, so cached files
  /// can be told apart.
  public static let formatVersion = 2

  /// Creates a generator of `lines` rows.
  public init(lines: Int, seed: UInt64) {
    precondition(lines >= BenchCUR.minimumLines, "at least \(BenchCUR.minimumLines) lines")
    self.lines = lines
    self.seed = seed
  }

  /// The header of the file.
  public var columns: [String] { CURSchema.wide.header }

  /// Writes the CSV to the file at `path`.
  @discardableResult
  public func write(toFile path: String) throws -> BenchSummary {
    let sink = try FileSink(path: path)
    let summary = try write { try sink.write($0) }
    try sink.close()
    return summary
  }

  /// Generates the CSV, handing it to `flush` in chunks of about 8 MiB.
  @discardableResult
  public func write(flush: ([UInt8]) throws -> Void) throws -> BenchSummary {
    var generator = BenchGenerator(bench: self)
    return try generator.run(flush: flush)
  }
}

private struct BenchGenerator {
  let bench: BenchCUR
  let month: BillingMonth
  let catalog: Catalog
  let commitments: Commitments
  let factory: LineFactory
  var writer: CURWriter
  var ledger: ChargeLedger
  var random: SplitMix64
  var reservationHoursUsed: [Int64]
  var bytesFlushed = 0
  /// The first positive on-demand usage line written, repeated to pad the file to the exact
  /// line count: it adds to totals that are already positive, so the month-end lines stay
  /// the same in number.
  var fillerLine: CURLine?
  /// The end of the last hour that has its Savings Plan fee lines (an hour too short for
  /// them has on-demand lines only).
  var feesWrittenUntil = 0
  let flushThreshold = 8 << 20

  init(bench: BenchCUR) {
    self.bench = bench
    month = bench.month
    var catalog = BenchCatalog.make(seed: bench.seed, resourceCount: bench.resourceCount)
    commitments = Commitments.make(
      month: month, seed: bench.seed, reservationScale: 5, planScale: 12, catalog: &catalog)
    ledger = ChargeLedger(catalog: &catalog)
    let planTags = catalog.tagSet(TagSet(team: "platform", costCenter: "CC-0001"))
    self.catalog = catalog
    factory = LineFactory(
      catalog: catalog, commitments: commitments, month: month, planTags: planTags)
    var bill = BillIdentity(month: month, invoiceIds: [:])
    var invoiceRandom = SplitMix64(seed: bench.seed, stream: 0xB111)
    bill.invoiceIds[.anniversary] = "\(invoiceRandom.int(in: 1_000_000_000...1_999_999_999))"
    bill.invoiceIds[.purchase] = "\(invoiceRandom.int(in: 2_000_000_000...2_999_999_999))"
    bill.invoiceIds[.refund] = "\(invoiceRandom.int(in: 3_000_000_000...3_999_999_999))"
    writer = CURWriter(
      schema: .wide, catalog: catalog, bill: bill, reservations: commitments.reservations,
      savingsPlans: commitments.savingsPlans, lineEnding: "\n", seed: bench.seed,
      capacity: flushThreshold + (1 << 20))
    random = SplitMix64(seed: bench.seed, stream: 0xBE7C)
    reservationHoursUsed = Array(repeating: 0, count: commitments.reservations.count)
  }

  /// The most month-end lines there can be.
  var maximumClosingLines: Int {
    let reservations = commitments.reservations.count * 2
    let plans = commitments.savingsPlans.count
    let accounts = catalog.accounts.count
    return reservations + plans * 2 + accounts + 3 + accounts * ChargeLedger.codes.count
  }

  mutating func run(flush: ([UInt8]) throws -> Void) throws -> BenchSummary {
    let budget = bench.lines - maximumClosingLines
    let hours = month.hours
    let perHour = max(200, (budget + hours - 1) / hours)
    var written = 0
    var hour = 0
    while written < budget {
      let quota = min(perHour, budget - written)
      writeHour(hour, quota: quota)
      written += quota
      hour += 1
      if writer.csv.bytes.count >= flushThreshold { try flushBuffer(flush) }
    }
    // The Savings Plans' fees for the hours after the last one written (nothing used), so
    // the commitments cover the whole month whatever the line count.
    var rest: [CURLine] = []
    if feesWrittenUntil < month.hours {
      let hours = Int64(month.hours - feesWrittenUntil)
      for plan in commitments.savingsPlans.indices {
        rest.append(
          factory.recurringFee(
            plan: plan, used: 0, hours: hours, from: feesWrittenUntil, to: month.hours))
      }
    }
    var probe = ledger
    for line in rest { probe.record(line, catalog: catalog) }
    let closingCount = closingLines(probe).count
    // Pad to the exact count with lines that leave the number of month-end lines unchanged.
    let fillerHour = max(0, hour - 1)
    if var filler = fillerLine {
      (filler.intervalStart, filler.intervalEnd) = (fillerHour, fillerHour + 1)
      (filler.usageStart, filler.usageEnd) = (fillerHour, fillerHour + 1)
      for _ in 0..<(bench.lines - written - rest.count - closingCount) { emit(filler) }
    }
    for line in rest { emit(line) }
    for line in closingLines(ledger) { writer.write(line) }
    try flushBuffer(flush)
    precondition(writer.linesWritten == bench.lines, "wrote \(writer.linesWritten) lines")
    precondition(writer.billedTotal == writer.effectiveTotal, "amortised total must equal billed")
    return BenchSummary(
      lineCount: writer.linesWritten, columnCount: CURSchema.wide.columnCount,
      byteCount: bytesFlushed, resourceCount: catalog.resources.count,
      billedTotal: writer.billedTotal, effectiveTotal: writer.effectiveTotal)
  }

  private func closingLines(_ ledger: ChargeLedger) -> [CURLine] {
    ledger.closingLines(
      factory: factory, reservationHoursUsed: reservationHoursUsed,
      creditAccount: SampleCatalog.ml, refundAccount: SampleCatalog.search)
  }

  private mutating func flushBuffer(_ flush: ([UInt8]) throws -> Void) throws {
    try flush(writer.csv.bytes)
    bytesFlushed += writer.csv.bytes.count
    writer.csv.removeAll()
  }

  private mutating func emit(_ line: CURLine) {
    if fillerLine == nil, line.type == .usage, line.unblendedCost > 0 { fillerLine = line }
    writer.write(line)
    ledger.record(line, catalog: catalog)
  }

  /// Writes exactly `quota` lines for hour `hour`: a window of the resource pool, with
  /// commitments applied, then one recurring-fee line per Savings Plan.
  private mutating func writeHour(_ hour: Int, quota: Int) {
    let resources = catalog.resources
    let planCount = commitments.savingsPlans.count
    let feeLines = quota > planCount ? planCount : 0
    var remaining = quota - feeLines
    var coverage = CoverageHour(commitments)
    var planUsed = [Int64](repeating: 0, count: planCount)
    var cursor = (hour * 7_919) % resources.count
    let end = hour + 1
    while remaining > 0 {
      let resource = resources[cursor]
      cursor = (cursor + 1) % resources.count
      if resource.kind == .instance {
        var trial = coverage
        let cover =
          feeLines == 0
          ? CoverageHour.Cover.onDemand
          : trial.cover(product: resource.products[0], in: catalog, commitments: commitments)
        switch cover {
        case .reservation(let reservation):
          coverage = trial
          reservationHoursUsed[reservation] += 1
          emit(
            factory.discountedUsage(
              resource, hours: 1, reservation: reservation, from: hour, to: end))
          remaining -= 1
        case .savingsPlan(let plan, let rate):
          guard remaining >= 2 else { continue }
          coverage = trial
          planUsed[plan] += rate
          let covered = factory.coveredUsage(
            resource, hours: 1, plan: plan, rate: rate, from: hour, to: end)
          emit(covered)
          emit(factory.negation(of: covered))
          remaining -= 2
        case .onDemand:
          emit(
            factory.usage(
              resource, product: resource.products[0], amount: DecimalText.nanosPerUnit,
              from: hour, to: end))
          remaining -= 1
        }
      } else {
        for (product, amount) in HourlyUsage.amounts(of: resource, month: month, random: &random) {
          guard remaining > 0 else { break }
          emit(factory.usage(resource, product: product, amount: amount, from: hour, to: end))
          remaining -= 1
        }
      }
    }
    for plan in 0..<feeLines {
      emit(factory.recurringFee(plan: plan, used: planUsed[plan], hours: 1, from: hour, to: end))
    }
    if feeLines > 0 { feesWrittenUntil = end }
  }
}

/// The hourly quantities of the resources that are not instances.
private enum HourlyUsage {
  static func amounts(of resource: Resource, month: BillingMonth, random: inout SplitMix64)
    -> [(Int, Int64)]
  {
    let hours = Int64(month.hours)
    let unit = DecimalText.nanosPerUnit
    switch resource.kind {
    case .instance:
      return []
    case .volume:
      return [(resource.products[0], resource.size * unit / hours)]
    case .database:
      return [(resource.products[0], unit), (resource.products[1], resource.size * unit / hours)]
    case .bucket:
      return [
        (resource.products[0], resource.size * unit / hours),
        (resource.products[1], random.int64(in: 1...4_000) * unit),
        (resource.products[2], random.int64(in: 1...40_000) * unit),
      ]
    case .function:
      let invocations = random.int64(in: 1...20_000)
      return [
        (resource.products[0], invocations * 300_000_000 / 1_024 * resource.size),
        (resource.products[1], invocations * unit),
      ]
    case .logGroup:
      return [(resource.products[0], random.int64(in: 1_000...2_000_000_000))]
    case .metrics:
      return [(resource.products[0], resource.size * unit / hours)]
    case .transfer:
      return [(resource.products[0], random.int64(in: 1_000...5_000_000_000))]
    }
  }
}

/// The generated estate of the benchmark bill: `resourceCount` resources spread over the
/// five accounts, two regions and every product family the sample bills use.
private enum BenchCatalog {
  static func make(seed: UInt64, resourceCount: Int) -> Catalog {
    var catalog = Catalog()
    var random = SplitMix64(seed: seed, stream: 0xBE7C_CA7A)
    let teams = ["platform", "payments", "search", "data-eng", "ml"]
    // Variants of each team's tags, the first being the most common.
    let teamVariants: [[TagSet]] = [
      [
        TagSet(team: "platform", costCenter: "CC-0001", env: "prod"),
        TagSet(capitalTeam: "Platform", env: "prod"), .untagged,
      ],
      [
        TagSet(team: "payments", costCenter: "CC-1001", env: "prod"),
        TagSet(capitalTeam: "Payments", costCenter: "CC-1001", env: "prod"),
        TagSet(team: "pay", env: "prd"), TagSet(team: "Paymnts", costCenter: "cc1001", env: "prod"),
      ],
      [
        TagSet(team: "search", costCenter: "CC-2002", env: "prod"),
        TagSet(team: " search", env: "prod"),
        TagSet(team: "search", capitalTeam: "Search", costCenter: "CC-2002", env: "staging"),
      ],
      [
        TagSet(team: "data-eng", costCenter: "CC-3003", env: "prod"),
        TagSet(capitalTeam: "data", costCenter: "CC-33", env: "prod"),
        TagSet(team: "data-eng", capitalTeam: "ml", env: "staging"),
      ],
      [
        TagSet(team: "ml", costCenter: "CC-4004", env: "staging"),
        TagSet(capitalTeam: "ML", env: "prod"),
      ],
    ]
    let creators = [
      "AssumedRole:AROA3EXAMPLE7TERRAFORM:terraform-ci", "IAMUser:AIDA3EXAMPLE2ALICE:alice",
      "AssumedRole:AROA3EXAMPLE9KARPENTER:karpenter", "",
    ]
    let purposes = ["api", "worker", "batch", "cache", "gateway", "indexer", "etl", "train"]
    let instanceTypes = instanceSpecs.map(\.type)
    for _ in 0..<resourceCount {
      let account = pickAccount(&random)
      let region = random.chance(7, in: 10) ? Region.usEast1 : Region.euWest1
      let zone = random.pick(region.zones)
      let team = teams[account]
      var tags =
        random.chance(1, in: 12)
        ? TagSet.untagged
        : (random.chance(3, in: 5) ? teamVariants[account][0] : random.pick(teamVariants[account]))
      if tags != .untagged {
        tags.createdBy = random.pick(creators)
        tags.name = "\(team)-\(random.pick(purposes))-\(random.int(in: 1...400))"
      }
      let tagIndex = catalog.tagSet(tags)
      let accountId = catalog.accounts[account].id
      let roll = random.int(in: 0...99)
      let resource: Resource
      switch roll {
      case 0..<45:
        let product = catalog.instance(
          random.pick(instanceTypes), region, windows: random.chance(1, in: 10))
        resource = Resource(
          kind: .instance, id: "i-0" + random.hex(count: 16), account: account, region: region,
          zone: zone, products: [product], tags: tagIndex)
      case 45..<60:
        resource = Resource(
          kind: .volume, id: "vol-0" + random.hex(count: 16), account: account, region: region,
          zone: zone, products: [catalog.volume(region)], tags: tagIndex,
          size: random.int64(in: 20...2_000))
      case 60..<66:
        let name = "\(team)-\(random.pick(purposes))-\(random.hex(count: 6))"
        resource = Resource(
          kind: .database, id: "arn:aws:rds:\(region.code):\(accountId):db:\(name)",
          account: account, region: region, zone: zone,
          products: [
            catalog.database(random.pick(["db.r5.large", "db.m5.large", "db.r5.xlarge"]), region),
            catalog.databaseStorage(region),
          ], tags: tagIndex, size: random.int64(in: 100...4_000))
      case 66..<74:
        resource = Resource(
          kind: .bucket, id: "\(team)-\(random.pick(purposes))-\(random.hex(count: 8))",
          account: account, region: region, zone: "", products: catalog.bucketProducts(region),
          tags: tagIndex, size: random.int64(in: 10...50_000))
      case 74..<82:
        let name = "\(team)-\(random.pick(purposes))-\(random.hex(count: 6))"
        resource = Resource(
          kind: .function, id: "arn:aws:lambda:\(region.code):\(accountId):function:\(name)",
          account: account, region: region, zone: "", products: catalog.functionProducts(region),
          tags: tagIndex, size: random.pick([128, 256, 512, 1_024, 2_048]))
      case 82..<88:
        let name = "/aws/\(team)/\(random.pick(purposes))-\(random.hex(count: 4))"
        resource = Resource(
          kind: .logGroup, id: "arn:aws:logs:\(region.code):\(accountId):log-group:\(name)",
          account: account, region: region, zone: "",
          products: [catalog.monitoringProducts(region)[1]], tags: tagIndex)
      case 88..<90:
        resource = Resource(
          kind: .metrics, id: "", account: account, region: region, zone: "",
          products: [catalog.monitoringProducts(region)[0]], tags: 0,
          size: random.int64(in: 10...2_000))
      default:
        resource = Resource(
          kind: .transfer, id: "i-0" + random.hex(count: 16), account: account, region: region,
          zone: "", products: [random.pick(catalog.transferProducts(region))], tags: tagIndex)
      }
      catalog.add(resource)
    }
    return catalog
  }

  private static func pickAccount(_ random: inout SplitMix64) -> Int {
    switch random.int(in: 0...99) {
    case 0..<10: 0
    case 10..<40: 1
    case 40..<65: 2
    case 65..<85: 3
    default: 4
    }
  }
}
