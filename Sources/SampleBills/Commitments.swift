/// The reserved instances and Savings Plans the generated AWS bills own, for one month.
///
/// Two of them have a one-month term on purpose: a partial-upfront commitment whose upfront
/// fee is amortised entirely inside the bill that charges it, so that the month's amortised
/// total equals its billed total exactly (a real one-year term spreads the upfront fee over
/// twelve bills). Their `pricing/LeaseContractLength` and `savingsPlan/PurchaseTerm` say
/// `1mo`, which no AWS offering uses; the other two are ordinary one-year, no-upfront terms.
struct Commitments {
  var reservations: [ReservedInstance]
  var savingsPlans: [SavingsPlan]
  /// The order in which Savings Plans are applied: EC2 Instance plans before Compute plans,
  /// as AWS does.
  var planOrder: [Int]

  /// The commitments of `month`: reservation counts are multiplied by `reservationScale`,
  /// Savings Plan commitments by `planScale` (1 and 1 for the sample bills; the benchmark
  /// owns more of everything).
  static func make(
    month: BillingMonth, seed: UInt64, reservationScale: Int64 = 1, planScale: Int64 = 1,
    catalog: inout Catalog
  ) -> Commitments {
    let payer = catalog.accounts[Catalog.payer].id
    let monthStart = month.timestamp(hour: 0, milliseconds: true)
    let monthEnd = month.timestamp(hour: month.hours, milliseconds: true)
    let monthKey = UInt64(month.year * 100 + month.month)
    var lasting = SplitMix64(seed: seed, stream: 0xC0_0017)
    var monthly = SplitMix64(seed: seed, stream: 0xC0_0017 ^ monthKey << 20)

    func uuid(_ random: inout SplitMix64) -> String {
      "\(random.hex(count: 8))-\(random.hex(count: 4))-4\(random.hex(count: 3))-a\(random.hex(count: 3))-\(random.hex(count: 12))"
    }

    let xlargeEast = catalog.instance("m5.xlarge", .usEast1)
    let computeWest = catalog.instance("c5.2xlarge", .euWest1)
    let hours = Int64(month.hours)
    let noUpfrontCount = 4 * reservationScale
    let partialCount = 2 * reservationScale
    let reservations = [
      ReservedInstance(
        arn: "arn:aws:ec2:us-east-1:\(payer):reserved-instances/\(uuid(&lasting))",
        subscriptionId: "\(lasting.int(in: 1_000_000_000...9_999_999_999))",
        coveredProduct: xlargeEast, feeProduct: catalog.reservedFee(for: xlargeEast),
        count: noUpfrontCount, recurringRate: 121_000_000, amortizedRate: 0,
        start: "2026-04-01T00:00:00.000Z", end: "2027-04-01T00:00:00.000Z", lease: "1yr",
        purchaseOption: "No Upfront", offeringTermCode: "4NA7Y494T4",
        reservedHours: noUpfrontCount * hours),
      ReservedInstance(
        arn: "arn:aws:ec2:eu-west-1:\(payer):reserved-instances/\(uuid(&monthly))",
        subscriptionId: "\(monthly.int(in: 1_000_000_000...9_999_999_999))",
        coveredProduct: computeWest, feeProduct: catalog.reservedFee(for: computeWest),
        count: partialCount, recurringRate: 118_000_000, amortizedRate: 104_000_000,
        start: monthStart, end: monthEnd, lease: "1mo", purchaseOption: "Partial Upfront",
        offeringTermCode: "HU7G6KETJZ", reservedHours: partialCount * hours),
    ]
    let savingsPlans = [
      SavingsPlan(
        arn: "arn:aws:savingsplans::\(payer):savingsplan/\(uuid(&lasting))",
        offeringType: "ComputeSavingsPlans", paymentOption: "No Upfront", purchaseTerm: "1yr",
        region: "", instanceFamily: "", start: "2026-03-01T00:00:00.000Z",
        end: "2027-03-01T00:00:00.000Z", recurringHourly: 400_000_000 * planScale,
        amortizedHourly: 0,
        discountPercent: 28,
        feeProduct: catalog.charge(
          code: "ComputeSavingsPlans", name: "Savings Plans for AWS Compute usage",
          usageType: "ComputeSP:1yrNoUpfront"),
        description: "1 year No Upfront Compute Savings Plan"),
      SavingsPlan(
        arn: "arn:aws:savingsplans::\(payer):savingsplan/\(uuid(&monthly))",
        offeringType: "EC2InstanceSavingsPlans", paymentOption: "Partial Upfront",
        purchaseTerm: "1mo", region: "us-east-1", instanceFamily: "m5", start: monthStart,
        end: monthEnd, recurringHourly: 100_000_000 * planScale,
        amortizedHourly: 100_000_000 * planScale,
        discountPercent: 40,
        feeProduct: catalog.charge(
          code: "ComputeSavingsPlans", name: "Savings Plans for AWS Compute usage",
          usageType: "EC2InstanceSP:m5.1moPartialUpfront"),
        description: "One-month Partial Upfront EC2 Instance Savings Plan (m5, us-east-1)"),
    ]
    return Commitments(reservations: reservations, savingsPlans: savingsPlans, planOrder: [1, 0])
  }

  /// The reservation that covers `product`, if any.
  func reservation(covering product: Int) -> Int? {
    reservations.firstIndex { $0.coveredProduct == product }
  }
}

/// Per hour, applies reservations first and then Savings Plans, in a fixed instance order,
/// the way AWS applies commitments (a reservation to a matching instance-hour, a Savings
/// Plan while its hourly commitment lasts; a line is covered whole or not at all).
struct CoverageHour {
  private var reservationsLeft: [Int64]
  private var commitmentLeft: [Int64]

  init(_ commitments: Commitments) {
    reservationsLeft = commitments.reservations.map(\.count)
    commitmentLeft = commitments.savingsPlans.map(\.hourlyCommitment)
  }

  /// How one instance-hour is paid for.
  enum Cover: Equatable {
    case reservation(Int)
    case savingsPlan(Int, rate: Int64)
    case onDemand
  }

  mutating func cover(product: Int, in catalog: Catalog, commitments: Commitments) -> Cover {
    if let reservation = commitments.reservation(covering: product),
      reservationsLeft[reservation] > 0
    {
      reservationsLeft[reservation] -= 1
      return .reservation(reservation)
    }
    for plan in commitments.planOrder {
      if let rate = commitments.savingsPlans[plan].rate(for: catalog.products[product]),
        rate <= commitmentLeft[plan]
      {
        commitmentLeft[plan] -= rate
        return .savingsPlan(plan, rate: rate)
      }
    }
    return .onDemand
  }
}
