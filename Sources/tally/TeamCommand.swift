import ArgumentParser
import TallyKit

/// `tally team NAME [--month M]`
struct TeamCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "team",
    abstract: "One team's month: totals, where they come from, untagged spend, trend.",
    discussion: """
      Reads the stored allocation; it does not recompute it (a month never allocated is \
      allocated first). `tally explain --team NAME` shows the full waterfall.
      """)

  @ParentCommand var tally: Tally
  @Argument(help: "The team.") var name: String
  @OptionGroup var options: AllocationViewOptions

  func run() throws {
    let view = try options.prepare(tally.global) { month in
      (0..<6).map { month.adding(months: -$0) }
    }
    printOut(try view.team(name).rendered(as: options.format))
  }
}
