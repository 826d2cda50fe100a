import Crypto
import Foundation
import Yams

/// `tally.yaml`: where the database is, which exports to import, the tagging policy, the
/// allocation rules, the commitment settings and where reports go. Every key is documented in
/// `docs/configuration.md`; unknown keys are errors.
public struct Configuration: Sendable {
  /// The file it was read from, when it was read from one.
  public var file: String?
  /// The SQLite database (relative to the config file's folder).
  public var database = "tally.sqlite"
  /// The exports `tally nightly` imports.
  public var sources: [SourceConfiguration] = []
  /// The tagging policy.
  public var policy = PolicyConfiguration()
  /// The allocation of spend to teams.
  public var allocation = AllocationConfiguration()
  /// Reserved-capacity analysis settings.
  public var commitments = CommitmentsConfiguration()
  /// Report output.
  public var reports = ReportsConfiguration()
  /// A digest of the `policy` and `allocation` sections as written (comments and layout
  /// aside): stored allocation results record it, so a changed config shows them stale.
  public var allocationFingerprint = Configuration.digest("")
  /// The top-level keys the file wrote (`policy`, `allocation`, …): a stage whose section is
  /// absent runs only when something asks for it explicitly.
  public var sections: Set<String> = []
  /// A digest of the `commitments` section as written: stored commitment results record it,
  /// so a changed section shows them stale.
  public var commitmentsFingerprint = Configuration.digest("")

  /// The defaults: no sources, no policy rules, allocation by `team`.
  public init() {}

  static let keys = [
    "version", "database", "sources", "policy", "allocation", "commitments", "reports",
  ]

  /// Reads and checks a configuration file, and the AWS tag policies it names.
  public static func load(from path: String) throws(ConfigurationError) -> Configuration {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigurationError("cannot read the configuration file (does it exist?)", file: path)
    }
    var configuration = try Configuration(yaml: String(decoding: data, as: UTF8.self), file: path)
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { configuration.resolvePaths(relativeTo: folder) }
    try configuration.policy.includeAWSTagPolicies()
    return configuration
  }

  /// Parses configuration text; `file` names it in errors. Paths are left as written, and AWS
  /// tag policies are not read yet (``PolicyConfiguration/includeAWSTagPolicies()`` does).
  public init(yaml: String, file: String) throws(ConfigurationError) {
    self.file = file
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw ConfigurationError.fromYAML(error, file: file)
    } catch {
      throw ConfigurationError("not valid YAML: \(error)", file: file)
    }
    guard let root else { return }
    let mapping = try ConfigValue(node: root, file: file, path: "").mapping(
      allowed: Configuration.keys)
    sections = Set(mapping.order)
    if let version = mapping["version"], try version.int(in: 1...1) != 1 {
      throw version.error("unsupported version")
    }
    database = try mapping["database"]?.string() ?? database
    for item in try mapping["sources"]?.items() ?? [] {
      sources.append(try SourceConfiguration(item))
    }
    if let policy = mapping["policy"] { self.policy = try PolicyConfiguration(policy) }
    if let allocation = mapping["allocation"] {
      self.allocation = try AllocationConfiguration(allocation)
    }
    if let commitments = mapping["commitments"] {
      self.commitments = try CommitmentsConfiguration(commitments)
    }
    if let reports = mapping["reports"] { self.reports = try ReportsConfiguration(reports) }
    try checkAllocationTeams(file: file)
    var sections = ""
    for key in ["policy", "allocation"] {
      guard let node = mapping[key]?.node else { continue }
      sections += "\(key):\n" + ((try? Yams.serialize(node: node)) ?? "")
    }
    allocationFingerprint = Configuration.digest(sections)
    if let node = mapping["commitments"]?.node {
      commitmentsFingerprint = Configuration.digest((try? Yams.serialize(node: node)) ?? "")
    }
  }

  /// When the policy closes the list of teams (`values` of the `by` key), the teams the
  /// allocation section names must be on it.
  private func checkAllocationTeams(file: String) throws(ConfigurationError) {
    guard let rule = policy.tags.first(where: { $0.key == allocation.by }),
      let allowed = rule.values
    else { return }
    for (team, line) in allocation.staticTeams where !allowed.contains(team) {
      let hint = closest(to: team, in: allowed).map { "; did you mean \"\($0)\"?" } ?? ""
      throw ConfigurationError(
        "allocation: \"\(team)\" is not among the teams of policy key \"\(rule.key)\"\(hint)",
        file: file, line: line)
    }
  }

  /// SHA-256 of `text`, hex.
  static func digest(_ text: String) -> String {
    hex(SHA256.hash(data: Data(text.utf8)))
  }

  /// Makes relative paths in the file relative to `folder`.
  mutating func resolvePaths(relativeTo folder: String) {
    func resolved(_ path: String) -> String {
      path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
    }
    database = resolved(database)
    sources = sources.map { source in
      var source = source
      source.paths = source.paths.map(resolved)
      return source
    }
    policy.awsTagPolicies = policy.awsTagPolicies.map { $0.map(resolved) }
    reports.out = resolved(reports.out)
  }
}

/// One stream of exports that `tally nightly` imports.
public struct SourceConfiguration: Sendable, Equatable {
  /// The source's name: deliveries of the same name and month replace each other.
  public var name: String
  /// Files, directories and glob patterns (`**` matches any depth).
  public var paths: [String]

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: ["name", "paths"])
    name = try mapping.required("name").string()
    paths = try mapping.required("paths").strings()
  }
}

/// The `reports` section.
public struct ReportsConfiguration: Sendable, Equatable {
  /// Where reports are written: `<out>/<YYYY-MM>/index.html`.
  public var out = "reports"

  /// The defaults.
  public init() {}

  init(_ value: ConfigValue) throws(ConfigurationError) {
    let mapping = try value.mapping(allowed: ["out"])
    out = try mapping["out"]?.string() ?? out
  }
}

extension ConfigurationError {
  static func fromYAML(_ error: YamlError, file: String) -> ConfigurationError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return ConfigurationError("not valid YAML: \(problem)", file: file, line: mark.line)
    default:
      return ConfigurationError("not valid YAML: \(error)", file: file)
    }
  }
}
