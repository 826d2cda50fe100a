import ArgumentParser
import Foundation
import SampleBills

/// `tally-dev sample-bills DIR`: writes the committed sample bills.
struct SampleBillsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample-bills",
    abstract: "Write the deterministic sample bills (two AWS CUR months, a FOCUS month).",
    discussion: """
      Writes README.md, aws-cur-2026-09.csv, aws-cur/tally-cur/20261001-20261101/ (manifest \
      and gzip CSV) and focus-azure-2026-10.csv into DIRECTORY. The same seed gives the same \
      bytes on every machine. The generator-owned folder aws-cur/tally-cur/ is replaced whole, \
      so a stale assembly never lingers.
      """)

  @Argument(help: "The folder to write into (created if missing).")
  var directory: String

  @Option(help: "The seed every random choice derives from.")
  var seed: UInt64 = SampleBillSet.defaultSeed

  func run() throws {
    let files = SampleBillSet(seed: seed).files()
    let manager = FileManager.default
    let root = URL(fileURLWithPath: directory, isDirectory: true)
    let owned = root.appendingPathComponent("aws-cur/\(SampleBillSet.reportName)")
    if manager.fileExists(atPath: owned.path) { try manager.removeItem(at: owned) }
    var total = 0
    for file in files {
      let url = root.appendingPathComponent(file.path)
      try manager.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(file.bytes).write(to: url, options: .atomic)
      total += file.bytes.count
      print("wrote \(file.path) (\(file.bytes.count) bytes)")
    }
    print("\(files.count) files, \(total) bytes, seed \(seed)")
  }
}
