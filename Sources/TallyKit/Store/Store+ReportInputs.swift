/// A current import's share of one month: what the report's data-quality section lists.
public struct MonthImport: Sendable, Hashable {
  /// The file (or manifest) as named when it was imported.
  public var path: String
  /// `focus`, `aws-cur`, …
  public var format: String
  /// Cost lines of this import in the month.
  public var lineCount: Int
  /// The currencies of those lines, sorted.
  public var currencies: [String]
}

extension Store {
  /// The current (not superseded) imports holding lines of `month`, ordered by path and id.
  public func imports(contributingTo month: BillingMonth) throws(SQLiteError) -> [MonthImport] {
    let statement = try connection.prepare(
      """
      SELECT i.path, i.format, count(*), group_concat(DISTINCT c.billing_currency)
      FROM cost_lines c JOIN imports i ON i.id = c.import_id
      WHERE c.billing_period = ? AND i.replaced_by IS NULL
      GROUP BY i.id ORDER BY i.path, i.id
      """)
    statement.bind(month.description, at: 1)
    var result: [MonthImport] = []
    do {
      try statement.forEachRow { row in
        result.append(
          MonthImport(
            path: row.text(at: 0), format: row.text(at: 1), lineCount: Int(row.int64(at: 2)),
            currencies: row.text(at: 3).split(separator: ",").map(String.init).sorted()))
      }
    } catch let error as SQLiteError {
      throw error
    } catch {
      throw SQLiteError(code: 1, message: "\(error)", sql: nil)
    }
    return result
  }
}
