/// The `commitments` section of `tally.yaml`: how `tally recommend` sizes reserved capacity.
public struct CommitmentsConfiguration: Sendable, Equatable {
  /// Days of hourly usage the recommendations look back over: 7, 30 or 60.
  public var lookbackDays = 30
  /// The term recommended.
  public var term = CommitmentTerm.oneYear
  /// The payment option recommended.
  public var payment = PaymentOption.noUpfront
  /// Usage covered by a commitment that ends within this many days after the look-back window
  /// (or has already ended) counts as on-demand usage to be covered again.
  public var expiringWithinDays = 30
  /// Which recommendations to make. With both, reservations are sized first and the savings
  /// plan covers what they leave on demand, as AWS applies them.
  public var recommend: Set<RecommendationFamily> = Set(RecommendationFamily.allCases)
  /// Discounts assumed where the bill shows none: the built-in table with the file's overrides.
  public var discounts = DiscountTable.builtIn

  /// The look-back windows providers offer, and so tally.
  public static let lookbackChoices = [7, 30, 60]

  /// The defaults.
  public init() {}

  static let keys = [
    "lookback_days", "term", "payment", "expiring_within_days", "recommend", "discounts",
  ]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: CommitmentsConfiguration.keys)
    if let lookback = mapping["lookback_days"] {
      lookbackDays =
        Int(try lookback.choice(CommitmentsConfiguration.lookbackChoices.map(String.init)))
        ?? lookbackDays
    }
    if let term = mapping["term"] {
      self.term =
        CommitmentTerm(rawValue: try term.choice(CommitmentTerm.allCases.map(\.rawValue)))
        ?? self.term
    }
    if let payment = mapping["payment"] {
      self.payment =
        PaymentOption(rawValue: try payment.choice(PaymentOption.allCases.map(\.rawValue)))
        ?? self.payment
    }
    expiringWithinDays =
      try mapping["expiring_within_days"]?.int(in: 0...1096) ?? expiringWithinDays
    if let recommend = mapping["recommend"] {
      var families: Set<RecommendationFamily> = []
      for item in try recommend.items() {
        let name = try item.choice(RecommendationFamily.allCases.map(\.rawValue))
        if let family = RecommendationFamily(rawValue: name) { families.insert(family) }
      }
      self.recommend = families
    }
    if let discounts = mapping["discounts"] { try readDiscounts(discounts) }
  }

  /// `discounts: {provider: {kind: {term: {payment: 0.27}}}}`, each level optional.
  private mutating func readDiscounts(_ value: ConfigValue) throws(ConfigurationError) {
    for (provider, kinds) in try value.pairs() {
      let kindMapping = try kinds.mapping(allowed: CommitmentKind.allCases.map(\.rawValue))
      for kindName in kindMapping.order {
        guard let kind = CommitmentKind(rawValue: kindName), let terms = kindMapping[kindName]
        else { continue }
        let termMapping = try terms.mapping(allowed: CommitmentTerm.allCases.map(\.rawValue))
        for termName in termMapping.order {
          guard let term = CommitmentTerm(rawValue: termName), let payments = termMapping[termName]
          else { continue }
          let paymentMapping = try payments.mapping(
            allowed: PaymentOption.allCases.map(\.rawValue))
          for paymentName in paymentMapping.order {
            guard let payment = PaymentOption(rawValue: paymentName),
              let discount = paymentMapping[paymentName]
            else { continue }
            discounts.set(
              try discount.fraction(),
              for: DiscountTable.Key(
                provider: provider.lowercased(), kind: kind, term: term, payment: payment))
          }
        }
      }
    }
  }
}

/// The families of recommendation `commitments.recommend` can choose.
public enum RecommendationFamily: String, CaseIterable, Sendable {
  /// AWS EC2 reserved instances.
  case reservedInstances = "reserved-instances"
  /// Spend-based commitments: AWS and Azure savings plans, GCP flexible CUDs.
  case savingsPlans = "savings-plans"
}

extension ConfigValue {
  /// A discount: a number from 0 up to (not including) 1, or a percentage such as `27%`.
  func fraction() throws(ConfigurationError) -> Double {
    let text = try string()
    let value: Double?
    if text.hasSuffix("%") {
      value = Double(text.dropLast()).map { $0 / 100 }
    } else {
      value = Double(text)
    }
    guard let value, value >= 0, value < 1 else {
      throw error("expected a discount from 0 to below 1 (or 0% to below 100%), found \"\(text)\"")
    }
    return value
  }
}
