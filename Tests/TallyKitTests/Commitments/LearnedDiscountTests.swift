import Foundation
import Testing

@testable import TallyKit

/// Discounts learned from the sample CURs that carry savings-plan and reservation lines,
/// against rates computed by hand from those lines.
@Suite struct LearnedDiscountTests {
  static func learned(_ paths: [String]) throws -> [LearnedDiscount] {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    for path in paths { _ = try Importer(store: store).importDelivery(at: path) }
    let report = try #require(
      try Recommender.report(store: store, configuration: CommitmentsConfiguration()))
    return report.learnedDiscounts
  }

  /// nise's CUR: all 1,152 SavingsPlanCoveredUsage lines are c4.xlarge Linux, in 24
  /// regions, with `savingsPlan/SavingsPlanRate` 0.099 against `lineItem/UnblendedRate` and
  /// `pricing/publicOnDemandRate` 0.199: by hand, 1 − 0.099 / 0.199 in every region.
  @Test func niseSavingsPlanRates() throws {
    let learned = try Self.learned([
      try TestPaths.sample("aws-cur-nise-generated/cur-Manifest.json")
    ])
    let plans = learned.filter { $0.kind == .savingsPlan }
    #expect(plans.count == 24)
    #expect(plans.reduce(0) { $0 + $1.lines } == 1152)
    #expect(
      plans.contains { $0.key == "BoxUsage:c4.xlarge|RunInstances|us-east-1" && $0.lines == 170 })
    for plan in plans {
      #expect(plan.key.hasPrefix("BoxUsage:c4.xlarge|RunInstances|"))
      #expect(plan.basis == "rates")
      #expect(abs(plan.discount - (1 - 0.099 / 0.199)) < 1e-12)
    }
  }

  /// koku's 2023-06 CUR: three SavingsPlanCoveredUsage lines of m5.large with
  /// `savingsPlan/SavingsPlanEffectiveCost` 0.1 against `lineItem/UnblendedCost` and
  /// `pricing/publicOnDemandCost` 10 and no savings plan rate: by hand, 1 − 0.3 / 30 = 0.99,
  /// in NOK.
  @Test func kokuSavingsPlanCosts() throws {
    let learned = try Self.learned([try TestPaths.sample("aws-cur-legacy-csv/koku-2023-06-01.csv")])
    let plan = try #require(learned.first)
    #expect(learned.count == 1)
    #expect(plan.currency == "NOK")
    #expect(plan.key == "BoxUsage:m5.large|RunInstances|us-west-1")
    #expect(plan.basis == "costs")
    #expect(plan.lines == 3)
    #expect(abs(plan.discount - 0.99) < 1e-12)
  }

  /// The hand-built fixture: the savings plan line l02 costs 1.30 effective against 2.00 on
  /// demand (35 % off) and the reservation line l08 4.00 against 5.00 (20 % off).
  @Test func everyLineItemTypeFixture() throws {
    let learned = try Self.learned([TestPaths.fixture("cur/every-line-item-type.csv")])
    let plan = try #require(learned.first { $0.kind == .savingsPlan })
    #expect(plan.key == "BoxUsage:m5.xlarge||us-east-1")
    #expect(abs(plan.discount - 0.35) < 1e-12)
    let reservation = try #require(learned.first { $0.kind == .reservedInstance })
    #expect(reservation.key == "us-east-1 m5 Linux/UNIX Shared")
    #expect(abs(reservation.discount - 0.2) < 1e-12)
  }

  /// A reservation of another term teaches nothing about the term asked for.
  @Test func otherTermsAreNotLearned() throws {
    let rows = (0..<48).map { hour -> [String: String] in
      var row = CommitmentFixtures.instanceHour(hour: hour, type: "m5.large", rate: "0.096")
      row["lineItem/LineItemType"] = "DiscountedUsage"
      row["reservation/ReservationARN"] = "arn:aws:ec2:us-east-1:000111222333:reserved-instances/r3"
      row["reservation/EffectiveCost"] = "0.04"
      row["reservation/EndTime"] = "2026-10-20T00:00:00Z"
      row["pricing/LeaseContractLength"] = "3yr"
      return row
    }
    let report = try CommitmentFixtures.report(["cur.csv": CommitmentFixtures.cur(rows)])
    #expect(report.learnedDiscounts.isEmpty)
    #expect(report.recommendations.first?.discountSource == .builtIn)
  }

  /// Azure cost exports price covered usage at the commitment's rate in every cost column but
  /// the pay-as-you-go one (mapped to list cost). Where a commitment's line has a contracted
  /// cost no higher than its effective cost, the list cost is its on-demand equivalent: by
  /// hand, 1 − 0.65 / 1.00 = 35 %.
  @Test func listCostIsTheOnDemandEquivalentWhenContractedIsTheCommittedPrice() throws {
    let rows = (0..<24).map { hour in
      [
        "ProviderName": "Microsoft", "ChargePeriodStart": CommitmentFixtures.instant(hour),
        "ChargePeriodEnd": CommitmentFixtures.instant(hour + 1), "ChargeCategory": "Usage",
        "BillingCurrency": "EUR", "ServiceCategory": "Compute", "ServiceName": "Virtual Machines",
        "RegionId": "westeurope", "SkuId": "D4s-v5", "PricingCategory": "Committed",
        "BilledCost": "0.65", "EffectiveCost": "0.65", "ContractedCost": "0.65",
        "ListCost": "1.00", "CommitmentDiscountId": "/reservations/r1",
        "CommitmentDiscountCategory": "Spend", "CommitmentDiscountStatus": "Used",
      ]
    }
    let report = try CommitmentFixtures.report(["a.csv": CommitmentFixtures.focus(rows)])
    let learned = try #require(report.learnedDiscounts.first)
    #expect(learned.key == "D4s-v5|westeurope")
    #expect(abs(learned.discount - 0.35) < 1e-12)
    let owned = try #require(report.owned?.commitments.first)
    #expect(owned.coveredOnDemandCost == (try Money(parsing: "24")))
    #expect(owned.netSavings == (try Money(parsing: "8.40")))  // 24 − 24 × 0.65
  }
}
