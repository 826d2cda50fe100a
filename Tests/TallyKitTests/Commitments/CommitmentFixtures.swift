import Foundation
import Testing

@testable import TallyKit

/// Small bills written by the tests: a CUR or FOCUS CSV from rows given as column → value,
/// imported into a fresh store, and the commitments report over it.
enum CommitmentFixtures {
  /// The CUR columns the fixtures fill (others stay empty).
  static let curColumns = [
    "identity/LineItemId", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
    "bill/BillingPeriodEndDate", "lineItem/UsageAccountId", "lineItem/LineItemType",
    "lineItem/UsageStartDate", "lineItem/UsageEndDate", "lineItem/ProductCode",
    "lineItem/UsageType", "lineItem/Operation", "lineItem/ResourceId", "lineItem/UsageAmount",
    "lineItem/CurrencyCode", "lineItem/UnblendedCost", "product/ProductName",
    "product/regionCode", "product/instanceType", "product/operatingSystem", "product/tenancy",
    "pricing/term", "pricing/publicOnDemandCost", "pricing/publicOnDemandRate",
    "pricing/LeaseContractLength", "pricing/PurchaseOption", "pricing/OfferingClass",
    "reservation/ReservationARN", "reservation/EffectiveCost", "reservation/EndTime",
    "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedRecurringFee",
    "savingsPlan/SavingsPlanARN", "savingsPlan/SavingsPlanRate",
    "savingsPlan/SavingsPlanEffectiveCost", "savingsPlan/TotalCommitmentToDate",
    "savingsPlan/UsedCommitment", "savingsPlan/EndTime", "savingsPlan/PurchaseTerm",
    "savingsPlan/PaymentOption", "savingsPlan/OfferingType",
  ]

  static let focusColumns = [
    "ProviderName", "BillingAccountId", "BillingPeriodStart", "BillingPeriodEnd",
    "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "BillingCurrency", "BilledCost",
    "EffectiveCost", "ListCost", "ContractedCost", "PricingCategory", "ServiceName",
    "ServiceCategory", "RegionId", "SkuId", "CommitmentDiscountId",
    "CommitmentDiscountCategory", "CommitmentDiscountType", "CommitmentDiscountStatus",
    "ConsumedQuantity",
  ]

  /// The first hour of the fixtures' month, 2026-10-01T00:00:00Z.
  static let october = Timestamp(year: 2026, month: 10, day: 1)

  /// `start + hours`, as ISO 8601.
  static func instant(_ hours: Int, from start: Timestamp = october) -> String {
    Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + Int64(hours) * 3600).description
  }

  /// One on-demand EC2 instance-hour of a CUR, `hour` hours after October 1st.
  static func instanceHour(
    hour: Int, type: String, rate: String, operation: String = "RunInstances",
    os: String = "Linux", region: String = "us-east-1", usagePrefix: String = "BoxUsage"
  ) -> [String: String] {
    [
      "lineItem/LineItemType": "Usage", "lineItem/UsageStartDate": instant(hour),
      "lineItem/UsageEndDate": instant(hour + 1), "lineItem/ProductCode": "AmazonEC2",
      "lineItem/UsageType": "\(usagePrefix):\(type)", "lineItem/Operation": operation,
      "lineItem/UsageAmount": "1", "lineItem/UnblendedCost": rate,
      "product/ProductName": "Amazon Elastic Compute Cloud", "product/regionCode": region,
      "product/instanceType": type, "product/operatingSystem": os, "product/tenancy": "Shared",
      "pricing/term": "OnDemand", "pricing/publicOnDemandCost": rate,
      "pricing/publicOnDemandRate": rate,
    ]
  }

  /// One on-demand Fargate line of `cost`.
  static func fargateHour(hour: Int, cost: String) -> [String: String] {
    [
      "lineItem/LineItemType": "Usage", "lineItem/UsageStartDate": instant(hour),
      "lineItem/UsageEndDate": instant(hour + 1), "lineItem/ProductCode": "AmazonECS",
      "lineItem/UsageType": "USE1-Fargate-vCPU-Hours:perCPU", "lineItem/Operation": "FargateTask",
      "lineItem/UsageAmount": "1", "lineItem/UnblendedCost": cost,
      "product/ProductName": "Amazon Elastic Container Service",
      "product/regionCode": "us-east-1", "pricing/term": "OnDemand",
      "pricing/publicOnDemandCost": cost,
    ]
  }

  /// A CUR CSV of `rows`; payer, account, currency, billing period and line id are filled in.
  static func cur(_ rows: [[String: String]]) -> String {
    var lines = [curColumns.joined(separator: ",")]
    for (index, row) in rows.enumerated() {
      var row = row
      let start = Timestamp(parsing: row["lineItem/UsageStartDate"] ?? "") ?? october
      row["identity/LineItemId"] = "l\(index)"
      row["bill/PayerAccountId"] = row["bill/PayerAccountId"] ?? "000111222333"
      row["lineItem/UsageAccountId"] = row["lineItem/UsageAccountId"] ?? "000111222333"
      row["lineItem/CurrencyCode"] = row["lineItem/CurrencyCode"] ?? "USD"
      row["bill/BillingPeriodStartDate"] = start.month.start.description
      row["bill/BillingPeriodEndDate"] = start.month.next.start.description
      lines.append(curColumns.map { row[$0] ?? "" }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A FOCUS CSV of `rows`; account and billing period are filled in.
  static func focus(_ rows: [[String: String]]) -> String {
    var lines = [focusColumns.joined(separator: ",")]
    for row in rows {
      var row = row
      let start = Timestamp(parsing: row["ChargePeriodStart"] ?? "") ?? october
      row["BillingAccountId"] = row["BillingAccountId"] ?? "acct-1"
      row["BillingPeriodStart"] = start.month.start.description
      row["BillingPeriodEnd"] = start.month.next.start.description
      lines.append(focusColumns.map { row[$0] ?? "" }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Imports the files (name → CSV text) into a fresh store and reports on it.
  static func report(
    _ files: [String: String], configuration: CommitmentsConfiguration = CommitmentsConfiguration()
  ) throws -> CommitmentReport {
    let directory = try TemporaryDirectory()
    let store = try Store(path: directory.file("t.sqlite"))
    let importer = Importer(store: store)
    for (name, text) in files.sorted(by: { $0.key < $1.key }) {
      let path = directory.file(name)
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      _ = try importer.importDelivery(at: path)
    }
    return try #require(try Recommender.report(store: store, configuration: configuration))
  }

  /// A configuration that recommends only `families`.
  static func only(_ families: RecommendationFamily...) -> CommitmentsConfiguration {
    var configuration = CommitmentsConfiguration()
    configuration.recommend = Set(families)
    return configuration
  }
}

/// A small deterministic generator for noise in fixture series (SplitMix64).
struct FixtureRandom {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// A number in [0, 1).
  mutating func next() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 53)
  }
}
