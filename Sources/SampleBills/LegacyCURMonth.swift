/// A generated bill file and what the generator knows about it.
public struct GeneratedBill: Sendable {
  /// The file's bytes.
  public var bytes: [UInt8]
  /// The number of data rows (the header excluded).
  public var lineCount: Int
  /// The header, in order.
  public var columns: [String]
  /// Σ billed cost (`lineItem/UnblendedCost`, FOCUS `BilledCost`) in nanos.
  public var billedTotal: Int64
  /// Σ amortised cost (formats.md §2.5, FOCUS `EffectiveCost`) in nanos.
  public var effectiveTotal: Int64
}

/// One month of a legacy AWS Cost and Usage Report at daily granularity, as the sample bills
/// carry it: about 1,400 to 1,900 lines and 87 `category/Name` columns for five accounts.
///
/// The output is a pure function of `month` and `seed`. What the generator guarantees, in
/// integer nanos (10⁻⁹ USD) and so exactly:
///
/// - **Σ effective = Σ billed** for the month, where effective is the amortised cost of
///   formats.md §2.5 (covered usage → `SavingsPlanEffectiveCost`; Savings Plan recurring fee
///   → `TotalCommitmentToDate − UsedCommitment`; negation and Savings Plan upfront fee → 0;
///   `DiscountedUsage` → `reservation/EffectiveCost`; `RIFee` → unused amortised upfront +
///   unused recurring fee; a `Fee` with a `ReservationARN` → 0; anything else → unblended).
///   It holds because:
///   - per Savings Plan and line period, Σ `SavingsPlanEffectiveCost` of its covered lines
///     equals the `UsedCommitment` of its recurring-fee line, which is at most that line's
///     `TotalCommitmentToDate` (commitments are applied hour by hour, a line covered whole
///     only while the hour's commitment lasts), and every covered line has a negation line
///     of exactly minus its unblended cost;
///   - the recurring-fee line bills the recurring part of the commitment; for the
///     partial-upfront plan, whose term is this one month, the `SavingsPlanUpfrontFee` equals
///     the sum of the amortised parts (`AmortizedUpfrontCommitmentForBillingPeriod`);
///   - per reservation, the `RIFee` bills the recurring fee of all reserved hours of the
///     month; its `UnusedQuantity`, `UnusedRecurringFee` and
///     `UnusedAmortizedUpfrontFeeForBillingPeriod` are the unused hours and their shares; the
///     `DiscountedUsage` lines' `reservation/EffectiveCost` add up to the used hours' shares;
///     for the partial-upfront reservation (a one-month term) the upfront `Fee` equals its
///     `AmortizedUpfrontFeeForBillingPeriod`.
/// - Every `lineItem/LineItemType` appears: Usage, DiscountedUsage, RIFee, Fee (a
///   reservation's upfront payment and the AWS Support (Business) plan, product code
///   `AWSSupportBusiness`), SavingsPlanCoveredUsage, SavingsPlanNegation,
///   SavingsPlanRecurringFee, SavingsPlanUpfrontFee, Tax, Credit, Refund and EdpDiscount.
/// - Amounts are written with ten decimals (`0.0104000000`; the tenth is always 0), costs
///   below 10⁻⁴ in scientific notation (`1.2E-7`); each reads back to the same nanos.
/// - Tags come as both `resourceTags/user:team` and `resourceTags/user:Team`, with value
///   variants (`payments`, `Payments`, `pay`, ` search`, `Paymnts`, `ml`, `ML`, `data-eng`),
///   `user:cost-center` (`CC-1001`, and invalid ones such as `cc1001`), `user:env` (`prod`,
///   `prd`, `staging`) and `aws:createdBy`; some resources have no tags at all.
public struct LegacyCURMonth: Sendable {
  /// The billing month.
  public var month: BillingMonth
  /// The seed every random choice derives from.
  public var seed: UInt64
  /// What ends each row (`"\n"`, or `"\r\n"` as some exporters write).
  public var lineEnding: String

