/// An AWS account that appears in a generated bill.
struct Account {
  /// The 12-digit account id (text: leading zeros matter).
  var id: String
  /// What the account is for (documentation only; not written to the bill).
  var purpose: String
}

/// A region with the naming shapes AWS uses in the CUR.
struct Region {
  var code: String
  var location: String
  /// Prefix of usage types in this region (`""` in us-east-1, `"EU-"` in eu-west-1).
  var usagePrefix: String
  /// Short code used in inter-region transfer usage types (`USE1`, `EU`).
  var shortCode: String
  /// 0 for us-east-1 prices, 1 for eu-west-1 prices.
  var priceColumn: Int

  var zones: [String] { ["a", "b", "c"].map { code + $0 } }

  static let usEast1 = Region(
    code: "us-east-1", location: "US East (N. Virginia)", usagePrefix: "", shortCode: "USE1",
    priceColumn: 0)
  static let euWest1 = Region(
    code: "eu-west-1", location: "EU (Ireland)", usagePrefix: "EU-", shortCode: "EU",
    priceColumn: 1)
}

/// One priced product (a SKU) with its `product/*` attributes.
struct Product {
  var code: String
  var name: String
  var usageType: String
  var operation: String
  var unit: String
  /// Public on-demand rate in nanos per unit.
  var rate: Int64
  var description: String
  var sku: String
  var attributes: [(String, String)]
  var region: Region?
  /// EC2 instance details; empty for other products.
  var instanceType = ""
  var family = ""
  var normalizationFactor: Int64 = 0
  var isWindows = false
  /// The Linux on-demand rate of the same instance type and region (Savings Plan discounts
  /// apply to the Linux part only).
  var linuxRate: Int64 = 0

  var isInstance: Bool { !instanceType.isEmpty }

  func attribute(_ name: String) -> String {
    for (key, value) in attributes where key == name { return value }
    return ""
  }
}

/// The values of the tag columns of one resource (`""` where the tag is absent).
struct TagSet: Hashable {
  var team = ""
  var capitalTeam = ""
  var costCenter = ""
  var env = ""
  var createdBy = ""
  var name = ""

  static let untagged = TagSet()

  func value(forColumn column: String) -> String {
    switch column {
    case "resourceTags/user:team": team
    case "resourceTags/user:Team": capitalTeam
    case "resourceTags/user:cost-center": costCenter
    case "resourceTags/user:env": env
    case "resourceTags/aws:createdBy": createdBy
    case "resourceTags/user:Name": name
    default: ""
    }
  }
}

/// When an instance runs.
enum Schedule {
  case always
  /// Monday to Friday, all day.
  case weekdays
  /// Monday to Friday, 08:00 to 20:00 UTC.
  case businessHours
  /// A contiguous run of a few hours on most days, drawn per day.
  case batch
  /// Runs from the given instant on.
  case launched(BillingMonth, day: Int, hour: Int)
  /// Runs until the given instant.
  case terminated(BillingMonth, day: Int, hour: Int)

  /// The 24-bit mask of running hours on `day` of `month`.
  func mask(month: BillingMonth, day: Int, random: inout SplitMix64) -> UInt32 {
    let allDay: UInt32 = 0xFF_FFFF
    let weekday = month.weekday(ofDay: day)
    switch self {
    case .always:
      return allDay
    case .weekdays:
      return weekday < 5 ? allDay : 0
    case .businessHours:
      return weekday < 5 ? 0x0F_FF00 : 0
    case .batch:
      if random.chance(1, in: 6) { return 0 }
      let length = random.int(in: 2...14)
      let start = random.int(in: 0...(24 - length))
      return ((1 << UInt32(length)) - 1) << UInt32(start)
    case .launched(let launchMonth, let launchDay, let hour):
      if month < launchMonth || (month == launchMonth && day < launchDay) { return 0 }
      if month == launchMonth && day == launchDay { return allDay & ~((1 << UInt32(hour)) - 1) }
      return allDay
    case .terminated(let endMonth, let endDay, let hour):
      if month > endMonth || (month == endMonth && day > endDay) { return 0 }
      if month == endMonth && day == endDay { return (1 << UInt32(hour)) - 1 }
      return allDay
    }
  }
}

