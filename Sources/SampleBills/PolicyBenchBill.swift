/// A large FOCUS month for the policy benchmark: exactly `lines` rows over `resources`
/// resources in 50 accounts and 8 services, whose tags come from exactly `tagSets` distinct
/// tag sets — set 0 is the untagged set; the others mix key spellings (`team`, `Team`,
/// `owner-team`), valid and misspelt teams, value aliases, environments and cost centres, one
/// cost centre per set so that every set is distinct. Each resource keeps its tag set all
/// month; about one row in a hundred is a tax line without a resource. Written in bounded
/// memory.
///
/// ``policy`` is a `tally.yaml` whose rules fit the bill (aliases, allowed values, a pattern,
/// a scope, exemptions and account defaults), so the benchmark exercises every kind of check.
public struct PolicyBenchBill: Sendable {
  /// Data rows.
  public var lines: Int
  /// Distinct tag sets used (at least 2, at most `resources`).
  public var tagSets: Int
  /// Distinct resources.
  public var resources: Int
  /// The billing month.
  public var month = BillingMonth(year: 2026, month: 10)

  /// The generator's version, for reuse checks: bump it when the output changes.
  public static let formatVersion = 2

  /// A bill of `lines` rows and `tagSets` tag sets, with a resource per 20 lines.
  public init(lines: Int, tagSets: Int) {
    self.lines = lines
    self.tagSets = tagSets
    resources = max(tagSets, lines / 20)
  }

  /// The FOCUS columns written.
  public static let columns = [
    "ProviderName", "BillingAccountId", "SubAccountId", "BillingPeriodStart", "ChargePeriodStart",
    "ChargePeriodEnd", "ChargeCategory", "BilledCost", "EffectiveCost", "BillingCurrency",
    "ServiceName", "ResourceId", "ResourceType", "Tags",
  ]

  private static let services = [
    ("Amazon Elastic Compute Cloud", "i-", "Compute Instance"),
    ("Amazon Elastic Compute Cloud", "vol-", "Storage"),
    ("Amazon Simple Storage Service", "bucket-", "Storage"),
    ("Amazon Relational Database Service", "arn:aws:rds:us-east-1:111100000000:db:db-", "Database"),
    ("AWS Lambda", "arn:aws:lambda:us-east-1:111100000000:function:fn-", "Serverless"),
    ("Amazon DynamoDB", "arn:aws:dynamodb:us-east-1:111100000000:table/t-", "Database"),
    ("Amazon CloudFront", "dist-", "Networking"),
    ("Amazon ElastiCache", "cache-", "Database"),
  ]
  private static let teams = [
    "payments", "search", "data", "platform", "ml", "pay", "Payments", "Paymnts", "serch", "",
  ]
  private static let teamKeys = ["team", "Team", "owner-team", "user:team"]
  private static let environments = ["prod", "staging", "prd", "dev"]

  /// The tags of set `index` as a FOCUS `Tags` JSON object.
  func tags(ofSet index: Int) -> String {
    guard index > 0 else { return "{}" }
    let team = PolicyBenchBill.teams[index % PolicyBenchBill.teams.count]
    let key = PolicyBenchBill.teamKeys[(index / 10) % PolicyBenchBill.teamKeys.count]
    let env = PolicyBenchBill.environments[(index / 40) % PolicyBenchBill.environments.count]
    let costCenter = index % 13 == 0 ? "cc\(index)" : "CC-\(pad(index % 10_000, 4))-\(index)"
    var pairs = ["\"env\":\"\(env)\"", "\"cost-center\":\"\(costCenter)\""]
    if !team.isEmpty { pairs.insert("\"\(key)\":\"\(team)\"", at: 0) }
    return "{" + pairs.joined(separator: ",") + "}"
  }

  /// Writes the bill to `path`.
  public func write(toFile path: String) throws {
    let sink = try FileSink(path: path)
    var buffer = CSVBuffer(reservingCapacity: 9 << 20)
    buffer.row(PolicyBenchBill.columns)
    let periodStart = "\(month.description)-01T00:00:00Z"
    let setTags = (0..<tagSets).map { tags(ofSet: $0) }
    var usage = 0
    for line in 0..<lines {
      let tax = line % 100 == 99
      let resource = usage % resources
      if !tax { usage += 1 }
      let hour = usage / resources
      let day = 1 + (hour / 24) % 28
      let start = "\(month.description)-\(pad(day, 2))T\(pad(hour % 24, 2)):00:00Z"
      let end = "\(month.description)-\(pad(day, 2))T\(pad(hour % 24, 2)):59:59Z"
      let account = "1111000000\(pad(resource % 50, 2))"
      let (service, prefix, type) = PolicyBenchBill.services[
        resource % PolicyBenchBill.services.count]
      let nanos = Int64(1 + (line * 7919) % 5_000) * 1_000_000
      buffer.plainField("AWS")
      buffer.plainField("999900000000")
      buffer.plainField(account)
      buffer.plainField(periodStart)
      buffer.plainField(start)
      buffer.plainField(end)
      buffer.plainField(tax ? "Tax" : "Usage")
      buffer.decimalField(nanos, minimumFractionDigits: 2)
      buffer.decimalField(nanos, minimumFractionDigits: 2)
      buffer.plainField("USD")
      if tax {
        buffer.emptyFields(3)
        buffer.plainField("{}")
      } else {
        buffer.field(service)
        buffer.plainField(prefix + String(resource))
        buffer.field(type)
        buffer.field(setTags[resource % tagSets])
      }
      buffer.endRow()
      if buffer.bytes.count > 8 << 20 {
        try sink.write(buffer.bytes)
        buffer.removeAll()
      }
    }
    try sink.write(buffer.bytes)
    try sink.close()
  }

  /// The benchmark's `tally.yaml`.
  public static let policy = """
    # The policy of the policy benchmark (tally-dev bench-policy).
    policy:
      tags:
        - key: team
          aliases: [owner-team]
          required: true
          values: [payments, search, data, platform, ml]
          value_aliases: { pay: payments }
        - key: env
          required: true
          values: [prod, staging]
          value_aliases: { prd: prod }
          scope: { service: [Amazon Elastic Compute Cloud, Amazon Relational Database Service] }
        - key: cost-center
          pattern: '^CC-[0-9]{4}-[0-9]+$'
      exempt:
        - charge_category: [Tax, Credit]
      account_defaults:
        "111100000007": { team: platform }
    allocation:
      by: team

    """
}

private func pad(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}
