import ArgumentParser
import TallyKit

/// `tally teams [--month M]`
struct TeamsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "teams",
    abstract: "Every team's allocation in a month: direct, shared, total, against last month.",
    discussion: """
      Reads the stored allocation (a month never allocated is allocated first). The unallocated \
      bucket is not a team: it appears only in the totals. Per currency, the teams' totals and \
      the unallocated amount add up exactly to the month's line cost.
      """)

  @ParentCommand var tally: Tally
  @OptionGroup var options: AllocationViewOptions

  func run() throws {
    let view = try options.prepare(tally.global) { [$0, $0.previous] }
    printOut(try view.teams().rendered(as: options.format))
  }
}