/// What a resource is, which decides the lines it produces.
enum ResourceKind {
  case instance
  case volume
  case database
  case bucket
  case function
  case logGroup
  case metrics
  case transfer
}

/// A billed resource: an instance, a volume, a bucket, …
struct Resource {
  var kind: ResourceKind
  /// `lineItem/ResourceId` (`""` for lines AWS writes without one).
  var id: String
  var account: Int
  var region: Region
  var zone: String
  /// The products it is billed under; the first is the main one.
  var products: [Int]
  var tags: Int
  var schedule: Schedule = .always
  /// Size in GB (volumes, buckets, database storage) or MB of memory (functions), or a
  /// daily activity scale for the other kinds.
  var size: Int64 = 0
  /// For a volume: the index of the instance it is attached to, or -1.
  var attachedTo = -1
}

/// Everything a generated AWS bill draws on: accounts, products, tag sets and resources.
///
/// Lookups use dictionaries, but output order always follows the arrays, which are filled
/// in a fixed order, so no hash order ever reaches a file.
struct Catalog {
  var accounts: [Account] = []
  var products: [Product] = []
  var tagSets: [TagSet] = [.untagged]
  var resources: [Resource] = []
  private var productIndex: [String: Int] = [:]
  private var tagSetIndex: [TagSet: Int] = [.untagged: 0]

  /// The payer (management) account: 111122223333.
  static let payer = 0

  init() {
    accounts = [
      Account(id: "111122223333", purpose: "payer and shared platform"),
      Account(id: "111100000001", purpose: "payments"),
      Account(id: "111100000002", purpose: "search"),
      Account(id: "111100000003", purpose: "data"),
      Account(id: "111100000004", purpose: "ml"),
    ]
  }

  mutating func tagSet(_ tags: TagSet) -> Int {
    if let index = tagSetIndex[tags] { return index }
    tagSets.append(tags)
    tagSetIndex[tags] = tagSets.count - 1
    return tagSets.count - 1
  }

  @discardableResult
  mutating func add(_ resource: Resource) -> Int {
    resources.append(resource)
    return resources.count - 1
  }

  // MARK: Products

  private mutating func product(key: String, make: () -> Product) -> Int {
    if let index = productIndex[key] { return index }
    products.append(make())
    productIndex[key] = products.count - 1
    return products.count - 1
  }

  /// An EC2 instance-hour product.
  mutating func instance(_ type: String, _ region: Region, windows: Bool = false) -> Int {
    product(key: "ec2/\(type)/\(region.code)/\(windows)") {
      guard let spec = instanceSpecs.first(where: { $0.type == type }) else {
        preconditionFailure("unknown instance type \(type)")
      }
      let linux = spec.linuxRate[region.priceColumn]
      let rate = windows ? linux + spec.windowsExtra[region.priceColumn] : linux
      let usageType = "\(region.usagePrefix)BoxUsage:\(type)"
      let operation = windows ? "RunInstances:0002" : "RunInstances"
      let os = windows ? "Windows" : "Linux"
      let sku = skuCode(usageType + operation)
      var result = Product(
        code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", usageType: usageType,
        operation: operation, unit: "Hrs", rate: rate,
        description: "$\(DecimalText.plain(rate)) per On Demand \(os) \(type) Instance Hour",
        sku: sku, attributes: [], region: region)
      result.instanceType = type
      result.family = String(type.prefix(while: { $0 != "." }))
      result.normalizationFactor = spec.normalizationFactor
      result.isWindows = windows
      result.linuxRate = linux
      result.attributes =
        Catalog.common(result, family: "Compute Instance", serviceCode: "AmazonEC2") + [
          ("instanceType", type), ("instanceFamily", spec.instanceFamily),
          ("instanceTypeFamily", result.family), ("operatingSystem", os),
          ("tenancy", "Shared"), ("vcpu", spec.vcpu), ("memory", spec.memory),
          ("physicalProcessor", spec.processor), ("clockSpeed", spec.clockSpeed),
          ("networkPerformance", spec.network), ("storage", "EBS only"),
          ("licenseModel", windows ? "License included" : "No License required"),
          ("preInstalledSw", "NA"), ("capacitystatus", "Used"), ("currentGeneration", "Yes"),
          ("ecu", spec.ecu), ("processorArchitecture", "64-bit"),
          ("processorFeatures", spec.features), ("dedicatedEbsThroughput", spec.ebsThroughput),
          ("ebsOptimized", "Yes"), ("enhancedNetworkingSupported", "Yes"),
          ("intelAvxAvailable", "Yes"), ("intelAvx2Available", "Yes"),
          ("intelTurboAvailable", "Yes"),
          ("normalizationSizeFactor", "\(spec.normalizationFactor)"),
          ("physicalCores", spec.physicalCores), ("marketoption", "OnDemand"),
          ("classicnetworkingsupport", "false"), ("vpcnetworkingsupport", "true"),
        ]
      return result
    }
  }

