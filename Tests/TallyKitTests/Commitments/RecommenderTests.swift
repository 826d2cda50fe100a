import Foundation
import Testing

@testable import TallyKit

/// The whole stage on bills written by the tests: import, classify, size, estimate.
@Suite struct RecommenderTests {
  typealias Fixtures = CommitmentFixtures

  /// October 2026, 30 days × 24 hours.
  static let hours = 0..<720

  /// Linux m5.large, m5.xlarge and m5.2xlarge running every hour form one size-flexible pool
  /// of 4 + 8 + 16 = 28 normalised units; Windows m5.large and m5.xlarge do not pool: one
  /// pool per instance type.
  ///
  /// By hand: usage is 28 units in every hour, so every unit is used 100 % of the time, above
  /// the break-even utilisation of 1 − 0.35 = 65 % (built-in 1-year no-upfront RI discount):
  /// buy 28 units, i.e. 1.75 m5.2xlarge (the most used size: 16 of the 28 units) or 7
  /// m5.large. A unit-hour costs 0.096/4 = 0.024 on demand, so monthly savings are
  /// 28 × 0.024 × 730 × 0.35 = 171.696 → 171.70.
  @Test func sizeFlexiblePoolInNormalisedUnits() throws {
    var rows: [[String: String]] = []
    for hour in Self.hours {
      rows.append(Fixtures.instanceHour(hour: hour, type: "m5.large", rate: "0.096"))
      rows.append(Fixtures.instanceHour(hour: hour, type: "m5.xlarge", rate: "0.192"))
      rows.append(Fixtures.instanceHour(hour: hour, type: "m5.2xlarge", rate: "0.384"))
      rows.append(
        Fixtures.instanceHour(
          hour: hour, type: "m5.large", rate: "0.188", operation: "RunInstances:0002",
          os: "Windows"))
      rows.append(
        Fixtures.instanceHour(
          hour: hour, type: "m5.xlarge", rate: "0.376", operation: "RunInstances:0002",
          os: "Windows"))
    }
    let report = try Fixtures.report(
      ["cur.csv": Fixtures.cur(rows)], configuration: Fixtures.only(.reservedInstances))
    let reservations = report.recommendations.compactMap(\.reservation)
    #expect(reservations.count == 3)

    let linux = try #require(reservations.first { $0.platform == "Linux/UNIX" })
    #expect(linux.family == "m5")
    #expect(linux.sizeFlexible)
    #expect(linux.normalizedUnits == 28)
    #expect(linux.instanceType == "m5.2xlarge")
    #expect(linux.instances == 1.75)
    #expect(linux.smallestInstanceType == "m5.large")
    #expect(linux.smallestInstances == 7)
    let item = try #require(report.recommendations.first { $0.reservation?.family == "m5" })
    #expect(item.estimate.monthlySavings == (try Money(parsing: "171.70")))
    #expect(item.discountSource == .builtIn)
    #expect(abs(item.estimate.utilization - 1) < 1e-12)
    // The curve's levels are quantities one can buy: 50 % … 150 % of 28 units to the nearest
    // 4 (m5.large), ties to even: 14 → 16, 16.8 → 16, 19.6 → 20, … 42 → 40.
    #expect(
      item.savingsCurve.compactMap(\.normalizedUnits) == [
        16, 16, 20, 24, 24, 28, 32, 32, 36, 40, 40,
      ])

