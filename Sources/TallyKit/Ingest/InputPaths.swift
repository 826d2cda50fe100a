import Foundation

/// Expands what the user named on the command line into the deliveries to import: files as
/// given, directories walked recursively (hidden files skipped, sorted by path; only names
/// ending in .csv, .gz, .json, .jsonl or .ndjson, so a README beside the bills is left alone;
/// the format itself is always detected from content), and glob
/// patterns (`*`, `?`, `[…]`) matched by glob(3). Files that a manifest in the same walk (AWS
/// CUR, AWS Data Exports, Azure export) names are left to the manifest, which imports them as
/// one delivery.
public func expandImportPaths(_ arguments: [String]) throws(InputError) -> [String] {
  var paths: [String] = []
  for argument in arguments {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) {
      paths += isDirectory.boolValue ? filesUnder(argument) : [argument]
    } else if argument.contains(where: { "*?[".contains($0) }) {
      let matches = globMatches(argument)
      guard !matches.isEmpty else {
        throw InputError("no file matches this pattern", at: SourceLocation(file: argument))
      }
      paths += matches
    } else {
      throw InputError("no such file or directory", at: SourceLocation(file: argument))
    }
  }
  var namedByManifests: Set<String> = []
  for path in paths where path.lowercased().hasSuffix(".json") {
    guard let sniff = try? FormatDetection.sniff(path: path), sniff.isJSON,
      let kind = FormatDetection.jsonKind(sniff.keys)
    else { continue }
    switch kind {
    case .curManifest, .dataExportsManifest, .azureExportManifest:
      guard let manifest = try? DeliveryManifest(path: path, kind: kind) else { continue }
      namedByManifests.formUnion(manifest.dataFiles.map(standardised))
    case .gcpBillingLines, .inventory:
      continue
    }
  }
  var seen: Set<String> = []
  return paths.filter { path in
    let key = standardised(path)
    return !namedByManifests.contains(key) && seen.insert(key).inserted
  }
}

private func standardised(_ path: String) -> String {
  URL(fileURLWithPath: path).standardizedFileURL.path
}

private func filesUnder(_ directory: String) -> [String] {
  guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
  var files: [String] = []
  while let relative = walker.nextObject() as? String {
    let name = (relative as NSString).lastPathComponent
    if name.hasPrefix(".") {
      if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory {
        walker.skipDescendants()
      }
      continue
    }
    let lowered = name.lowercased()
    let isCandidate = [".csv", ".gz", ".json", ".jsonl", ".ndjson"].contains {
      lowered.hasSuffix($0)
    }
    if isCandidate, (walker.fileAttributes?[.type] as? FileAttributeType) == .typeRegular {
      files.append((directory as NSString).appendingPathComponent(relative))
    }
  }
  return files.sorted()
}

private func globMatches(_ pattern: String) -> [String] {
  var result = glob_t()
  defer { globfree(&result) }
  guard glob(pattern, 0, nil, &result) == 0 else { return [] }
  return (0..<Int(result.gl_pathc)).compactMap { index in
    result.gl_pathv[index].map { String(cString: $0) }
  }.sorted()
}
