import Foundation

/// A manifest naming the data files of one delivery: an AWS legacy CUR manifest
/// (`<report>-Manifest.json`, `reportKeys`), an AWS Data Exports (CUR 2.0) manifest
/// (`metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`, `dataFiles`), or an Azure Cost
/// Management export manifest (`manifest.json`, `blobs`). The files are imported together as
/// one delivery, in the manifest's order.
struct DeliveryManifest {
  /// The manifest's path.
  let path: String
  /// What kind of manifest it is, for messages: `aws-cur manifest`.
  let kind: String
  /// The data files, resolved on disk, in the manifest's order.
  let dataFiles: [String]
  /// Azure: the dataset the export names (`exportConfig.type`), when it does.
  let azureDataset: DatasetEvidence.Dataset?

  /// Reads the manifest at `path`, of the kind detection found.
  init(path: String, kind: FormatDetection.JSONKind) throws(InputError) {
    self.path = path
    guard let json = try DeliveryManifest.jsonObject(atPath: path) else {
      throw InputError("the manifest is not a JSON object", at: SourceLocation(file: path))
    }
    let keys: [String]
    var dataset: DatasetEvidence.Dataset?
    switch kind {
    case .curManifest:
      self.kind = "aws-cur manifest"
      keys = (json["reportKeys"] as? [Any] ?? []).compactMap { $0 as? String }
    case .dataExportsManifest:
      self.kind = "aws-data-exports manifest"
      keys = (json["dataFiles"] as? [Any] ?? []).compactMap { $0 as? String }
    default:
      self.kind = "azure-export manifest"
      keys = (json["blobs"] as? [Any] ?? []).compactMap {
        ($0 as? [String: Any])?["blobName"] as? String
      }
      // Newer exports name their dataset; older manifests (2021-01-01) do not. (unverified)
      let type = (json["exportConfig"] as? [String: Any])?["type"] as? String
      switch type?.lowercased() {
      case "actualcost"?: dataset = .actual
      case "amortizedcost"?: dataset = .amortized
      default: dataset = nil
      }
    }
    azureDataset = dataset
    let assembly = json["assemblyId"] as? String
    var files: [String] = []
    for key in keys {
      guard let found = DeliveryManifest.locate(key, besideManifest: path, assembly: assembly)
      else {
        let directory = (path as NSString).deletingLastPathComponent
        throw InputError(
          "the manifest names data file \(key), which is not beside it (looked in \(directory), "
            + "its parent folders and the key's trailing folders)",
          at: SourceLocation(file: path))
      }
      files.append(found)
    }
    guard !files.isEmpty else {
      throw InputError("the manifest lists no data files", at: SourceLocation(file: path))
    }
    dataFiles = files
  }

  /// Finds an S3 key, `s3://` URI or blob name on disk: in the assembly's folder, beside the
  /// manifest, or by the key's trailing path under the manifest's folder or one of its two
  /// parents (Data Exports keep `metadata/BILLING_PERIOD=…/` beside `data/BILLING_PERIOD=…/`).
  static func locate(_ key: String, besideManifest path: String, assembly: String?) -> String? {
    var trimmed = key
    if trimmed.hasPrefix("s3://") {
      trimmed = String(trimmed.dropFirst("s3://".count).drop { $0 != "/" })
    }
    let components = trimmed.split(separator: "/").map(String.init)
    guard let name = components.last else { return nil }
    let directory = (path as NSString).deletingLastPathComponent
    var bases = [directory]
    for _ in 0..<2 {
      bases.append(((bases.last ?? directory) as NSString).deletingLastPathComponent)
    }
    var candidates: [String] = []
    if let assembly {
      candidates.append((directory as NSString).appendingPathComponent("\(assembly)/\(name)"))
    }
    candidates.append((directory as NSString).appendingPathComponent(name))
    for base in bases {
      for dropped in 0..<components.count {
        candidates.append(
          (base as NSString).appendingPathComponent(
            components.dropFirst(dropped).joined(separator: "/")))
      }
    }
    return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
  }

  /// Parses a JSON file's bytes as an object, or nil when it is not one.
  static func jsonObject(atPath path: String) throws(InputError) -> [String: Any]? {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError("cannot read the file", at: SourceLocation(file: path))
    }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
  }
}
