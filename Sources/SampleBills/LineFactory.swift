/// Builds the ``CURLine`` of each kind of charge, for any line period (a day in the sample
/// bills, an hour in the benchmark bill). Periods are hour offsets from the month start.
struct LineFactory {
  let catalog: Catalog
  let commitments: Commitments
  let month: BillingMonth
  /// The tag set of the Savings Plans (owned by the platform team).
  let planTags: Int
  /// `pricing/RateCode` of each product's on-demand offer, made once.
  private let onDemandRateCodes: [String]

  init(catalog: Catalog, commitments: Commitments, month: BillingMonth, planTags: Int) {
    self.catalog = catalog
    self.commitments = commitments
    self.month = month
    self.planTags = planTags
    onDemandRateCodes = catalog.products.map { "\($0.sku).JRTCKXETXF.6YS6EN2CT7" }
  }

  /// On-demand usage of `amount` units (nanos) of `product`.
  func usage(_ resource: Resource, product: Int, amount: Int64, from start: Int, to end: Int)
    -> CURLine
  {
    let priced = catalog.products[product]
    let cost = DecimalText.multiply(amount, by: priced.rate)
    return CURLine(
      type: .usage, intervalStart: start, intervalEnd: end, usageStart: start, usageEnd: end,
      account: resource.account, product: product, resourceId: resource.id, zone: resource.zone,
      usageAmount: amount, normalizationFactor: priced.normalizationFactor,
      unblendedRate: priced.rate, unblendedCost: cost, description: priced.description,
      publicRate: priced.rate, publicCost: cost, term: "OnDemand",
      rateCode: onDemandRateCodes[product], tags: resource.tags)
  }

  /// Instance-hours covered by a reservation: no unblended cost; the reservation's recurring
  /// and amortised upfront rates make up `reservation/EffectiveCost`.
  func discountedUsage(
    _ resource: Resource, hours: Int64, reservation index: Int, from start: Int, to end: Int
  ) -> CURLine {
    let product = resource.products[0]
    let priced = catalog.products[product]
    let reservation = commitments.reservations[index]
    let amount = hours * DecimalText.nanosPerUnit
    let recurring = hours * reservation.recurringRate
    let amortized = hours * reservation.amortizedRate
    return CURLine(
      type: .discountedUsage, intervalStart: start, intervalEnd: end, usageStart: start,
      usageEnd: end, account: resource.account, product: product, resourceId: resource.id,
      zone: resource.zone, usageAmount: amount, normalizationFactor: priced.normalizationFactor,
      unblendedRate: 0, unblendedCost: 0,
      description:
        "USD 0.0 hourly fee per Linux/UNIX (Amazon VPC), \(priced.instanceType) instance",
      publicRate: priced.rate, publicCost: hours * priced.rate, term: "Reserved",
      rateCode: "\(priced.sku).\(reservation.offeringTermCode).6YS6EN2CT7",
      reservation: ReservationAmounts(
        reservation: index, effectiveCost: recurring + amortized,
        amortizedUpfrontCostForUsage: amortized, recurringFeeForUsage: recurring),
      tags: resource.tags)
  }

  /// Instance-hours covered by a Savings Plan: billed at on-demand, with the plan's rate as
  /// `savingsPlan/SavingsPlanEffectiveCost`.
  func coveredUsage(
    _ resource: Resource, hours: Int64, plan: Int, rate: Int64, from start: Int, to end: Int
  ) -> CURLine {
    var line = usage(
      resource, product: resource.products[0], amount: hours * DecimalText.nanosPerUnit,
      from: start, to: end)
    line.type = .savingsPlanCoveredUsage
    line.savingsPlan = SavingsPlanAmounts(plan: plan, rate: rate, effectiveCost: hours * rate)
    return line
  }

  /// The negative twin of a covered line: it cancels the on-demand charge on the invoice.
  func negation(of covered: CURLine) -> CURLine {
    var line = covered
    let priced = catalog.products[covered.product]
    line.type = .savingsPlanNegation
    line.unblendedRate = -(covered.unblendedRate ?? 0)
    line.unblendedCost = -covered.unblendedCost
    line.publicRate = nil
    line.publicCost = nil
    line.term = ""
    line.rateCode = ""
    line.description =
      "SavingsPlanNegation used by AccountId : \(catalog.accounts[covered.account].id) and UsageSku : \(priced.sku)"
    line.savingsPlan?.effectiveCost = nil
    return line
  }

