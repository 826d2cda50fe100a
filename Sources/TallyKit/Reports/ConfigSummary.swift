extension Configuration {
  /// What `tally config check` prints for a valid file: the tag rules, exemptions, defaults,
  /// allocation settings, and the notes of the AWS tag policy merge.
  public func summary(file: String) -> String {
    var lines = ["\(file): ok"]
    let defaults = policy.accountDefaults.count
    lines.append(
      "policy: \(policy.tags.count) tag key\(policy.tags.count == 1 ? "" : "s"), "
        + "\(policy.exempt.count) exemption\(policy.exempt.count == 1 ? "" : "s"), "
        + "default tags for \(defaults) account\(defaults == 1 ? "" : "s"), inventory tags "
        + (policy.inventoryFillsGaps ? "fill gaps" : "ignored"))
    var table = ResultTable(columns: ["key", "required", "values", "spelling", "scope", "from"])
    for rule in policy.tags {
      var values = "any"
      if let allowed = rule.values {
        values =
          allowed.prefix(4).joined(separator: ", ")
          + (allowed.count > 4 ? " (+\(allowed.count - 4))" : "")
      } else if let pattern = rule.pattern {
        values = "pattern \(pattern)"
      }
      var spelling = rule.caseSensitiveKey ? "exact" : "any case"
      if rule.enforceKeyCase { spelling += ", enforced" }
      if !rule.aliases.isEmpty { spelling += "; aliases \(rule.aliases.joined(separator: ", "))" }
      table.rows.append([
        rule.key, rule.required ? "yes" : "no", values, spelling,
        rule.scope == nil ? "all lines" : "scoped",
        rule.origin ?? "tally.yaml",
      ])
    }
    var text = lines.joined(separator: "\n") + "\n"
    if !policy.tags.isEmpty { text += "\n" + table.renderedAsText() }
    text += "\nallocation: by \(allocation.by), \(allocation.cost.rawValue) cost\n"
    for note in policy.awsTagPolicyNotes { text += "note: \(note)\n" }
    return text
  }
}
