import ArgumentParser
import TallyKit

/// `tally backup FILE`
struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the database, consistently, even while a nightly run writes to it.")

  @ParentCommand var tally: Tally
  @Argument(help: "Where to write the copy (replaced if it exists).") var file: String

  func run() throws {
    let (store, _) = try tally.global.openStore()
    try store.backup(to: file)
  }
}