  /// A Savings Plan's fee for `hours` hours: the commitment, of which `used` was used.
  func recurringFee(plan index: Int, used: Int64, hours: Int64, from start: Int, to end: Int)
    -> CURLine
  {
    let plan = commitments.savingsPlans[index]
    return CURLine(
      type: .savingsPlanRecurringFee, intervalStart: start, intervalEnd: end, usageStart: start,
      usageEnd: end, account: Catalog.payer, product: plan.feeProduct, resourceId: plan.arn,
      usageAmount: hours * DecimalText.nanosPerUnit, unblendedRate: plan.recurringHourly,
      unblendedCost: hours * plan.recurringHourly, description: plan.description,
      savingsPlan: SavingsPlanAmounts(
        plan: index, usedCommitment: used, totalCommitment: hours * plan.hourlyCommitment,
        amortizedUpfrontForPeriod: hours * plan.amortizedHourly,
        recurringForPeriod: hours * plan.recurringHourly, describesPlan: true),
      tags: planTags)
  }

  /// A reservation's monthly fee for all its reserved hours, of which `usedHours` were used.
  func reservationFee(reservation index: Int, usedHours: Int64) -> CURLine {
    let reservation = commitments.reservations[index]
    let priced = catalog.products[reservation.feeProduct]
    let unused = reservation.reservedHours - usedHours
    return CURLine(
      type: .riFee, intervalStart: 0, intervalEnd: month.hours, usageStart: 0,
      usageEnd: month.hours, account: Catalog.payer, product: reservation.feeProduct,
      usageAmount: reservation.reservedHours * DecimalText.nanosPerUnit,
      normalizationFactor: priced.normalizationFactor, unblendedRate: reservation.recurringRate,
      unblendedCost: reservation.reservedHours * reservation.recurringRate,
      description:
        "USD \(DecimalText.plain(reservation.recurringRate)) hourly fee per Linux/UNIX (Amazon VPC), \(priced.instanceType) instance",
      term: "Reserved",
      rateCode: "\(priced.sku).\(reservation.offeringTermCode).6YS6EN2CT7",
      reservation: ReservationAmounts(
        reservation: index,
        amortizedUpfrontFeeForBillingPeriod: reservation.reservedHours * reservation.amortizedRate,
        unusedAmortizedUpfrontFeeForBillingPeriod: unused * reservation.amortizedRate,
        unusedRecurringFee: unused * reservation.recurringRate,
        unusedQuantity: unused * DecimalText.nanosPerUnit,
        totalReservedUnits: reservation.reservedHours * DecimalText.nanosPerUnit,
        upfrontValue: reservation.amortizedRate > 0 ? reservation.upfrontValue : nil))
  }

  /// The upfront payment of a reservation (a `Fee` line with a reservation ARN).
  func reservationUpfront(reservation index: Int) -> CURLine {
    let reservation = commitments.reservations[index]
    return CURLine(
      type: .fee, intervalStart: 0, intervalEnd: month.hours, usageStart: 0, usageEnd: 0,
      billType: .purchase, account: Catalog.payer, product: reservation.feeProduct,
      usageAmount: reservation.count * DecimalText.nanosPerUnit,
      unblendedRate: reservation.upfrontValue / reservation.count,
      unblendedCost: reservation.upfrontValue,
      description:
        "Sign up charge for subscription: \(reservation.subscriptionId), planId: \(reservation.subscriptionId.suffix(7))",
      reservation: ReservationAmounts(reservation: index, upfrontValue: reservation.upfrontValue))
  }

  /// The upfront payment of a Savings Plan, amortised over its term (here: this month).
  func savingsPlanUpfront(plan index: Int) -> CURLine {
    let plan = commitments.savingsPlans[index]
    let amount = plan.amortizedHourly * Int64(month.hours)
    return CURLine(
      type: .savingsPlanUpfrontFee, intervalStart: 0, intervalEnd: month.hours, usageStart: 0,
      usageEnd: 0, billType: .purchase, account: Catalog.payer, product: plan.feeProduct,
      resourceId: plan.arn, usageAmount: DecimalText.nanosPerUnit, unblendedRate: amount,
      unblendedCost: amount, description: "\(plan.description) upfront fee",
      savingsPlan: SavingsPlanAmounts(plan: index, describesPlan: true), tags: planTags)
  }

  /// A month-level charge without usage: tax, credit, refund, discount, support.
  func monthlyCharge(
    _ type: LineItemType, account: Int, product: Int, amount: Int64, description: String,
    billType: BillType = .anniversary, taxType: String = ""
  ) -> CURLine {
    CURLine(
      type: type, intervalStart: 0, intervalEnd: month.hours, usageStart: 0,
      usageEnd: month.hours, billType: billType, account: account, product: product,
      usageAmount: type == .tax || type == .fee ? DecimalText.nanosPerUnit : nil,
      unblendedCost: amount, description: description, taxType: taxType)
  }
}

/// Running totals per account and product code, for the month-end lines (tax, discounts,
/// support) that are computed from what was billed.
struct ChargeLedger {
  static let codes = [
    "AmazonEC2", "AmazonRDS", "AmazonS3", "AWSLambda", "AmazonCloudWatch", "AWSDataTransfer",
    "ComputeSavingsPlans", "AWSSupportBusiness",
  ]
  static let names = [
    "Amazon Elastic Compute Cloud", "Amazon Relational Database Service",
    "Amazon Simple Storage Service", "AWS Lambda", "AmazonCloudWatch", "AWS Data Transfer",
    "Savings Plans for AWS Compute usage", "AWS Support (Business)",
  ]

