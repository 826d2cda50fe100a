import ArgumentParser
import TallyKit

/// `tally config`
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Check the configuration file.",
    subcommands: [ConfigCheckCommand.self])
}

/// `tally config check [FILE]`
struct ConfigCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate a configuration file and the AWS tag policies it names.",
    discussion: """
      Prints what the file sets up, or the first error with its file and line, and exits 2. \
      With --aws-effective, prints the effective AWS tag policy that the named policies merge \
      into.
      """)

  @ParentCommand var tally: Tally
  @Argument(help: "The file (default: --config, else tally.yaml).") var file: String?
  @Flag(name: .customLong("aws-effective"), help: "Print the merged AWS tag policy as JSON.")
  var awsEffective = false

  func run() throws {
    let path = file ?? tally.global.config ?? "tally.yaml"
    let configuration = try Configuration.load(from: path)
    if awsEffective {
      printOut((configuration.policy.awsEffectiveTagPolicy ?? AWSTagPolicy()).effectiveJSON())
    } else {
      printOut(configuration.summary(file: path))
    }
  }
}