  /// The reserved-instance fee product (`HeavyUsage:<type>`) of an instance product.
  mutating func reservedFee(for instance: Int) -> Int {
    let base = products[instance]
    return product(key: "rifee/\(base.usageType)") {
      guard let region = base.region else { preconditionFailure("instance without region") }
      var result = base
      result.usageType = "\(region.usagePrefix)HeavyUsage:\(base.instanceType)"
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Compute Instance", serviceCode: "AmazonEC2")
        + [
          ("instanceType", base.instanceType), ("operatingSystem", "Linux"), ("tenancy", "Shared"),
        ]
      return result
    }
  }

  /// A gp3 EBS volume storage product.
  mutating func volume(_ region: Region) -> Int {
    product(key: "ebs/\(region.code)") {
      let rate: Int64 = region.priceColumn == 0 ? 80_000_000 : 88_000_000
      var result = Product(
        code: "AmazonEC2", name: "Amazon Elastic Compute Cloud",
        usageType: "\(region.usagePrefix)EBS:VolumeUsage.gp3", operation: "CreateVolume-Gp3",
        unit: "GB-Mo", rate: rate,
        description:
          "$\(DecimalText.plain(rate)) per GB-month of General Purpose (gp3) provisioned storage - \(region.location)",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Storage", serviceCode: "AmazonEC2") + [
          ("volumeApiName", "gp3"), ("volumeType", "General Purpose"),
          ("storageMedia", "SSD-backed"), ("maxIopsvolume", "16000"),
          ("maxThroughputvolume", "1000 MiB/s"), ("maxVolumeSize", "16 TiB"),
        ]
      return result
    }
  }

  /// An RDS MySQL instance-hour product.
  mutating func database(_ instanceClass: String, _ region: Region) -> Int {
    product(key: "rds/\(instanceClass)/\(region.code)") {
      let prices: [String: (Int64, Int64)] = [
        "db.r5.large": (250_000_000, 280_000_000), "db.m5.large": (171_000_000, 190_000_000),
        "db.r5.xlarge": (500_000_000, 560_000_000),
      ]
      let rate =
        region.priceColumn == 0 ? prices[instanceClass]?.0 ?? 0 : prices[instanceClass]?.1 ?? 0
      var result = Product(
        code: "AmazonRDS", name: "Amazon Relational Database Service",
        usageType: "\(region.usagePrefix)InstanceUsage:\(instanceClass)",
        operation: "CreateDBInstance:0002", unit: "Hrs", rate: rate,
        description:
          "$\(DecimalText.plain(rate)) per RDS \(instanceClass) instance hour (or partial hour) running MySQL",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType + "mysql")
      result.attributes =
        Catalog.common(result, family: "Database Instance", serviceCode: "AmazonRDS") + [
          ("instanceType", instanceClass), ("instanceFamily", "Memory optimized"),
          ("databaseEngine", "MySQL"), ("deploymentOption", "Single-AZ"),
          ("licenseModel", "No license required"),
          ("vcpu", instanceClass.contains("xlarge") ? "4" : "2"),
          ("memory", instanceClass.contains("r5") ? "16 GiB" : "8 GiB"),
          ("currentGeneration", "Yes"), ("networkPerformance", "Up to 10 Gigabit"),
        ]
      return result
    }
  }

