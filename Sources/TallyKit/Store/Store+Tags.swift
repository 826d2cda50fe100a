/// Where a tag of a cost line came from.
public enum TagSource: String, Sendable, Hashable, CaseIterable {
  /// Written on the line by the billing export.
  case bill
  /// Filled in from a resource inventory, for a key the bill lacks.
  case inventory
  /// The usage account's default tags (`policy.account_defaults`), for a key still missing;
  /// only the policy stage's resolution adds these (never `line_tags`).
  case accountDefault = "account_default"
}

/// One tag of a cost line, raw key and value exactly as their source wrote them.
public struct LineTag: Sendable, Hashable {
  /// The key as written (`user:Team`, `user_team`, `Team`).
  public var rawKey: String
  /// The value as written.
  public var rawValue: String
  /// The bill, or an inventory.
  public var source: TagSource

  /// Creates a tag.
  public init(rawKey: String, rawValue: String, source: TagSource) {
    self.rawKey = rawKey
    self.rawValue = rawValue
    self.source = source
  }
}

/// The tags shared by every cost line with one tag set and one resource.
public struct EffectiveTagSet: Sendable, Hashable {
  /// The bill's tag set (`cost_lines.tag_set`).
  public var tagSetID: Int64
  /// The line's resource (`cost_lines.resource`), nil for lines without one.
  public var resourceID: Int64?
  /// The bill's tags, then the inventory's, each sorted by raw key.
  public var tags: [LineTag]
}

extension Store {
  /// The tags of cost lines, with their source: what the policy and allocation stages read as
  /// "the tags of a line".
  ///
  /// A line's tags are the bill's tag set, plus the tags that the newest inventory snapshot
  /// listing the line's resource (matched by ``ResourceKey``) gives for keys the bill lacks.
  /// Keys are compared as `Schema.tagMatchKey` does (without `user:`/`user_`, case and
  /// separators ignored), so a bill's `user:Team` is not doubled by an inventory's `team`.
  /// Raw keys and values are returned exactly as written. Lines with the same tag set and
  /// resource have the same tags, so the result is per (tag set, resource) pair; join it to
  /// `cost_lines` on both (`resource IS` the pair's resource). In SQL, the same rows are the view
  /// `line_tags(tag_set, resource, raw_key, raw_value, source)`.
  public func effectiveTagSets() throws(SQLiteError) -> [EffectiveTagSet] {
    let statement = try connection.prepare(
      """
      SELECT tag_set, resource, raw_key, raw_value, source FROM line_tags
      ORDER BY tag_set, resource, source, raw_key
      """)
    var sets: [EffectiveTagSet] = []
    while try statement.step() {
      let tagSet = statement.int64(at: 0)
      let resource = statement.optionalInt64(at: 1)
      let tag = LineTag(
        rawKey: statement.text(at: 2), rawValue: statement.text(at: 3),
        source: TagSource(rawValue: statement.text(at: 4)) ?? .bill)
      if let last = sets.last, last.tagSetID == tagSet, last.resourceID == resource {
        sets[sets.count - 1].tags.append(tag)
      } else {
        sets.append(EffectiveTagSet(tagSetID: tagSet, resourceID: resource, tags: [tag]))
      }
    }
    return sets
  }

  /// The tags of one cost line, bill's first, each group sorted by raw key.
  public func tags(ofLine lineID: Int64) throws(SQLiteError) -> [LineTag] {
    let statement = try connection.prepare(
      """
      SELECT t.raw_key, t.raw_value, t.source FROM cost_lines l
      JOIN line_tags t ON t.tag_set = l.tag_set AND t.resource IS l.resource
      WHERE l.id = ? ORDER BY t.source, t.raw_key
      """)
    statement.bind(lineID, at: 1)
    var tags: [LineTag] = []
    while try statement.step() {
      tags.append(
        LineTag(
          rawKey: statement.text(at: 0), rawValue: statement.text(at: 1),
          source: TagSource(rawValue: statement.text(at: 2)) ?? .bill))
    }
    return tags
  }
}