  /// Creates a generator for `month`.
  public init(month: BillingMonth, seed: UInt64, lineEnding: String = "\n") {
    self.month = month
    self.seed = seed
    self.lineEnding = lineEnding
  }

  /// Generates the month's CSV.
  public func generate() -> GeneratedBill {
    var catalog = SampleCatalog.make(seed: seed)
    let commitments = Commitments.make(month: month, seed: seed, catalog: &catalog)
    var ledger = ChargeLedger(catalog: &catalog)
    let planTags = catalog.tagSet(TagSet(team: "platform", costCenter: "CC-0001"))
    let frozen = catalog
    let factory = LineFactory(
      catalog: frozen, commitments: commitments, month: month, planTags: planTags)
    let monthKey = UInt64(month.year * 100 + month.month)
    var bill = BillIdentity(month: month, invoiceIds: [:])
    var invoiceRandom = SplitMix64(seed: seed, stream: 0x1_0000 ^ monthKey)
    bill.invoiceIds[.anniversary] = "\(invoiceRandom.int(in: 1_000_000_000...1_999_999_999))"
    bill.invoiceIds[.purchase] = "\(invoiceRandom.int(in: 2_000_000_000...2_999_999_999))"
    bill.invoiceIds[.refund] = "\(invoiceRandom.int(in: 3_000_000_000...3_999_999_999))"
    var writer = CURWriter(
      schema: .sample, catalog: frozen, bill: bill, reservations: commitments.reservations,
      savingsPlans: commitments.savingsPlans, lineEnding: lineEnding, seed: seed ^ monthKey,
      capacity: 1 << 21)

    func emit(_ line: CURLine) {
      writer.write(line)
      ledger.record(line, catalog: frozen)
    }

    let resources = frozen.resources
    let instances = resources.indices.filter { resources[$0].kind == .instance }
    var reservationHoursUsed = [Int64](repeating: 0, count: commitments.reservations.count)
    for day in 1...month.days {
      let start = (day - 1) * 24
      let end = start + 24
      // Which hours each instance ran, then who pays for each instance-hour.
      var masks = [UInt32](repeating: 0, count: resources.count)
      for index in instances {
        var random = dailyRandom(resource: index, day: day, salt: 1)
        masks[index] = resources[index].schedule.mask(month: month, day: day, random: &random)
      }
      let reservationCount = commitments.reservations.count
      let planCount = commitments.savingsPlans.count
      var reservedHours = [Int64](repeating: 0, count: resources.count * reservationCount)
      var planHours = [Int64](repeating: 0, count: resources.count * planCount)
      var planRates = [Int64](repeating: 0, count: resources.count * planCount)
      var onDemandHours = [Int64](repeating: 0, count: resources.count)
      var planUsed = [Int64](repeating: 0, count: planCount)
      for hour in 0..<24 {
        var coverage = CoverageHour(commitments)
        for index in instances where masks[index] & (1 << UInt32(hour)) != 0 {
          switch coverage.cover(
            product: resources[index].products[0], in: frozen, commitments: commitments)
          {
          case .reservation(let reservation):
            reservedHours[index * reservationCount + reservation] += 1
            reservationHoursUsed[reservation] += 1
          case .savingsPlan(let plan, let rate):
            planHours[index * planCount + plan] += 1
            planRates[index * planCount + plan] = rate
            planUsed[plan] += rate
          case .onDemand:
            onDemandHours[index] += 1
          }
        }
      }

      for (index, resource) in resources.enumerated() {
        var random = dailyRandom(resource: index, day: day, salt: 2)
        switch resource.kind {
        case .instance:
          for reservation in 0..<reservationCount
          where reservedHours[index * reservationCount + reservation] > 0 {
            emit(
              factory.discountedUsage(
                resource, hours: reservedHours[index * reservationCount + reservation],
                reservation: reservation, from: start, to: end))
          }
          for plan in 0..<planCount where planHours[index * planCount + plan] > 0 {
            let covered = factory.coveredUsage(
              resource, hours: planHours[index * planCount + plan], plan: plan,
              rate: planRates[index * planCount + plan], from: start, to: end)
            emit(covered)
            emit(factory.negation(of: covered))
          }
          if onDemandHours[index] > 0 {
            emit(
              factory.usage(
                resource, product: resource.products[0],
                amount: onDemandHours[index] * DecimalText.nanosPerUnit, from: start, to: end))
          }
        default:
          if resource.kind == .volume, resource.attachedTo >= 0, masks[resource.attachedTo] == 0 {
            continue
          }
          var scheduleRandom = dailyRandom(resource: index, day: day, salt: 3)
          if resource.schedule.mask(month: month, day: day, random: &scheduleRandom) == 0 {
            continue
          }
          for (product, amount) in DailyUsage.amounts(
            of: resource, month: month, day: day, random: &random)
          {
            emit(factory.usage(resource, product: product, amount: amount, from: start, to: end))
          }
        }
      }
      for plan in 0..<planCount {
        emit(
          factory.recurringFee(
            plan: plan, used: planUsed[plan], hours: 24, from: start, to: end))
      }
    }
    for line in ledger.closingLines(
      factory: factory, reservationHoursUsed: reservationHoursUsed,
      creditAccount: SampleCatalog.ml, refundAccount: SampleCatalog.search)
    {
      writer.write(line)
    }
    precondition(writer.billedTotal == writer.effectiveTotal, "amortised total must equal billed")
    return GeneratedBill(
      bytes: writer.csv.bytes, lineCount: writer.linesWritten, columns: CURSchema.sample.header,
      billedTotal: writer.billedTotal, effectiveTotal: writer.effectiveTotal)
  }

