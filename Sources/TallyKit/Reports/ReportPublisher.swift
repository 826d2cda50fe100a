internal import CPlatform
import Foundation

/// Publishes report folders so that a reader never sees half a report: each folder is written
/// in full to a staging folder beside its target, then swapped into place in one atomic step
/// (renameat2 with RENAME_EXCHANGE; a plain rename when there is nothing to replace). A run that
/// fails before the swap leaves the published report exactly as it was.
public struct ReportPublisher {
  /// The reports root, e.g. `reports/`.
  public let root: String

  /// A publisher for reports under `root` (created if missing).
  public init(root: String) throws {
    self.root = root
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  /// A new, empty staging folder beside the published ones (hidden, named for this process).
  public func makeStagingFolder(for name: String) throws -> String {
    let staging = (root as NSString).appendingPathComponent(
      ".staging-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    )
    try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
    return staging
  }

  /// Puts the staged folder (or file) in place as `root/name`, replacing what was there.
  public func publish(_ staged: String, as name: String) throws {
    let target = (root as NSString).appendingPathComponent(name)
    if FileManager.default.fileExists(atPath: target) {
      if cplatform_exchange(staged, target) == 0 {
        try FileManager.default.removeItem(atPath: staged)  // now holds the old report
        return
      }
      // No exchange on this filesystem: move the old one aside, then the new one in.
      let old = staged + ".old"
      try FileManager.default.moveItem(atPath: target, toPath: old)
      try FileManager.default.moveItem(atPath: staged, toPath: target)
      try FileManager.default.removeItem(atPath: old)
    } else {
      try FileManager.default.moveItem(atPath: staged, toPath: target)
    }
  }

  /// Removes staging folders left by runs that were killed before publishing: those of this
  /// process, and those whose process (named in the folder's name) no longer runs. Another
  /// `tally report` writing under the same root at the same time keeps its own.
  public func removeAbandonedStaging() {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    for entry in entries where entry.hasPrefix(".staging-") && !Self.belongsToOtherProcess(entry) {
      try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(entry))
    }
  }

  /// Whether a staging folder (`.staging-NAME-PID-ID`) belongs to another process that still
  /// runs.
  static func belongsToOtherProcess(_ entry: String) -> Bool {
    let parts = entry.split(separator: "-")
    guard parts.count >= 3, let pid = pid_t(parts[parts.count - 2]), pid > 0,
      pid != ProcessInfo.processInfo.processIdentifier
    else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }
}
