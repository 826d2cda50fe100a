/// One raw spelling of a tag key that the month's bill also writes another way.
public struct TagKeySpelling: Sendable, Equatable {
  /// Billing currency.
  public var currency: String
  /// The key the spellings share (`Schema.tagMatchKey`: no `user:` prefix, case and separators
  /// ignored).
  public var matchKey: String
  /// The key as the bill writes it.
  public var rawKey: String
  /// Lines carrying it.
  public var lines: Int
  /// Their effective cost.
  public var effective: Money
}

extension Store {
  /// The tag keys of a month's bill written in more than one spelling that differ only by
  /// case, separators or the `user:` prefix (`Cost Center`, `cost-center`, `user:costcenter`),
  /// whatever the policy says, per currency: from the month's line groups, which are complete
  /// once a stage has read the month (the policy's evaluation does). Sorted by currency and
  /// shared key, then the costliest spelling first.
  public func tagKeyCollisions(in month: BillingMonth) throws(SQLiteError) -> [TagKeySpelling] {
    let statement = try connection.prepare(
      """
      WITH spellings AS (
        SELECT g.billing_currency AS currency, \(Schema.tagMatchKey("i.raw_key")) AS match_key,
          i.raw_key AS raw_key, sum(g.lines) AS lines, sum(g.effective_cost) AS effective
        FROM line_groups g JOIN tag_set_items i ON i.tag_set_id = g.tag_set
        WHERE g.billing_period = ?
          AND g.import_id IN (SELECT id FROM imports WHERE replaced_by IS NULL)
        GROUP BY g.billing_currency, i.raw_key)
      SELECT currency, match_key, raw_key, lines, effective FROM spellings s
      WHERE (SELECT count(*) FROM spellings o
             WHERE o.currency = s.currency AND o.match_key = s.match_key) > 1
      ORDER BY currency, match_key, effective DESC, raw_key
      """)
    statement.bind(month.description, at: 1)
    var rows: [TagKeySpelling] = []
    while try statement.step() {
      rows.append(
        TagKeySpelling(
          currency: statement.text(at: 0), matchKey: statement.text(at: 1),
          rawKey: statement.text(at: 2), lines: Int(statement.int64(at: 3)),
          effective: Money(nanos: statement.int64(at: 4))))
    }
    return rows
  }
}
