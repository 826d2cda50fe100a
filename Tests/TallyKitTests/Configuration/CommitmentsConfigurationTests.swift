import Testing

@testable import TallyKit

/// The `commitments` section of `tally.yaml`.
@Suite struct CommitmentsConfigurationTests {
  @Test func readsEveryKey() throws {
    let yaml = """
      commitments:
        lookback_days: 60
        term: 3yr
        payment: partial-upfront
        expiring_within_days: 90
        recommend: [savings-plans]
        discounts:
          aws:
            savings-plan:
              3yr: { partial-upfront: 0.49 }
          gcp:
            flexible-cud:
              1yr: { no-upfront: 25% }
      """
    let settings = try Configuration(yaml: yaml, file: "t.yaml").commitments
    #expect(settings.lookbackDays == 60)
    #expect(settings.term == .threeYears)
    #expect(settings.payment == .partialUpfront)
    #expect(settings.expiringWithinDays == 90)
    #expect(settings.recommend == [.savingsPlans])
    let aws = settings.discounts.lookUp(
      provider: "aws", kind: .savingsPlan, term: .threeYears, payment: .partialUpfront)
    #expect(aws?.entry == DiscountTable.Entry(discount: 0.49, configured: true))
    let gcp = settings.discounts.lookUp(
      provider: "gcp", kind: .flexibleCUD, term: .oneYear, payment: .noUpfront)
    #expect(gcp?.entry == DiscountTable.Entry(discount: 0.25, configured: true))
    // Entries not overridden keep their built-in values.
    let builtIn = settings.discounts.lookUp(
      provider: "aws", kind: .reservedInstance, term: .oneYear, payment: .noUpfront)
    #expect(builtIn?.entry == DiscountTable.Entry(discount: 0.35, configured: false))
  }

  @Test func defaults() {
    let settings = CommitmentsConfiguration()
    #expect(settings.lookbackDays == 30)
    #expect(settings.term == .oneYear)
    #expect(settings.payment == .noUpfront)
    #expect(settings.expiringWithinDays == 30)
    #expect(settings.recommend == [.reservedInstances, .savingsPlans])
  }

  /// GCP sells no upfront CUDs: asking for all-upfront prices its no-upfront entry.
  @Test func missingPaymentFallsBackToNoUpfront() {
    let found = DiscountTable.builtIn.lookUp(
      provider: "gcp", kind: .flexibleCUD, term: .threeYears, payment: .allUpfront)
    #expect(found?.payment == .noUpfront)
    #expect(found?.entry.discount == 0.46)
  }

  @Test(arguments: [
    ("lookback_days: 14", 2, "expected one of 7, 30, 60"),
    ("term: 2yr", 2, "expected one of 1yr, 3yr"),
    (
      "discounts: { aws: { savings-plan: { 1yr: { no-upfront: 1.2 } } } }", 2,
      "expected a discount from 0 to below 1"
    ),
    ("discounts: { aws: { savings-plans: {} } }", 2, "did you mean \"savings-plan\""),
    ("recommend: [reservations]", 2, "expected one of reserved-instances, savings-plans"),
  ])
  func badValuesNameTheirLine(_ setting: String, _ line: Int, _ message: String) throws {
    let yaml = "commitments:\n  \(setting)\n"
    let error = try #require(throws: ConfigurationError.self) {
      try Configuration(yaml: yaml, file: "t.yaml")
    }
    #expect(error.line == line)
    #expect(error.message.contains(message), "\(error.message)")
  }

  @Test func termsAndPaymentsAsBillsWriteThem() {
    #expect(CommitmentTerm(billText: "1yr") == .oneYear)
    #expect(CommitmentTerm(billText: "One Year") == .oneYear)
    #expect(CommitmentTerm(billText: "3 years") == .threeYears)
    #expect(CommitmentTerm(billText: "THIRTY_SIX_MONTH") == .threeYears)
    #expect(CommitmentTerm(billText: "1mo") == nil)
    #expect(PaymentOption(billText: "No Upfront") == .noUpfront)
    #expect(PaymentOption(billText: "NoUpfront") == .noUpfront)
    #expect(PaymentOption(billText: "Partial Upfront") == .partialUpfront)
    #expect(PaymentOption(billText: "All Upfront") == .allUpfront)
    #expect(PaymentOption(billText: "Heavy Utilization") == nil)
  }
}
