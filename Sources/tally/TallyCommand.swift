import ArgumentParser
import Foundation
import TallyKit

/// The `tally` command: global options and the list of subcommands.
@main
struct Tally: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tally",
    abstract: "Cloud spend and tagging: import bills, check tags, allocate every cent to a team.",
    discussion: """
      Exit codes: 0 ok; 1 a check failed its threshold; 2 usage or configuration error;
      3 input error (a file could not be imported); 4 internal error; 5 another nightly run
      holds the database's lock.
      """,
    subcommands: [
      ImportCommand.self, SummaryCommand.self, CheckCommand.self, ConfigCommand.self,
      AllocateCommand.self, TeamsCommand.self, TeamCommand.self, ExplainCommand.self,
      RecommendCommand.self, NightlyCommand.self, RunsCommand.self, BackupCommand.self,
      DemoCommand.self, ReportCommand.self,
    ])

  @OptionGroup var global: GlobalOptions

  /// Parses, runs, and maps every failure to the exit codes of DESIGN.md.
  static func main() {
    let command: any ParsableCommand
    do {
      command = try parseAsRoot()
    } catch {
      if exitCode(for: error) == .success { exit(withError: error) }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(ExitStatus.usage)
    }
    do {
      var runnable = command
      try runnable.run()
    } catch let code as ExitCode {
      Foundation.exit(code.rawValue)
    } catch {
      // `--help` parses into a command whose run() asks for the help text: print it, exit 0.
      if exitCode(for: error) == .success { exit(withError: error) }
      let status = ExitStatus.code(for: error)
      let prefix = status == ExitStatus.internalError ? "tally: internal error: " : "tally: "
      FileHandle.standardError.write(Data((prefix + "\(error)\n").utf8))
      Foundation.exit(status)
    }
  }
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
  @Option(name: .long, help: "The configuration file (default: tally.yaml when it exists).")
  var config: String?

  @Option(name: .long, help: "The SQLite database file (default: the config's, else tally.sqlite).")
  var db: String?

  /// The configuration: the named file, else `tally.yaml` in the current folder when it exists,
  /// else the built-in defaults.
  func configuration() throws -> Configuration {
    if let config { return try Configuration.load(from: config) }
    if FileManager.default.fileExists(atPath: "tally.yaml") {
      return try Configuration.load(from: "tally.yaml")
    }
    return Configuration()
  }

  /// The database path: `--db`, else the configuration's `database`.
  func databasePath(_ configuration: Configuration) -> String {
    db ?? configuration.database
  }

  /// Opens the store the options name.
  func openStore() throws -> (Store, Configuration) {
    let configuration = try configuration()
    return (try Store(path: databasePath(configuration)), configuration)
  }
}

/// The process exit codes of the command-line contract.
enum ExitStatus {
  static let thresholdFailed: Int32 = 1
  static let usage: Int32 = 2
  static let input: Int32 = 3
  static let internalError: Int32 = 4
  static let busy: Int32 = 5

  /// The exit code for an error that ended a command.
  static func code(for error: any Error) -> Int32 {
    switch error {
    case is InputError: input
    case is ValidationError, is ConfigurationError, is CheckError: usage
    case let error as AllocationError: error.isUsageError ? usage : internalError
    case is RunLock.Busy: busy
    default: internalError
    }
  }
}

/// Writes text to standard output as is.
func printOut(_ text: String) {
  FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes a line to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension OutputFormat: ExpressibleByArgument {}

extension CostBasis: ExpressibleByArgument {}

extension BillingMonth: ExpressibleByArgument {
  /// Reads `YYYY-MM`.
  public init?(argument: String) { self.init(argument) }
}
