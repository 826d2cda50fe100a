import ArgumentParser
import Foundation
import TallyKit

/// `tally recommend`
struct RecommendCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recommend",
    abstract: "Reserved-capacity suggestions from the bill's own hourly usage.",
    discussion: """
      Sizes reserved instances (per pool, in normalised units) and then a savings plan or
      flexible CUD per provider and currency, at the level that maximises net savings over the
      look-back window; shows the savings curve from 50% to 150% of that level, the
      commitments owned in the latest month with their utilisation and unused cost, and a
      12-month expiry calendar. Options override `commitments` in tally.yaml.
      """)

  @ParentCommand var tally: Tally
  @Option(help: "Days of hourly usage to look back over: 7, 30 or 60.") var lookback: Int?
  @Option(help: "Term: 1yr or 3yr.") var term: CommitmentTerm?
  @Option(help: "Payment: no-upfront, partial-upfront or all-upfront.") var payment: PaymentOption?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

  func validate() throws {
    if let lookback, !CommitmentsConfiguration.lookbackChoices.contains(lookback) {
      throw ValidationError("--lookback must be 7, 30 or 60")
    }
  }

  func run() throws {
    let configuration = try tally.global.configuration()
    var settings = configuration.commitments
    settings.lookbackDays = lookback ?? settings.lookbackDays
    settings.term = term ?? settings.term
    settings.payment = payment ?? settings.payment
    let database = tally.global.databasePath(configuration)
    guard FileManager.default.fileExists(atPath: database) else {
      throw ValidationError("no database at \(database): import a bill first")
    }
    let store = try Store(readingFrom: database)
    guard let report = try Recommender.report(store: store, configuration: settings) else {
      throw ValidationError("the store \(database) is empty: import a bill first")
    }
    printOut(try RecommendOutput(report).rendered(as: format))
  }
}

extension CommitmentTerm: ExpressibleByArgument {}
extension PaymentOption: ExpressibleByArgument {}