  /// Σ unblended by account (outer) and code (inner, in ``codes`` order).
  private(set) var billed: [[Int64]]
  /// Whether an account was charged under a code (usage or fees; not credits or discounts).
  private(set) var charged: [[Bool]]
  /// Σ unblended of on-demand EC2 `Usage` lines by account (the EDP discount base).
  private(set) var onDemandCompute: [Int64]
  /// Σ unblended of usage and commitment fees (the support plan's base).
  private(set) var supportBase: Int64 = 0
  /// The products standing for each code on month-level lines.
  let chargeProducts: [Int]

  init(catalog: inout Catalog) {
    billed = Array(
      repeating: Array(repeating: 0, count: Self.codes.count), count: catalog.accounts.count)
    charged = Array(
      repeating: Array(repeating: false, count: Self.codes.count), count: catalog.accounts.count)
    onDemandCompute = Array(repeating: 0, count: catalog.accounts.count)
    var products: [Int] = []
    for (code, name) in zip(Self.codes, Self.names) {
      products.append(
        catalog.charge(
          code: code, name: name, usageType: code == "AWSSupportBusiness" ? "Dollar" : ""))
    }
    chargeProducts = products
  }

  mutating func record(_ line: CURLine, catalog: Catalog) {
    let code = catalog.products[line.product].code
    guard let codeIndex = Self.codes.firstIndex(of: code) else { return }
    billed[line.account][codeIndex] += line.unblendedCost
    switch line.type {
    case .credit, .refund, .edpDiscount, .tax: break
    default: charged[line.account][codeIndex] = true
    }
    switch line.type {
    case .usage:
      if codeIndex == 0 { onDemandCompute[line.account] += line.unblendedCost }
      supportBase += line.unblendedCost
    case .savingsPlanRecurringFee, .riFee, .discountedUsage, .savingsPlanCoveredUsage,
      .savingsPlanNegation:
      supportBase += line.unblendedCost
    default:
      break
    }
  }

  /// The month-end lines, in file order: reservation fees and upfront payments, Savings Plan
  /// upfront payments, EDP discounts, a credit, a refund, the support plan, then one tax line
  /// per account and product code that was charged (6% of its net total, `0.0` when that is
  /// not positive or rounds to less than a cent, as real CURs write). The number of lines
  /// depends only on which accounts were charged under which codes, not on the amounts.
  func closingLines(
    factory: LineFactory, reservationHoursUsed: [Int64], creditAccount: Int, refundAccount: Int
  ) -> [CURLine] {
    var lines: [CURLine] = []
    var ledger = self
    func add(_ line: CURLine) {
      lines.append(line)
      ledger.record(line, catalog: factory.catalog)
    }
    for (index, reservation) in factory.commitments.reservations.enumerated() {
      add(factory.reservationFee(reservation: index, usedHours: reservationHoursUsed[index]))
      if reservation.amortizedRate > 0 { add(factory.reservationUpfront(reservation: index)) }
    }
    for (index, plan) in factory.commitments.savingsPlans.enumerated()
    where plan.amortizedHourly > 0 {
      add(factory.savingsPlanUpfront(plan: index))
    }
    for account in factory.catalog.accounts.indices where ledger.onDemandCompute[account] != 0 {
      add(
        factory.monthlyCharge(
          .edpDiscount, account: account, product: chargeProducts[0],
          amount: -DecimalText.scale(ledger.onDemandCompute[account], by: 3, over: 100),
          description: "Enterprise Discount Program discount (3%)"))
    }
    add(
      factory.monthlyCharge(
        .credit, account: creditAccount, product: chargeProducts[0], amount: -75_000_000_000,
        description: "AWS Promotional Credit - machine learning pilot"))
    add(
      factory.monthlyCharge(
        .refund, account: refundAccount, product: chargeProducts[2], amount: -12_340_000_000,
        description: "Refund: Amazon S3 service level agreement credit", billType: .refund))
    let support = max(
      100_000_000_000, DecimalText.round(ledger.supportBase / 10, toMultipleOf: 10_000_000))
    add(
      factory.monthlyCharge(
        .fee, account: Catalog.payer, product: chargeProducts[7], amount: support,
        description: "AWS Support (Business)"))
    for account in factory.catalog.accounts.indices {
      for (codeIndex, code) in Self.codes.enumerated() where ledger.charged[account][codeIndex] {
        let tax = DecimalText.round(
          DecimalText.scale(max(0, ledger.billed[account][codeIndex]), by: 6, over: 100),
          toMultipleOf: 10_000_000)
        lines.append(
          factory.monthlyCharge(
            .tax, account: account, product: chargeProducts[codeIndex], amount: tax,
            description: "Tax for product code \(code)", taxType: "US Sales Tax"))
      }
    }
    return lines
  }
}
