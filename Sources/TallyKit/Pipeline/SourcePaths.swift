import Foundation

/// Expands a configured source's paths: plain files and directories as `tally import` takes
/// them, and glob patterns in which `*`, `?` and `[…]` match within one path component and
/// `**` matches any number of components (`exports/aws/**/*.csv.gz`). Results are sorted.
public func expandSourcePaths(_ patterns: [String]) throws(InputError) -> [String] {
  var plain: [String] = []
  var matched: [String] = []
  for pattern in patterns {
    guard pattern.contains(where: { "*?[".contains($0) }) else {
      plain.append(pattern)
      continue
    }
    let components = pattern.split(separator: "/", omittingEmptySubsequences: false).map(
      String.init)
    let fixed = components.prefix { !$0.contains(where: { "*?[".contains($0) }) }
    var base = fixed.joined(separator: "/")
    if base.isEmpty { base = pattern.hasPrefix("/") ? "/" : "." }
    let rest = Array(components.dropFirst(fixed.count))
    var found: [String] = []
    walk(base, rest, into: &found)
    matched += found.sorted()
  }
  let files = plain.isEmpty ? [] : try expandImportPaths(plain)
  return try expandImportPaths(files + matched)
}

private func walk(_ folder: String, _ pattern: [String], into found: inout [String]) {
  guard let head = pattern.first else { return }
  let rest = Array(pattern.dropFirst())
  let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    .filter { !$0.hasPrefix(".") }.sorted()
  if head == "**" {
    walk(folder, rest, into: &found)  // ** matches zero components
    for entry in entries where isDirectory(join(folder, entry)) {
      walk(join(folder, entry), pattern, into: &found)
    }
    return
  }
  for entry in entries where fnmatch(head, entry, 0) == 0 {
    let path = join(folder, entry)
    if rest.isEmpty {
      if !isDirectory(path) { found.append(path) }
    } else if isDirectory(path) {
      walk(path, rest, into: &found)
    }
  }
}

private func join(_ folder: String, _ entry: String) -> String {
  folder == "." ? entry : (folder as NSString).appendingPathComponent(entry)
}

private func isDirectory(_ path: String) -> Bool {
  var directory: ObjCBool = false
  return FileManager.default.fileExists(atPath: path, isDirectory: &directory)
    && directory.boolValue
}
