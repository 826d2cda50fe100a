import Foundation
import Testing

@testable import TallyKit

/// Utilisation, unused cost, coverage and expiry of commitments already owned, against values
/// worked out by hand from the fixture lines.
@Suite struct OwnedCommitmentsTests {
  static func owned(_ fixture: String) throws -> OwnedCommitments {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    _ = try Importer(store: store).importDelivery(at: TestPaths.fixture(fixture))
    let report = try #require(
      try Recommender.report(store: store, configuration: CommitmentsConfiguration()))
    return try #require(report.owned)
  }

  static func money(_ text: String) throws -> Money { try Money(parsing: text) }

  /// `cur/owned-commitments.csv`, four hours of October 2026:
  ///
  /// - Savings plan sp-a, 1.00/h: covered usage with effective cost 0.70, 1.00, 0.40 in hours
  ///   0–2 (on-demand 1.00, 1.40, 0.57) and nothing in hour 3. Used 2.10; the recurring-fee
  ///   lines leave unused 0.30 + 0 + 0.60 + 1.00 = 1.90; utilisation 2.10 / 4.00 = 0.525; net
  ///   savings 2.97 − 4.00 = −1.03.
  /// - Reservation ri-b, 2 × m5.large at 0.08/h effective: 2, 1, 2, 0 instance-hours used, 5 of
  ///   8: used 0.40, the RIFee's unused upfront 0.15 + unused recurring 0.09 = 0.24;
  ///   utilisation 0.40 / 0.64 = 0.625; covered 5 × 0.096 = 0.48; net −0.16.
  /// - Coverage: savings-plan-eligible spend is 2.97 + 0.48 + 4 × 0.096 (on-demand m5.large)
  ///   + 0.50 (Fargate) = 4.334, so sp-a covers 2.97 / 4.334; reservation-eligible (EC2
  ///   instance) spend is 4.334 − 0.50 = 3.834, so ri-b covers 0.48 / 3.834.
  @Test func utilisationAndUnusedCostByHand() throws {
    let owned = try Self.owned("cur/owned-commitments.csv")
    #expect(owned.month == BillingMonth(year: 2026, month: 10))
    #expect(owned.commitments.count == 2)
    let plan = try #require(owned.commitments.first { $0.id.hasSuffix("sp-a") })
    #expect(plan.usedCost == (try Self.money("2.10")))
    #expect(plan.unusedCost == (try Self.money("1.90")))
    #expect(plan.coveredOnDemandCost == (try Self.money("2.97")))
    #expect(plan.netSavings == (try Self.money("-1.03")))
    #expect(abs(plan.utilization - 0.525) < 1e-12)
    #expect(abs(plan.coverage - 2.97 / 4.334) < 1e-12)
    #expect(plan.category == "Spend")
    #expect(plan.term == "1yr" && plan.payment == "No Upfront")
    #expect(plan.end == Timestamp(year: 2027, month: 3, day: 1))

    let reservation = try #require(owned.commitments.first { $0.id.hasSuffix("ri-b") })
    #expect(reservation.usedCost == (try Self.money("0.40")))
    #expect(reservation.unusedCost == (try Self.money("0.24")))
    #expect(reservation.netSavings == (try Self.money("-0.16")))
    #expect(abs(reservation.utilization - 0.625) < 1e-12)
    #expect(abs(reservation.coverage - 0.48 / 3.834) < 1e-12)
    #expect(reservation.end == Timestamp(year: 2026, month: 12, day: 15))
    // Sorted by end date: the reservation ends first.
    #expect(owned.commitments.map(\.id).first == reservation.id)
  }

  /// The calendar lists the months of the next twelve (from the owned month) in which
  /// something ends, with what it cost this month and the on-demand spend it covered.
  @Test func expiryCalendar() throws {
    let owned = try Self.owned("cur/owned-commitments.csv")
    #expect(owned.expiryCalendar.map(\.month.description) == ["2026-12", "2027-03"])
    #expect(owned.expiryCalendar.first?.monthlyCost == (try Self.money("0.64")))
    #expect(owned.expiryCalendar.first?.coveredOnDemandCost == (try Self.money("0.48")))
    #expect(owned.expiryCalendar.last?.monthlyCost == (try Self.money("4.00")))
    #expect(owned.expiryCalendar.last?.commitments.count == 1)
  }

  /// `cur/every-line-item-type.csv` (see AWSCURMapperTests): sp-1 used 1.30 (l02) and left
  /// 1.50 − 1.30 = 0.20 unused (l04): utilisation 1.30 / 1.50; ri-1 used 4.00 (l08) and left
  /// 0.60 + 0.40 = 1.00 unused (l07): utilisation 4.00 / 5.00 = 0.8.
  @Test func everyLineItemTypeFixture() throws {
    let owned = try Self.owned("cur/every-line-item-type.csv")
    let plan = try #require(owned.commitments.first { $0.id.hasSuffix("sp-1") })
    #expect(plan.unusedCost == (try Self.money("0.20")))
    #expect(abs(plan.utilization - 1.3 / 1.5) < 1e-12)
    let reservation = try #require(owned.commitments.first { $0.id.hasSuffix("ri-1") })
    #expect(reservation.unusedCost == (try Self.money("1.00")))
    #expect(abs(reservation.utilization - 0.8) < 1e-12)
  }
}
