@testable import TallyKit

/// Builds cost groups and configurations for allocation tests.
enum AllocationTestSupport {
  /// A group of lines with the same cost in every basis unless told otherwise.
  static func group(
    team: TeamTag = .missing, account: String = "1", service: String = "EC2",
    region: String = "us-east-1", category: String = "Usage", lineType: String = "Usage",
    resource: (row: Int64, id: String)? = nil, resourceType: String = "",
    tags: [String: String] = [:], currency: String = "USD", nanos: Int64,
    billed: Int64? = nil, list: Int64? = nil
  ) -> CostGroup {
    var attributes = LineAttributes()
    attributes.account = account
    attributes.billingAccount = "payer"
    attributes.provider = "AWS"
    attributes.service = service
    attributes.region = region
    attributes.chargeCategory = category
    attributes.lineType = lineType
    attributes.resourceID = resource?.id ?? ""
    attributes.resourceType = resourceType
    attributes.tags = tags
    return CostGroup(
      attributes: attributes, account: Int64(account) ?? 0, service: nil,
      resource: resource?.row, currency: currency,
      costs: CostTotals(
        billed: Money(nanos: billed ?? nanos), effective: Money(nanos: nanos),
        list: Money(nanos: list ?? nanos)),
      teamTag: team)
  }

  /// A configuration read from the `allocation` (and optional `policy`) YAML text.
  static func configuration(_ yaml: String) throws -> Configuration {
    try Configuration(yaml: yaml, file: "test.yaml")
  }

  /// Σ of the entries per team (nil: the bucket) in one currency and basis.
  static func totals(
    _ allocation: Allocation, currency: String = "USD", basis: CostBasis = .effective
  ) -> [String: Int64] {
    var result: [String: Int64] = [:]
    for entry in allocation.entries where entry.currency == currency && entry.basis == basis {
      result[entry.team ?? "(unallocated)", default: 0] += entry.amount.nanos
    }
    return result
  }
}

extension TeamTag {
  /// A valid team tag from the bill.
  static func team(_ name: String) -> TeamTag { .valid(team: name, source: "bill") }
}
