import ArgumentParser
import TallyKit

/// `tally explain --team NAME [--month M]`
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Why a team carries what it carries: the allocation waterfall with its lineage.",
    discussion: """
      Lists, per currency, the team's direct cost by tag (by account and service), each rule's \
      contribution, and each shared pool's share with its basis; the steps add up to the \
      team's total. NAME may also be the unallocated bucket's name.
      """)

  @ParentCommand var tally: Tally
  @Option(help: "The team (or the unallocated bucket).") var team: String
  @OptionGroup var options: AllocationViewOptions

  func run() throws {
    let view = try options.prepare(tally.global) { [$0] }
    printOut(try view.explain(team).rendered(as: options.format))
  }
}