  /// RDS gp2 storage.
  mutating func databaseStorage(_ region: Region) -> Int {
    product(key: "rds-storage/\(region.code)") {
      let rate: Int64 = region.priceColumn == 0 ? 115_000_000 : 127_000_000
      var result = Product(
        code: "AmazonRDS", name: "Amazon Relational Database Service",
        usageType: "\(region.usagePrefix)RDS:GP2-Storage", operation: "CreateDBInstance:0002",
        unit: "GB-Mo", rate: rate,
        description:
          "$\(DecimalText.plain(rate)) per GB-month of provisioned gp2 storage running MySQL",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Database Storage", serviceCode: "AmazonRDS") + [
          ("databaseEngine", "MySQL"), ("deploymentOption", "Single-AZ"),
          ("volumeType", "General Purpose"), ("storageMedia", "SSD"),
        ]
      return result
    }
  }

  /// S3 Standard storage, tier-1 (PUT) and tier-2 (GET) requests.
  mutating func bucketProducts(_ region: Region) -> [Int] {
    let storageRate: Int64 = region.priceColumn == 0 ? 23_000_000 : 23_000_000
    let storage = product(key: "s3/storage/\(region.code)") {
      var result = Product(
        code: "AmazonS3", name: "Amazon Simple Storage Service",
        usageType: "\(region.usagePrefix)TimedStorage-ByteHrs", operation: "StandardStorage",
        unit: "GB-Mo", rate: storageRate,
        description: "$0.023 per GB - first 50 TB / month of storage used",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Storage", serviceCode: "AmazonS3") + [
          ("storageClass", "General Purpose"), ("volumeType", "Standard"),
          ("durability", "99.999999999%"), ("availability", "99.99%"),
        ]
      return result
    }
    let tier1 = product(key: "s3/tier1/\(region.code)") {
      var result = Product(
        code: "AmazonS3", name: "Amazon Simple Storage Service",
        usageType: "\(region.usagePrefix)Requests-Tier1", operation: "PutObject",
        unit: "Requests", rate: 5_000,
        description: "$0.005 per 1,000 PUT, COPY, POST, or LIST requests",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "API Request", serviceCode: "AmazonS3") + [
          ("group", "S3-API-Tier1"), ("groupDescription", "PUT/COPY/POST/LIST requests"),
        ]
      return result
    }
    let tier2 = product(key: "s3/tier2/\(region.code)") {
      var result = Product(
        code: "AmazonS3", name: "Amazon Simple Storage Service",
        usageType: "\(region.usagePrefix)Requests-Tier2", operation: "GetObject",
        unit: "Requests", rate: 400,
        description: "$0.0004 per 1,000 GET and all other requests",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "API Request", serviceCode: "AmazonS3") + [
          ("group", "S3-API-Tier2"), ("groupDescription", "GET and all other requests"),
        ]
      return result
    }
    return [storage, tier1, tier2]
  }

  /// Lambda compute (GB-seconds) and requests.
  mutating func functionProducts(_ region: Region) -> [Int] {
    let compute = product(key: "lambda/gbs/\(region.code)") {
      var result = Product(
        code: "AWSLambda", name: "AWS Lambda", usageType: "\(region.usagePrefix)Lambda-GB-Second",
        operation: "Invoke", unit: "Lambda-GB-Second", rate: 16_667,
        description: "AWS Lambda - Total Compute - \(region.location)",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Serverless", serviceCode: "AWSLambda") + [
          ("group", "AWS-Lambda-Duration"), ("groupDescription", "Invocation duration"),
        ]
      return result
    }
    let requests = product(key: "lambda/requests/\(region.code)") {
      var result = Product(
        code: "AWSLambda", name: "AWS Lambda", usageType: "\(region.usagePrefix)Request",
        operation: "Invoke", unit: "Requests", rate: 200,
        description: "AWS Lambda - Total Requests - \(region.location)",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Serverless", serviceCode: "AWSLambda") + [
          ("group", "AWS-Lambda-Requests"),
          ("groupDescription", "Invocation call for a Lambda function"),
        ]
      return result
    }
    return [compute, requests]
  }