    let windows = reservations.filter { $0.platform == "Windows" }.sorted {
      $0.family < $1.family
    }
    #expect(windows.map(\.family) == ["m5.large", "m5.xlarge"])
    #expect(windows.map(\.sizeFlexible) == [false, false])
    #expect(windows.map(\.normalizedUnits) == [4, 8])
    #expect(windows.map(\.instances) == [1, 1])
  }

  /// The stale-data guard, for reservations: 4 m5.large (16 units) for 20 days, then 1 (4
  /// units) for the last 10. By hand, over the window units 5–16 are used in 480 of 720 hours
  /// (66.7 % ≥ 65 % break-even), so the window supports 16 units; the last three days support
  /// only 4. The guard recommends 4 and says why.
  @Test func staleDataGuardLowersAReservation() throws {
    var rows: [[String: String]] = []
    for hour in Self.hours {
      for _ in 0..<(hour < 480 ? 4 : 1) {
        rows.append(Fixtures.instanceHour(hour: hour, type: "m5.large", rate: "0.096"))
      }
    }
    let report = try Fixtures.report(
      ["cur.csv": Fixtures.cur(rows)], configuration: Fixtures.only(.reservedInstances))
    let item = try #require(report.recommendations.first)
    #expect(item.reservation?.normalizedUnits == 4)
    let guardNote = try #require(item.staleDataGuard)
    #expect(guardNote.windowNormalizedUnits == 16)
    #expect(guardNote.recentNormalizedUnits == 4)
    #expect(item.basis.hours == 72)
    #expect(item.window.hours == 720)
  }

  /// The stale-data guard, for a savings plan: 10/h of Fargate for 25 days, then 3/h. By hand,
  /// at 27 % off (built-in 1-year no-upfront Compute SP) the window's optimum covers the 27 %
  /// quantile of hourly spend, 10 (only 120 of 720 hours spend less), so c = 7.30; the last
  /// three days spend 3 every hour, so c = 2.19. On those days 2.19 covers everything and
  /// saves 0.27 × 3 per hour: 0.81 × 730 = 591.30 a month.
  @Test func staleDataGuardLowersASavingsPlan() throws {
    let rows = Self.hours.map { Fixtures.fargateHour(hour: $0, cost: $0 < 600 ? "10" : "3") }
    let report = try Fixtures.report(
      ["cur.csv": Fixtures.cur(rows)], configuration: Fixtures.only(.savingsPlans))
    let item = try #require(report.recommendations.first)
    #expect(item.kind == .savingsPlan)
    #expect(item.hourlyCommitment == (try Money(parsing: "2.19")))
    #expect(item.staleDataGuard?.windowHourlyCommitment == (try Money(parsing: "7.30")))
    #expect(item.estimate.monthlySavings == (try Money(parsing: "591.30")))
    #expect(abs(item.estimate.utilization - 1) < 1e-9)
    #expect(abs(item.estimate.coverage - 1) < 1e-9)
    #expect(item.savingsCurve.count == 11)
    #expect(item.savingsCurve.first?.fraction == 0.5)
    // Half the commitment covers half the spend: savings halve, by hand 295.65.
    #expect(item.savingsCurve.first?.monthlySavings == (try Money(parsing: "295.65")))
  }

  /// A workload that stopped three days before the end: the window alone would support a
  /// plan (648 of 720 hours spend 10, more than the 73 % break-even), but the guard sees no
  /// usage left to keep it busy, recommends nothing and says why.
  @Test func staleDataGuardWithdrawsARecommendation() throws {
    let rows = (0..<648).map { Fixtures.fargateHour(hour: $0, cost: "10") }
    // One cheap line at the end keeps the window ending on October 31st.
    let tail = [Fixtures.fargateHour(hour: 719, cost: "0.01")]
    let report = try Fixtures.report(
      ["cur.csv": Fixtures.cur(rows + tail)], configuration: Fixtures.only(.savingsPlans))
    #expect(report.recommendations.isEmpty)
    #expect(report.notes.contains { $0.contains("stale-data guard") })
  }

  /// Reservations are sized first and the savings plan covers what they leave: steady EC2
  /// goes to a reservation, so the plan is sized on the steady 1/h of Fargate alone, by hand
  /// c = (1 − 0.27) × 1 = 0.73.
  @Test func savingsPlanCoversWhatReservationsLeave() throws {
    var rows: [[String: String]] = []
    for hour in Self.hours {
      rows.append(Fixtures.instanceHour(hour: hour, type: "m5.large", rate: "0.096"))
      rows.append(Fixtures.instanceHour(hour: hour, type: "m5.large", rate: "0.096"))
      rows.append(Fixtures.fargateHour(hour: hour, cost: "1"))
    }
    let report = try Fixtures.report(["cur.csv": Fixtures.cur(rows)])
    #expect(report.recommendations.map(\.kind) == [.reservedInstance, .savingsPlan])
    #expect(report.recommendations.first?.reservation?.normalizedUnits == 8)
    #expect(report.recommendations.last?.hourlyCommitment == (try Money(parsing: "0.73")))

    // Savings plans alone take the EC2 too: 0.73 × (1 + 2 × 0.096) = 0.87016 → 0.870.
    let alone = try Fixtures.report(
      ["cur.csv": Fixtures.cur(rows)], configuration: Fixtures.only(.savingsPlans))
    #expect(alone.recommendations.first?.hourlyCommitment == (try Money(parsing: "0.870")))
  }

  /// Usage covered by a reservation that ends within the expiry window counts as on-demand
  /// usage to be covered again; usage of one held for another year does not.
  @Test(arguments: [("2026-11-15T00:00:00Z", true), ("2027-10-01T00:00:00Z", false)])
  func expiringReservationsAreAddedBack(_ end: String, _ expected: Bool) throws {
    let rows = Self.hours.map { hour -> [String: String] in
      var row = Fixtures.instanceHour(hour: hour, type: "m5.large", rate: "0.096")
      row["lineItem/LineItemType"] = "DiscountedUsage"
      row["lineItem/UnblendedCost"] = "0"
      row["pricing/term"] = "Reserved"
      row["reservation/ReservationARN"] = "arn:aws:ec2:us-east-1:000111222333:reserved-instances/r1"
      row["reservation/EffectiveCost"] = "0.06"
      row["reservation/EndTime"] = end
      row["pricing/LeaseContractLength"] = "1yr"
      row["pricing/PurchaseOption"] = "No Upfront"
      return row
    }
    let report = try Fixtures.report(
      ["cur.csv": Fixtures.cur(rows)], configuration: Fixtures.only(.reservedInstances))
    #expect(!report.recommendations.isEmpty == expected)
    if expected {
      // The discount is learned from the reservation's own lines: 1 − 0.06/0.096 = 0.375.
      let item = try #require(report.recommendations.first)
      #expect(item.discountSource == .bill)
      #expect(abs(item.discount - 0.375) < 1e-12)
      #expect(item.reservation?.normalizedUnits == 4)
    }
  }

  /// Spend-based recommendations for Azure and GCP from FOCUS: Azure compute runs 2/h on
  /// demand and the bill shows a savings plan covering the same SKU at effective 1.40 for
  /// contracted 2.00, i.e. 30 % off; GCP compute runs 1/h with no commitment, so the built-in
  /// 28 % for a 1-year flexible CUD applies. By hand: Azure c = 0.70 × 2 = 1.40, saving
  /// 0.30 × 2 × 730 = 438.00 a month; GCP c = 0.72, saving 0.28 × 730 = 204.40.
  @Test func focusSpendBasedForAzureAndGCP() throws {
    var rows: [[String: String]] = []
    for hour in Self.hours {
      let base = [
        "ChargePeriodStart": Fixtures.instant(hour), "ChargePeriodEnd": Fixtures.instant(hour + 1),
        "ChargeCategory": "Usage", "BillingCurrency": "USD", "ServiceCategory": "Compute",
        "ConsumedQuantity": "1",
      ]
      rows.append(
        base.merging([
          "ProviderName": "Microsoft", "ServiceName": "Virtual Machines", "RegionId": "westeurope",
          "SkuId": "D2s-v5", "PricingCategory": "Standard", "BilledCost": "2",
          "EffectiveCost": "2", "ListCost": "2.2", "ContractedCost": "2",
        ]) { $1 })
      rows.append(
        base.merging([
          "ProviderName": "Microsoft", "ServiceName": "Virtual Machines", "RegionId": "westeurope",
          "SkuId": "D2s-v5", "PricingCategory": "Committed", "BilledCost": "0",
          "EffectiveCost": "1.4", "ListCost": "2.2", "ContractedCost": "2",
          "CommitmentDiscountId": "/providers/Microsoft.BillingBenefits/savingsPlans/sp1",
          "CommitmentDiscountCategory": "Spend", "CommitmentDiscountType": "Savings Plan",
          "CommitmentDiscountStatus": "Used",
        ]) { $1 })
      rows.append(
        base.merging([
          "ProviderName": "Google Cloud", "ServiceName": "Compute Engine",
          "RegionId": "us-central1", "SkuId": "E2-core", "PricingCategory": "Standard",
          "BilledCost": "1", "EffectiveCost": "1", "ListCost": "1", "ContractedCost": "1",
        ]) { $1 })
    }
    let report = try Fixtures.report(["focus.csv": Fixtures.focus(rows)])
    let azure = try #require(report.recommendations.first { $0.provider == "azure" })
    #expect(azure.kind == .savingsPlan)
    #expect(azure.discountSource == .bill)
    #expect(azure.hourlyCommitment == (try Money(parsing: "1.40")))
    #expect(azure.estimate.monthlySavings == (try Money(parsing: "438.00")))
    let gcp = try #require(report.recommendations.first { $0.provider == "gcp" })
    #expect(gcp.kind == .flexibleCUD)
    #expect(gcp.discountSource == .builtIn)
    #expect(gcp.hourlyCommitment == (try Money(parsing: "0.72")))
    #expect(gcp.estimate.monthlySavings == (try Money(parsing: "204.40")))
    #expect(
      report.learnedDiscounts.map(\.key) == ["D2s-v5|westeurope"]
        && abs((report.learnedDiscounts.first?.discount ?? 0) - 0.3) < 1e-12)
  }

  /// Upfront payment and break-even by hand: a steady 10/h of Fargate, 3-year all-upfront at
  /// 54 % (built-in): c = 4.60/h, the upfront is 4.60 × 8,760 × 3 = 120,888.00, and with
  /// nothing recurring it is earned back by the covered 10 × 730 = 7,300 a month in
  /// 120,888 / 7,300 = 16.56 months (36 × (1 − 0.54)).
  @Test func upfrontAndBreakEven() throws {
    let rows = Self.hours.map { Fixtures.fargateHour(hour: $0, cost: "10") }
    var configuration = Fixtures.only(.savingsPlans)
    configuration.term = .threeYears
    configuration.payment = .allUpfront
    let report = try Fixtures.report(["cur.csv": Fixtures.cur(rows)], configuration: configuration)
    let item = try #require(report.recommendations.first)
    #expect(item.hourlyCommitment == (try Money(parsing: "4.60")))
    #expect(item.estimate.upfrontCost == (try Money(parsing: "120888.00")))
    #expect(item.estimate.recurringMonthlyCost == .zero)
    #expect(abs((item.estimate.breakEvenMonths ?? 0) - 16.56) < 1e-9)
  }
}
