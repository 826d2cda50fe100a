/// What the commitments stage makes of one class of lines: whether it is usage, whether it ran
/// on demand or under a commitment, which commitments could cover it, and at which rate.
///
/// Classification is per class (thousands), so it may build strings freely.
struct LineRole {
  /// How the usage was paid for.
  enum Coverage: Equatable {
    /// Not usage a commitment could cover: fees, tax, spot, unused-commitment rows.
    case none
    /// On-demand usage.
    case onDemand
    /// Usage a commitment covered; the store id of the commitment when the bill names it.
    case committed(Int64?)
  }

  /// A reservation pool: the usage one regional reservation can cover.
  struct Pool: Hashable, Comparable {
    var region: String
    /// The family (`m5`), or for a pool without size flexibility the exact instance type.
    var family: String
    var platform: String
    var tenancy: String
    var sizeFlexible: Bool

    static func < (lhs: Pool, rhs: Pool) -> Bool {
      (lhs.region, lhs.family, lhs.platform, lhs.tenancy)
        < (rhs.region, rhs.family, rhs.platform, rhs.tenancy)
    }
  }

  /// `aws`, `azure`, `gcp`…
  var provider: String
  var currency: String
  var coverage: Coverage
  /// Whether a spend-based commitment (savings plan, flexible CUD) would cover it.
  var spendEligible: Bool
  /// The reservation pool, for EC2 instance usage in a CUR.
  var pool: Pool?
  /// Normalised units per unit of consumed quantity (instance-hour), for pool members.
  var unitsPerQuantity: Double
  /// The instance type, for pool members.
  var instanceType: String
  /// The key spend-based discounts are learned and looked up by: usage type, operation and
  /// region in a CUR; SKU (or service) and region in FOCUS.
  var rateKey: String
  /// Whether the line is a savings plan's (CUR) or a spend-based commitment's (FOCUS).
  var coveredBySpendCommitment: Bool
  /// Whether the line is a reservation's (CUR `DiscountedUsage`).
  var coveredByReservation: Bool
  /// Whether the line comes from an AWS CUR (legacy or 2.0), whose line item types say how it
  /// was paid; other lines are read by their FOCUS columns (pricing category, commitment
  /// status), which the FOCUS, Azure, GCP and OCI mappers fill.
  var isCUR: Bool

  /// Whether hourly series are needed for the class.
  var needsHours: Bool { coverage != .none && (spendEligible || pool != nil) }

  init(_ line: LineClass, commitmentCategory: (Int64) -> String?) {
    provider = ProviderKey.of(line.provider)
    currency = line.currency
    isCUR = provider == "aws" && !line.lineItemType.isEmpty
    let spot = line.usageType.contains("Spot")
    if line.chargeCategory != ChargeCategory.usage.rawValue {
      coverage = .none
    } else if isCUR {
      switch line.lineItemType {
      case "Usage": coverage = spot || line.pricingCategory == "Dynamic" ? .none : .onDemand
      case "SavingsPlanCoveredUsage", "DiscountedUsage": coverage = .committed(line.commitment)
      default: coverage = .none
      }
    } else if line.commitmentStatus == "Unused" {
      coverage = .none
    } else if line.commitment != nil || line.pricingCategory == "Committed" {
      coverage = .committed(line.commitment)
    } else if line.pricingCategory == "Standard" || line.pricingCategory.isEmpty {
      coverage = .onDemand
    } else {
      coverage = .none
    }

    let category = line.commitment.flatMap(commitmentCategory) ?? ""
    coveredBySpendCommitment =
      isCUR ? line.lineItemType == "SavingsPlanCoveredUsage" : category == "Spend"
    coveredByReservation = isCUR && line.lineItemType == "DiscountedUsage"
    if isCUR {
      spendEligible =
        coveredBySpendCommitment
        || (!spot && LineRole.spendEligibleUsageTypes.contains { line.usageType.contains($0) })
      rateKey = "\(line.usageType)|\(line.operation)|\(line.region)"
    } else {
      spendEligible =
        line.serviceCategory == "Compute" || coveredBySpendCommitment
        || (line.serviceCategory.isEmpty
          && LineRole.computeServices.contains(line.serviceName.lowercased()))
      rateKey = "\(line.sku.isEmpty ? line.serviceName : line.sku)|\(line.region)"
    }

    instanceType = line.instanceType
    unitsPerQuantity = 1
    pool = nil
    let instanceUsage =
      line.usageType.contains("BoxUsage") || line.usageType.contains("DedicatedUsage")
    if isCUR, instanceUsage, !spot,
      let (family, _) = InstanceSizes.split(line.instanceType)
    {
      let platform = InstanceSizes.platform(
        operation: line.operation, operatingSystem: line.platform)
      let tenancy = InstanceSizes.tenancy(line.tenancy, usageType: line.usageType)
      let factor =
        line.normalizationFactor.flatMap { $0 > 0 ? $0 : nil }
        ?? InstanceSizes.factor(of: line.instanceType)
      let flexible =
        factor != nil
        && InstanceSizes.isSizeFlexible(family: family, platform: platform, tenancy: tenancy)
      pool = Pool(
        region: line.region, family: flexible ? family : line.instanceType, platform: platform,
        tenancy: tenancy, sizeFlexible: flexible)
      unitsPerQuantity = factor ?? 1
    }
  }

  /// Compute services by name, for exports without a FOCUS service category (the GCP billing
  /// export): what spend-based commitments cover.
  static let computeServices: Set<String> = [
    "compute engine", "kubernetes engine", "cloud run", "virtual machines", "container instances",
  ]

  /// Usage types a Compute Savings Plan covers: EC2 instances (shared, dedicated, hosts),
  /// Fargate and Lambda duration.
  static let spendEligibleUsageTypes = [
    "BoxUsage", "DedicatedUsage", "HostUsage", "Fargate-vCPU-Hours", "Fargate-GB-Hours",
    "Lambda-GB-Second", "Lambda-Provisioned",
  ]
}
