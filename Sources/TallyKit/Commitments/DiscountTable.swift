/// The discounts tally assumes where the bill shows none: per provider, kind of commitment,
/// term and payment option, the discount off the on-demand price (0.27 = 27 %).
///
/// The built-in values are mid-range figures for current-generation Linux general-purpose
/// compute in large regions (`shared/reference/reservations.md` §4.5); `tally.yaml` overrides
/// any of them under `commitments.discounts`. Discounts measured in the bill always win.
public struct DiscountTable: Sendable, Equatable {
  /// Which commitment a discount is for.
  public struct Key: Hashable, Sendable {
    /// `aws`, `azure`, `gcp`…
    public var provider: String
    /// The kind of commitment.
    public var kind: CommitmentKind
    /// Its term.
    public var term: CommitmentTerm
    /// Its payment option.
    public var payment: PaymentOption

    /// Creates a key.
    public init(
      provider: String, kind: CommitmentKind, term: CommitmentTerm, payment: PaymentOption
    ) {
      self.provider = provider
      self.kind = kind
      self.term = term
      self.payment = payment
    }
  }

  /// A discount and whether the configuration set it.
  public struct Entry: Equatable, Sendable {
    /// The discount, from 0 to below 1.
    public var discount: Double
    /// True when `tally.yaml` set it, false for a built-in value.
    public var configured: Bool
  }

  /// The entries.
  public private(set) var entries: [Key: Entry]

  /// The built-in table.
  public static let builtIn: DiscountTable = {
    var entries: [Key: Entry] = [:]
    func add(
      _ provider: String, _ kind: CommitmentKind, _ term: CommitmentTerm,
      _ byPayment: [PaymentOption: Double]
    ) {
      for (payment, discount) in byPayment {
        entries[Key(provider: provider, kind: kind, term: term, payment: payment)] = Entry(
          discount: discount, configured: false)
      }
    }
    add(
      "aws", .savingsPlan, .oneYear, [.noUpfront: 0.27, .partialUpfront: 0.30, .allUpfront: 0.32])
    add(
      "aws", .savingsPlan, .threeYears,
      [.noUpfront: 0.48, .partialUpfront: 0.51, .allUpfront: 0.54])
    add(
      "aws", .reservedInstance, .oneYear,
      [.noUpfront: 0.35, .partialUpfront: 0.39, .allUpfront: 0.41])
    add(
      "aws", .reservedInstance, .threeYears,
      [.noUpfront: 0.55, .partialUpfront: 0.59, .allUpfront: 0.61])
    // Azure prices monthly and upfront billing the same and has no partial option.
    add("azure", .savingsPlan, .oneYear, [.noUpfront: 0.20, .allUpfront: 0.20])
    add("azure", .savingsPlan, .threeYears, [.noUpfront: 0.40, .allUpfront: 0.40])
    // GCP CUDs are billed monthly: no upfront option.
    add("gcp", .flexibleCUD, .oneYear, [.noUpfront: 0.28])
    add("gcp", .flexibleCUD, .threeYears, [.noUpfront: 0.46])
    return DiscountTable(entries: entries)
  }()

  /// A table of exactly `entries`.
  public init(entries: [Key: Entry]) {
    self.entries = entries
  }

  /// Sets one discount, as the configuration does.
  public mutating func set(_ discount: Double, for key: Key) {
    entries[key] = Entry(discount: discount, configured: true)
  }

  /// The discount for a commitment, and the payment option it was found for: when the table
  /// has no entry for `payment` (GCP sells no upfront CUDs) it falls back to no-upfront.
  func lookUp(provider: String, kind: CommitmentKind, term: CommitmentTerm, payment: PaymentOption)
    -> (entry: Entry, payment: PaymentOption)?
  {
    for option in [payment, .noUpfront] {
      if let entry = entries[Key(provider: provider, kind: kind, term: term, payment: option)] {
        return (entry, option)
      }
    }
    return nil
  }
}
