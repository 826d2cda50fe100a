import ArgumentParser

/// Developer tools for tally: the deterministic sample-bill generator and the import
/// benchmark. Not part of the product; `make sample-bills` and `make bench` call it.
@main
struct TallyDev: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tally-dev",
    abstract: "Developer tools: generate the sample bills, benchmark imports and the policy.",
    subcommands: [SampleBillsCommand.self, BenchCommand.self, PolicyBenchCommand.self])
}