  private func dailyRandom(resource: Int, day: Int, salt: UInt64) -> SplitMix64 {
    let key =
      UInt64(month.year * 100 + month.month) << 32 | UInt64(day) << 24 | UInt64(resource) << 4
      | salt
    return SplitMix64(seed: seed, stream: key)
  }
}

/// The daily quantities of the resources that are not instances.
enum DailyUsage {
  /// `(product, amount in nanos of the product's unit)` pairs for one resource-day.
  static func amounts(
    of resource: Resource, month: BillingMonth, day: Int, random: inout SplitMix64
  ) -> [(Int, Int64)] {
    let days = Int64(month.days)
    let unit = DecimalText.nanosPerUnit
    switch resource.kind {
    case .instance:
      return []
    case .volume:
      // GB-months: the volume's size for one day of the month.
      return [(resource.products[0], resource.size * unit / days)]
    case .database:
      return [
        (resource.products[0], 24 * unit), (resource.products[1], resource.size * unit / days),
      ]
    case .bucket:
      // Storage grows about 3% a month; requests vary day to day.
      let monthIndex = Int64((month.year - 2026) * 12 + month.month)
      let gigabytes = resource.size * unit / 1_000 * (1_000 + monthIndex * 30 + Int64(day))
      let puts = resource.size * random.int64(in: 5...40)
      var amounts = [(resource.products[0], gigabytes / days), (resource.products[1], puts * unit)]
      if resource.size >= 4_000 {
        amounts.append((resource.products[2], resource.size * random.int64(in: 50...400) * unit))
      }
      return amounts
    case .function:
      let invocations = random.int64(in: 20_000...200_000)
      let gigabyteSeconds = invocations * 300_000_000 / 1_024 * resource.size
      return [(resource.products[0], gigabyteSeconds), (resource.products[1], invocations * unit)]
    case .logGroup:
      return [(resource.products[0], resource.size * unit / 100 * random.int64(in: 50...150))]
    case .metrics:
      return [(resource.products[0], resource.size * unit / days)]
    case .transfer:
      if resource.size == 0 {
        // A trickle: a few kilobytes, whose cost is a few hundred nano-dollars.
        return [(resource.products[0], random.int64(in: 1_000...60_000))]
      }
      return [(resource.products[0], resource.size * 1_000_000 / 100 * random.int64(in: 60...140))]
    }
  }
}
