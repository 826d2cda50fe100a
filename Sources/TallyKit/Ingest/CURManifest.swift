import Foundation

/// An AWS legacy CUR manifest (`<report>-Manifest.json`): one assembly of a report's month,
/// naming its data files. The files are imported together as one delivery.
struct CURManifest {
  /// The manifest's path.
  let path: String
  /// The data files, resolved on disk, in the manifest's order.
  let reportFiles: [String]

  /// True when `bytes` (the start of a file) look like a CUR manifest.
  static func recognises(_ json: [String: Any]) -> Bool {
    json["reportKeys"] is [Any] && (json["assemblyId"] != nil || json["billingPeriod"] != nil)
  }

  /// Reads the manifest at `path` and finds each report key beside it: in the assembly's folder
  /// (`<dir>/<assemblyId>/<file>`), beside the manifest, or under the manifest's folder by the
  /// key's trailing path.
  init(path: String, json: [String: Any]) throws(InputError) {
    self.path = path
    let directory = (path as NSString).deletingLastPathComponent
    let assembly = json["assemblyId"] as? String
    var files: [String] = []
    for case let key as String in json["reportKeys"] as? [Any] ?? [] {
      let components = key.split(separator: "/").map(String.init)
      guard let name = components.last else { continue }
      var candidates: [String] = []
      if let assembly {
        candidates.append((directory as NSString).appendingPathComponent("\(assembly)/\(name)"))
      }
      candidates.append((directory as NSString).appendingPathComponent(name))
      for dropped in 0..<components.count {
        candidates.append(
          (directory as NSString).appendingPathComponent(
            components.dropFirst(dropped).joined(separator: "/")))
      }
      guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) })
      else {
        throw InputError(
          "the manifest names report file \(key), which is not beside it (looked for \(name) "
            + "in \(directory)\(assembly.map { " and \(directory)/\($0)" } ?? ""))",
          at: SourceLocation(file: path))
      }
      files.append(found)
    }
    guard !files.isEmpty else {
      throw InputError(
        "the manifest lists no report files (reportKeys is empty)", at: SourceLocation(file: path))
    }
    reportFiles = files
  }

  /// Parses a JSON file's bytes as an object, or nil when it is not one.
  static func jsonObject(atPath path: String) throws(InputError) -> [String: Any]? {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError("cannot read the file", at: SourceLocation(file: path))
    }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
  }
}
