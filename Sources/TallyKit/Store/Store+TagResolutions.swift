/// A distinct combination of tag set and usage account among a month's lines: the unit the
/// policy stage evaluates (thousands per month, where lines are millions).
public struct TagGroup: Sendable, Hashable {
  /// The stored tag set.
  public var tagSet: Int64
  /// The usage account's row id (`accounts.id`).
  public var account: Int64
  /// The usage account's id as the provider writes it.
  public var accountID: String
}

/// One stored canonical tag of a tag group.
public struct ResolvedTag: Sendable, Hashable {
  /// Canonical key.
  public var key: String
  /// Canonical value.
  public var value: String
  /// `valid`, `invalid` or `conflict`.
  public var status: String
  /// The nearest allowed value, for an invalid one.
  public var suggestion: String?
  /// `bill`, `account_default` or `inventory`.
  public var source: String
  /// The raw keys folded into the canonical key.
  public var rawKeys: [String]
  /// Their raw values, in the same order.
  public var rawValues: [String]
  /// The raw keys not spelt as the rule requires (`enforce_key_case`).
  public var miscasedKeys: [String]

  /// Creates a resolved tag.
  public init(
    key: String, value: String, status: String, suggestion: String?, source: String,
    rawKeys: [String], rawValues: [String] = [], miscasedKeys: [String] = []
  ) {
    self.key = key
    self.value = value
    self.status = status
    self.suggestion = suggestion
    self.source = source
    self.rawKeys = rawKeys
    self.rawValues = rawValues
    self.miscasedKeys = miscasedKeys
  }
}

extension Store {
  /// The distinct tag groups of a month's lines, read from its line groups.
  public func tagGroups(in month: BillingMonth) throws(SQLiteError) -> [TagGroup] {
    try recordMissingLineGroups(in: month)
    let statement = try connection.prepare(
      """
      SELECT g.tag_set, g.account, a.account_id FROM (
        SELECT DISTINCT tag_set, account FROM line_groups WHERE billing_period = ?) g
      JOIN accounts a ON a.id = g.account ORDER BY g.tag_set, g.account
      """)
    statement.bind(month.description, at: 1)
    var groups: [TagGroup] = []
    while try statement.step() {
      groups.append(
        TagGroup(
          tagSet: statement.int64(at: 0), account: statement.int64(at: 1),
          accountID: statement.text(at: 2)))
    }
    return groups
  }

  /// Replaces a month's tag resolutions. Call inside a transaction.
  public func replaceTagResolutions(
    in month: BillingMonth, _ resolutions: [(group: TagGroup, tags: [ResolvedTag])]
  ) throws(SQLiteError) {
    let delete = try connection.prepare("DELETE FROM tag_resolutions WHERE billing_period = ?")
    delete.bind(month.description, at: 1)
    try delete.run()
    let insert = try connection.prepare(
      """
      INSERT INTO tag_resolutions (billing_period, tag_set, account, key, value, status, suggestion,
        source, raw_keys, raw_values, miscased_keys) VALUES (?,?,?,?,?,?,?,?,?,?,?)
      """)
    for (group, tags) in resolutions {
      for tag in tags {
        insert.bind(month.description, at: 1)
        insert.bind(group.tagSet, at: 2)
        insert.bind(group.account, at: 3)
        insert.bind(tag.key, at: 4)
        insert.bind(tag.value, at: 5)
        insert.bind(tag.status, at: 6)
        insert.bind(tag.suggestion, at: 7)
        insert.bind(tag.source, at: 8)
        insert.bind(tag.rawKeys.joined(separator: "\u{1F}"), at: 9)
        insert.bind(tag.rawValues.joined(separator: "\u{1F}"), at: 10)
        insert.bind(tag.miscasedKeys.joined(separator: "\u{1F}"), at: 11)
        try insert.run()
      }
    }
  }

  /// A month's stored tag resolutions, by tag group.
  public func tagResolutions(in month: BillingMonth) throws(SQLiteError) -> [TagGroupKey:
    [ResolvedTag]]
  {
    let statement = try connection.prepare(
      """
      SELECT tag_set, account, key, value, status, suggestion, source, raw_keys, raw_values,
        miscased_keys
      FROM tag_resolutions WHERE billing_period = ? ORDER BY tag_set, account, key
      """)
    statement.bind(month.description, at: 1)
    var result: [TagGroupKey: [ResolvedTag]] = [:]
    while try statement.step() {
      let key = TagGroupKey(tagSet: statement.int64(at: 0), account: statement.int64(at: 1))
      let rawKeys = Store.unjoined(statement.text(at: 7))
      result[key, default: []].append(
        ResolvedTag(
          key: statement.text(at: 2), value: statement.text(at: 3), status: statement.text(at: 4),
          suggestion: statement.optionalText(at: 5), source: statement.text(at: 6),
          rawKeys: rawKeys,
          // As many values as keys, any of them possibly empty.
          rawValues: rawKeys.isEmpty ? [] : Store.unjoined(statement.text(at: 8), keepEmpty: true),
          miscasedKeys: Store.unjoined(statement.text(at: 9))))
    }
    return result
  }
}

extension Store {
  /// Splits text joined by U+001F. An empty text is an empty list, unless `keepEmpty` says
  /// it is one empty item (a list of values that may be empty).
  static func unjoined(_ text: String, keepEmpty: Bool = false) -> [String] {
    guard keepEmpty || !text.isEmpty else { return [] }
    return text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
  }
}

/// A tag group's identity: tag set and usage account row ids.
public struct TagGroupKey: Sendable, Hashable {
  /// The stored tag set.
  public var tagSet: Int64
  /// The usage account's row id.
  public var account: Int64

  /// Creates a key.
  public init(tagSet: Int64, account: Int64) {
    self.tagSet = tagSet
    self.account = account
  }
}
