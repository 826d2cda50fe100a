import ArgumentParser
import TallyKit

/// `tally import PATH...`
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import billing exports (files, directories, glob patterns).",
    discussion: """
      The format of each file is detected from its content. A file imported before is skipped;
      a newer delivery of the same source and month replaces the older one. A bad file is
      rolled back whole and named with its line and column; the others are still imported,
      and the command then exits with code 3.
      """)

  @ParentCommand var tally: Tally
  @Option(
    help: "A source name that prefixes the delivery stream read from the data (aws-cur:PAYER).")
  var source: String?
  @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
  @Argument(help: "Files, directories or glob patterns.") var paths: [String]

  func run() throws {
    let (store, _) = try tally.global.openStore()
    let result = try importDeliveries(paths, into: store, source: source, format: format)
    if format != .table { printOut(try result.output.rendered(as: format)) }
    if result.failed { throw ExitCode(ExitStatus.input) }
  }
}

/// Imports every delivery under `paths`, printing a line per delivery as it goes (in the table
/// format) and each failure to stderr. Failed deliveries are rolled back; the rest are kept.
func importDeliveries(_ paths: [String], into store: Store, source: String?, format: OutputFormat)
  throws -> (output: ImportOutput, failed: Bool)
{
  let importer = Importer(store: store, sourceName: source)
  var output = ImportOutput()
  var failed = false
  for path in try expandImportPaths(paths) {
    do {
      output.append(try importer.importDelivery(at: path))
    } catch let error as InputError {
      failed = true
      printError("tally: \(error)")
      output.appendFailure(path: path, error: error.description)
    }
    if format == .table, let last = output.deliveries.last {
      printOut(ImportOutput.line(for: last) + "\n")
    }
  }
  return (output, failed)
}
