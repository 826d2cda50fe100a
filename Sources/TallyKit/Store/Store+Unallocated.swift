/// Part of the unallocated bucket as a report reads it: names rather than row ids.
public struct UnallocatedResource: Sendable, Equatable {
  /// The billing currency.
  public var currency: String
  /// The cost basis.
  public var basis: CostBasis
  /// The resource id; nil for lines without one and for a pool left unallocated.
  public var resourceID: String?
  /// The usage account id; nil for a pool left unallocated.
  public var accountID: String?
  /// The service name ("" when none).
  public var service: String
  /// Why it is unallocated, as `allocations.source`: "" (nothing matched), `credits`, or the
  /// name of a pool that had no team to split over.
  public var source: String
  /// The amount.
  public var amount: Money
}

extension Store {
  /// A month's unallocated bucket by resource, per basis and currency, the costliest first.
  public func unallocatedResources(in month: BillingMonth) throws(SQLiteError)
    -> [UnallocatedResource]
  {
    let statement = try connection.prepare(
      """
      SELECT u.currency, u.basis, r.resource_id, a.account_id, coalesce(s.name, ''), u.source,
        u.amount
      FROM allocation_unallocated u LEFT JOIN resources r ON r.id = u.resource
      LEFT JOIN accounts a ON a.id = u.account LEFT JOIN services s ON s.id = u.service
      WHERE u.billing_period = ?
      ORDER BY u.basis, u.currency, u.amount DESC, r.resource_id, a.account_id, s.name, u.source
      """)
    statement.bind(month.description, at: 1)
    var rows: [UnallocatedResource] = []
    while try statement.step() {
      guard let basis = CostBasis(rawValue: statement.text(at: 1)) else { continue }
      rows.append(
        UnallocatedResource(
          currency: statement.text(at: 0), basis: basis, resourceID: statement.optionalText(at: 2),
          accountID: statement.optionalText(at: 3), service: statement.text(at: 4),
          source: statement.text(at: 5), amount: Money(nanos: statement.int64(at: 6))))
    }
    return rows
  }
}