  /// CloudWatch metrics (per metric-month) and log ingestion (per GB).
  mutating func monitoringProducts(_ region: Region) -> [Int] {
    let metrics = product(key: "cw/metrics/\(region.code)") {
      var result = Product(
        code: "AmazonCloudWatch", name: "AmazonCloudWatch",
        usageType: "\(region.usagePrefix)CW:MetricMonitorUsage", operation: "MetricStorage",
        unit: "Metrics", rate: 300_000_000,
        description: "$0.30 per metric-month - first 10,000 metrics",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Metric", serviceCode: "AmazonCloudWatch") + [
          ("group", "Metric"), ("groupDescription", "Custom metrics"),
        ]
      return result
    }
    let logs = product(key: "cw/logs/\(region.code)") {
      let rate: Int64 = region.priceColumn == 0 ? 500_000_000 : 570_000_000
      var result = Product(
        code: "AmazonCloudWatch", name: "AmazonCloudWatch",
        usageType: "\(region.usagePrefix)DataProcessing-Bytes", operation: "PutLogEvents",
        unit: "GB", rate: rate,
        description: "$\(DecimalText.plain(rate)) per GB custom log data ingested",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Data Payload", serviceCode: "AmazonCloudWatch") + [
          ("group", "Ingested Logs"),
          ("groupDescription", "Existing system, application, and custom log files"),
        ]
      return result
    }
    return [metrics, logs]
  }

  /// Data transfer out to the internet, between regions and between zones.
  mutating func transferProducts(_ region: Region) -> [Int] {
    let out = product(key: "dt/out/\(region.code)") {
      var result = Product(
        code: "AWSDataTransfer", name: "AWS Data Transfer",
        usageType: "\(region.usagePrefix)DataTransfer-Out-Bytes", operation: "RunInstances",
        unit: "GB", rate: 90_000_000,
        description:
          "$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Data Transfer", serviceCode: "AWSDataTransfer") + [
          ("fromLocation", region.location), ("fromLocationType", "AWS Region"),
          ("toLocation", "External"), ("toLocationType", "Other"),
          ("transferType", "AWS Outbound"),
        ]
      return result
    }
    let other = region.priceColumn == 0 ? Region.euWest1 : Region.usEast1
    let interRegion = product(key: "dt/inter/\(region.code)") {
      var result = Product(
        code: "AWSDataTransfer", name: "AWS Data Transfer",
        usageType: "\(region.shortCode)-\(other.shortCode)-AWS-Out-Bytes",
        operation: "RunInstances", unit: "GB", rate: 20_000_000,
        description: "$0.020 per GB - \(region.location) data transfer to \(other.location)",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Data Transfer", serviceCode: "AWSDataTransfer") + [
          ("fromLocation", region.location), ("fromLocationType", "AWS Region"),
          ("toLocation", other.location), ("toLocationType", "AWS Region"),
          ("transferType", "InterRegion Outbound"),
        ]
      return result
    }
    let regional = product(key: "dt/regional/\(region.code)") {
      var result = Product(
        code: "AWSDataTransfer", name: "AWS Data Transfer",
        usageType: "\(region.usagePrefix)DataTransfer-Regional-Bytes",
        operation: "InterZone-In", unit: "GB", rate: 10_000_000,
        description:
          "$0.010 per GB - regional data transfer - in/out/between EC2 AZs or using elastic IPs or ELB",
        sku: "", attributes: [], region: region)
      result.sku = skuCode(result.usageType)
      result.attributes =
        Catalog.common(result, family: "Data Transfer", serviceCode: "AWSDataTransfer") + [
          ("fromLocation", region.location), ("fromLocationType", "AWS Region"),
          ("toLocation", region.location), ("toLocationType", "AWS Region"),
          ("transferType", "IntraRegion"),
        ]
      return result
    }
    return [out, interRegion, regional]
  }

  /// A charge that is not usage of a priced SKU (fees, tax, credits, discounts): only the
  /// product name and service code are known.
  mutating func charge(code: String, name: String, usageType: String = "", operation: String = "")
    -> Int
  {
    product(key: "charge/\(code)/\(usageType)") {
      var result = Product(
        code: code, name: name, usageType: usageType, operation: operation, unit: "", rate: 0,
        description: "", sku: "", attributes: [], region: nil)
      result.attributes = [("ProductName", name), ("servicecode", code), ("servicename", name)]
      if !usageType.isEmpty {
        result.sku = skuCode("\(code)/\(usageType)")
        result.attributes += [("usagetype", usageType), ("sku", result.sku)]
      }
      return result
    }
  }

