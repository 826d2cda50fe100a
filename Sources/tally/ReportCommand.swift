import ArgumentParser
import TallyKit

/// `tally report`
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Writes a month's HTML and CSV report to <out>/<YYYY-MM>/ and the month index.",
    discussion: """
      The month's tag-policy results, allocation and commitment results are brought up to
      date first (each when the configuration has its policy, allocation or commitments
      section), so the report never shows stale results. The month's folder is written in full, then swapped into place, so readers never
      see half a report. The same store and configuration give byte-identical files.
      """)

  @ParentCommand var tally: Tally
  @Option(help: "The month, YYYY-MM (default: the latest month with data).") var month: String?
  @Option(help: "The reports folder (default: the configuration's reports.out).") var out: String?

  func run() throws {
    let (store, configuration) = try tally.global.openStore()
    let chosen: BillingMonth
    if let month {
      guard let parsed = BillingMonth(month) else {
        throw ValidationError("--month must be YYYY-MM, got \(month)")
      }
      chosen = parsed
    } else {
      guard let latest = try MonthReport.latestMonth(in: store) else {
        throw ValidationError("the store holds no cost lines: import a bill first")
      }
      chosen = latest
    }
    if try store.monthsWithData().contains(chosen) {
      for stage in NightlyRun.standardStages(configuration)
      where configuration.sections.contains(stage.name) {
        try stage.run(store, chosen)
      }
    }
    let page = try MonthReport(store: store, month: chosen).publish(
      to: out ?? configuration.reports.out)
    printOut(page + "\n")
  }
}
