/// How long a commitment lasts.
public enum CommitmentTerm: String, CaseIterable, Sendable, Codable {
  /// One year.
  case oneYear = "1yr"
  /// Three years.
  case threeYears = "3yr"

  /// The term in years.
  public var years: Int { self == .oneYear ? 1 : 3 }

  /// Reads a term as exports write it (`1yr`, `1 year`, `One Year`, `THIRTY_SIX_MONTH`, `P3Y`);
  /// nil for anything else, including terms tally does not recommend (`1mo`).
  init?(billText text: String) {
    let folded = text.lowercased().filter { $0.isLetter || $0.isNumber }
    switch folded {
    case "1yr", "1year", "oneyear", "1y", "p1y", "twelvemonth", "12month", "12months":
      self = .oneYear
    case "3yr", "3year", "3years", "threeyears", "threeyear", "3y", "p3y", "thirtysixmonth",
      "36month", "36months":
      self = .threeYears
    default: return nil
    }
  }
}

/// How a commitment is paid for.
public enum PaymentOption: String, CaseIterable, Sendable, Codable {
  /// Everything monthly (Azure "monthly", GCP CUDs).
  case noUpfront = "no-upfront"
  /// About half upfront, the rest monthly.
  case partialUpfront = "partial-upfront"
  /// Everything upfront.
  case allUpfront = "all-upfront"

  /// The share of the commitment's cost paid upfront. AWS prices Partial Upfront so that about
  /// half of the term's cost is paid at purchase; tally uses one half.
  public var upfrontShare: Double {
    switch self {
    case .noUpfront: 0
    case .partialUpfront: 0.5
    case .allUpfront: 1
    }
  }

  /// Reads a payment option as exports write it (`No Upfront`, `NoUpfront`, `All Upfront`);
  /// nil for anything else.
  init?(billText text: String) {
    switch text.lowercased().filter(\.isLetter) {
    case "noupfront", "monthly": self = .noUpfront
    case "partialupfront": self = .partialUpfront
    case "allupfront", "upfront": self = .allUpfront
    default: return nil
    }
  }
}

/// What a recommendation is for.
public enum CommitmentKind: String, CaseIterable, Sendable, Codable {
  /// A spend-based commitment of an hourly amount: an AWS Compute Savings Plan or an Azure
  /// savings plan for compute.
  case savingsPlan = "savings-plan"
  /// A GCP spend-based (flexible) committed use discount.
  case flexibleCUD = "flexible-cud"
  /// An AWS EC2 reserved instance, counted in normalised units.
  case reservedInstance = "reserved-instance"

  /// The spend-based kind a provider sells.
  static func spendBased(for provider: String) -> CommitmentKind {
    provider == "gcp" ? .flexibleCUD : .savingsPlan
  }
}

/// Provider names as exports write them (`AWS`, `Amazon Web Services`, `Microsoft`, `Google
/// Cloud`) folded to the keys tally's configuration uses: `aws`, `azure`, `gcp`, or the name
/// in lower case.
enum ProviderKey {
  static func of(_ provider: String) -> String {
    let folded = provider.lowercased()
    if folded == "aws" || folded.contains("amazon") { return "aws" }
    if folded.contains("microsoft") || folded.contains("azure") { return "azure" }
    if folded.contains("google") || folded == "gcp" { return "gcp" }
    return folded
  }
}