  private static func common(_ product: Product, family: String, serviceCode: String) -> [(
    String, String
  )] {
    var values: [(String, String)] = [
      ("ProductName", product.name), ("servicecode", serviceCode),
      ("servicename", product.name), ("productFamily", family),
      ("usagetype", product.usageType), ("operation", product.operation), ("sku", product.sku),
    ]
    if let region = product.region {
      values += [
        ("region", region.code), ("regionCode", region.code), ("location", region.location),
        ("locationType", "AWS Region"),
      ]
    }
    return values
  }
}

/// A stable 12-character SKU code for a product key (SKUs belong to the public price list,
/// so they do not depend on the seed).
func skuCode(_ key: String) -> String {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in key.utf8 {
    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
  }
  var random = SplitMix64(seed: hash)
  return random.string(count: 12, alphabet: "ABCDEFGHJKMNPQRSTUVWXYZ23456789")
}

/// Hardware and price facts of the instance types the generators use (public on-demand
/// prices in nanos per hour: us-east-1, eu-west-1).
struct InstanceSpec {
  var type: String
  var linuxRate: [Int64]
  var windowsExtra: [Int64]
  var normalizationFactor: Int64
  var instanceFamily: String
  var vcpu: String
  var memory: String
  var processor: String
  var clockSpeed: String
  var network: String
  var ecu: String
  var features: String
  var ebsThroughput: String
  var physicalCores: String
}

let instanceSpecs: [InstanceSpec] = {
  let intel = "Intel Xeon Platinum 8175"
  let avx = "Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo"
  func spec(
    _ type: String, _ linux: [Int64], _ windowsExtra: [Int64], _ factor: Int64, _ family: String,
    _ vcpu: String, _ memory: String, _ network: String, _ ecu: String, _ ebs: String
  ) -> InstanceSpec {
    InstanceSpec(
      type: type, linuxRate: linux, windowsExtra: windowsExtra, normalizationFactor: factor,
      instanceFamily: family, vcpu: vcpu, memory: memory, processor: intel,
      clockSpeed: "3.1 GHz", network: network, ecu: ecu, features: avx,
      ebsThroughput: ebs, physicalCores: "\(Int(vcpu).map { $0 / 2 } ?? 1)")
  }
  return [
    spec(
      "m5.large", [96_000_000, 107_000_000], [92_000_000, 92_000_000], 4, "General purpose", "2",
      "8 GiB", "Up to 10 Gigabit", "10", "Upto 2120 Mbps"),
    spec(
      "m5.xlarge", [192_000_000, 214_000_000], [184_000_000, 184_000_000], 8, "General purpose",
      "4", "16 GiB", "Up to 10 Gigabit", "16", "Upto 2120 Mbps"),
    spec(
      "m5.2xlarge", [384_000_000, 428_000_000], [368_000_000, 368_000_000], 16,
      "General purpose", "8", "32 GiB", "Up to 10 Gigabit", "37", "Upto 2120 Mbps"),
    spec(
      "c5.large", [85_000_000, 96_000_000], [92_000_000, 92_000_000], 4, "Compute optimized", "2",
      "4 GiB", "Up to 10 Gigabit", "10", "Upto 2250 Mbps"),
    spec(
      "c5.xlarge", [170_000_000, 192_000_000], [184_000_000, 184_000_000], 8,
      "Compute optimized", "4", "8 GiB", "Up to 10 Gigabit", "20", "Upto 2250 Mbps"),
    spec(
      "c5.2xlarge", [340_000_000, 384_000_000], [368_000_000, 368_000_000], 16,
      "Compute optimized", "8", "16 GiB", "Up to 10 Gigabit", "39", "Upto 2250 Mbps"),
    spec(
      "r5.large", [126_000_000, 141_000_000], [92_000_000, 92_000_000], 4, "Memory optimized",
      "2", "16 GiB", "Up to 10 Gigabit", "10", "Upto 2120 Mbps"),
    spec(
      "r5.xlarge", [252_000_000, 282_000_000], [184_000_000, 184_000_000], 8, "Memory optimized",
      "4", "32 GiB", "Up to 10 Gigabit", "19", "Upto 2120 Mbps"),
    spec(
      "r5.2xlarge", [504_000_000, 564_000_000], [368_000_000, 368_000_000], 16,
      "Memory optimized", "8", "64 GiB", "Up to 10 Gigabit", "37", "Upto 2120 Mbps"),
  ]
}()
