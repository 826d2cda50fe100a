/// EC2 instance sizes in normalised units and the rules of reserved-instance size flexibility
/// (EC2 User Guide, "How Reserved Instances are applied"; `shared/reference/reservations.md`
/// §1.4).
enum InstanceSizes {
  /// The normalisation factor of a size, e.g. `large` → 4.
  static let factors: [String: Double] = [
    "nano": 0.25, "micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8,
    "2xlarge": 16, "3xlarge": 24, "4xlarge": 32, "6xlarge": 48, "8xlarge": 64, "9xlarge": 72,
    "10xlarge": 80, "12xlarge": 96, "16xlarge": 128, "18xlarge": 144, "24xlarge": 192,
    "32xlarge": 256, "48xlarge": 384, "56xlarge": 448, "112xlarge": 896,
  ]

  /// `.metal` takes the factor of the equivalent virtualised size.
  static let metalFactors: [String: Double] = [
    "a1": 32, "m5zn": 96, "z1d": 96, "c6g": 128, "c6gd": 128, "i3": 128, "m6g": 128,
    "m6gd": 128, "r6g": 128, "r6gd": 128, "x2gd": 128, "c5n": 144, "c5": 192, "c5d": 192,
    "i3en": 192, "m5": 192, "m5d": 192, "m5dn": 192, "m5n": 192, "r5": 192, "r5b": 192,
    "r5d": 192, "r5dn": 192, "r5n": 192,
  ]

  /// Families whose reservations are not size-flexible even on Linux.
  static let inflexibleFamilies: Set<String> = ["g4ad", "g4dn", "g5", "g5g", "inf1"]

  /// The family (`m5`) and size (`xlarge`) of an instance type (`m5.xlarge`).
  static func split(_ instanceType: String) -> (family: String, size: String)? {
    guard let dot = instanceType.firstIndex(of: ".") else { return nil }
    let family = String(instanceType[..<dot])
    let size = String(instanceType[instanceType.index(after: dot)...])
    guard !family.isEmpty, !size.isEmpty else { return nil }
    return (family, size)
  }

  /// The normalisation factor of an instance type from the table, if it is known.
  static func factor(of instanceType: String) -> Double? {
    guard let (family, size) = split(instanceType) else { return nil }
    if size == "metal" {
      return family.hasPrefix("u-") ? 896 : metalFactors[family]
    }
    return factors[size]
  }

  /// The platform of an EC2 line from its operation code (`RunInstances:0002` is Windows), or
  /// from the operating system the bill names when the operation is missing.
  static func platform(operation: String, operatingSystem: String) -> String {
    switch operation {
    case "RunInstances": return "Linux/UNIX"
    case "RunInstances:0002": return "Windows"
    case "RunInstances:0006": return "Windows with SQL Server Standard"
    case "RunInstances:0102": return "Windows with SQL Server Enterprise"
    case "RunInstances:0202": return "Windows with SQL Server Web"
    case "RunInstances:0010": return "Red Hat Enterprise Linux"
    case "RunInstances:000g": return "SUSE Linux"
    case "RunInstances:0004": return "Linux with SQL Server Standard"
    case "RunInstances:0800": return "Windows BYOL"
    case "":
      let folded = operatingSystem.lowercased()
      if folded.isEmpty || folded == "linux" || folded == "amazon linux" || folded == "linux/unix" {
        return "Linux/UNIX"
      }
      return operatingSystem
    default: return operation
    }
  }

  /// The tenancy as AWS names it for reservations: `Shared` (default) or `Dedicated`.
  static func tenancy(_ tenancy: String, usageType: String) -> String {
    if usageType.contains("DedicatedUsage") || tenancy.lowercased() == "dedicated" {
      return "Dedicated"
    }
    return "Shared"
  }

  /// Whether a regional reservation for this family, platform and tenancy applies across sizes.
  static func isSizeFlexible(family: String, platform: String, tenancy: String) -> Bool {
    platform == "Linux/UNIX" && tenancy == "Shared" && !inflexibleFamilies.contains(family)
  }
}
