/// What a month's stored commitment results were computed from.
public struct CommitmentRunRecord: Sendable, Equatable {
  /// The month: recommendations sized on the look-back ending with it, commitments owned in it.
  public var month: BillingMonth
  /// ``Configuration/commitmentsFingerprint`` at the time.
  public var configFingerprint: String
  /// ``Store/commitmentDataFingerprint(of:lookbackDays:)`` at the time.
  public var dataFingerprint: String
}

extension Store {
  /// The identity of the data the commitments stage reads for `month`: the current imports of
  /// every month its look-back window can reach, in order. A new delivery of any of them
  /// changes it.
  public func commitmentDataFingerprint(of month: BillingMonth, lookbackDays: Int)
    throws(SQLiteError) -> String
  {
    var parts: [String] = []
    for covered in Recommender.months(through: month, lookbackDays: lookbackDays) {
      parts.append("\(covered):" + (try dataFingerprint(of: covered)))
    }
    return parts.joined(separator: ";")
  }

  /// Replaces a month's stored commitment results. Call inside a transaction.
  public func replaceCommitmentResults(_ report: CommitmentReport, run: CommitmentRunRecord)
    throws(SQLiteError)
  {
    let month = run.month.description
    for table in [
      "commitment_runs", "commitment_recommendations", "commitment_curve_points",
      "owned_commitments", "commitment_expiries",
    ] {
      let delete = try connection.prepare("DELETE FROM \(table) WHERE billing_period = ?")
      delete.bind(month, at: 1)
      try delete.run()
    }
    let insertRun = try connection.prepare(
      """
      INSERT INTO commitment_runs (billing_period, config_fingerprint, data_fingerprint,
        lookback_days, term, payment, expiring_within_days, notes) VALUES (?,?,?,?,?,?,?,?)
      """)
    insertRun.bind(month, at: 1)
    insertRun.bind(run.configFingerprint, at: 2)
    insertRun.bind(run.dataFingerprint, at: 3)
    insertRun.bind(Int64(report.lookbackDays), at: 4)
    insertRun.bind(report.term.rawValue, at: 5)
    insertRun.bind(report.payment.rawValue, at: 6)
    insertRun.bind(Int64(report.expiringWithinDays), at: 7)
    insertRun.bind(report.notes.joined(separator: "\u{1E}"), at: 8)
    try insertRun.run()

    let insert = try connection.prepare(
      """
      INSERT INTO commitment_recommendations VALUES
        (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      """)
    let insertPoint = try connection.prepare(
      "INSERT INTO commitment_curve_points VALUES (?,?,?,?,?,?,?,?,?)")
    insert.bind(month, at: 1)
    insertPoint.bind(month, at: 1)
    for (position, item) in report.recommendations.enumerated() {
      insert.bind(Int64(position), at: 2)
      insert.bind(item.kind.rawValue, at: 3)
      insert.bind(item.provider, at: 4)
      insert.bind(item.currency, at: 5)
      insert.bind(item.term.rawValue, at: 6)
      insert.bind(item.payment.rawValue, at: 7)
      insert.bind(item.discount, at: 8)
      insert.bind(item.discountSource.rawValue, at: 9)
      insert.bind(item.discountNote, at: 10)
      insert.bind(item.hourlyCommitment?.nanos, at: 11)
      let target = item.reservation
      insert.bind(target?.region, at: 12)
      insert.bind(target?.family, at: 13)
      insert.bind(target?.platform, at: 14)
      insert.bind(target?.tenancy, at: 15)
      insert.bind(target.map { $0.sizeFlexible ? Int64(1) : 0 }, at: 16)
      insert.bind(target?.normalizedUnits, at: 17)
      insert.bind(target?.instanceType, at: 18)
      insert.bind(target?.instances, at: 19)
      insert.bind(target?.smallestInstanceType, at: 20)
      insert.bind(target?.smallestInstances, at: 21)
      let estimate = item.estimate
      insert.bind(estimate.monthlySavings.nanos, at: 22)
      insert.bind(estimate.monthlyOnDemandCost.nanos, at: 23)
      insert.bind(estimate.monthlyCommitmentCost.nanos, at: 24)
      insert.bind(estimate.savingsRate, at: 25)
      insert.bind(estimate.utilization, at: 26)
      insert.bind(estimate.coverage, at: 27)
      insert.bind(estimate.breakEvenMonths, at: 28)
      insert.bind(estimate.upfrontCost.nanos, at: 29)
      insert.bind(estimate.recurringMonthlyCost.nanos, at: 30)
      insert.bind(item.window.start.secondsSinceEpoch, at: 31)
      insert.bind(item.window.end.secondsSinceEpoch, at: 32)
      insert.bind(item.basis.start.secondsSinceEpoch, at: 33)
      insert.bind(item.basis.end.secondsSinceEpoch, at: 34)
      let guardNote = item.staleDataGuard
      insert.bind(guardNote?.windowHourlyCommitment?.nanos, at: 35)
      insert.bind(guardNote?.recentHourlyCommitment?.nanos, at: 36)
      insert.bind(guardNote?.windowNormalizedUnits, at: 37)
      insert.bind(guardNote?.recentNormalizedUnits, at: 38)
      insert.bind(guardNote?.reason, at: 39)
      try insert.run()

      insertPoint.bind(Int64(position), at: 2)
      for (index, point) in item.savingsCurve.enumerated() {
        insertPoint.bind(Int64(index), at: 3)
        insertPoint.bind(point.fraction, at: 4)
        insertPoint.bind(point.hourlyCommitment?.nanos, at: 5)
        insertPoint.bind(point.normalizedUnits, at: 6)
        insertPoint.bind(point.monthlySavings.nanos, at: 7)
        insertPoint.bind(point.utilization, at: 8)
        insertPoint.bind(point.coverage, at: 9)
        try insertPoint.run()
      }
    }

    guard let owned = report.owned else { return }
    let insertOwned = try connection.prepare(
      "INSERT INTO owned_commitments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    insertOwned.bind(month, at: 1)
    for (position, item) in owned.commitments.enumerated() {
      insertOwned.bind(Int64(position), at: 2)
      insertOwned.bind(item.id, at: 3)
      insertOwned.bind(item.provider, at: 4)
      insertOwned.bind(item.currency, at: 5)
      insertOwned.bind(item.type, at: 6)
      insertOwned.bind(item.category, at: 7)
      insertOwned.bind(item.term, at: 8)
      insertOwned.bind(item.payment, at: 9)
      insertOwned.bind(item.offering, at: 10)
      insertOwned.bind(item.end?.secondsSinceEpoch, at: 11)
      insertOwned.bind(item.usedCost.nanos, at: 12)
      insertOwned.bind(item.unusedCost.nanos, at: 13)
      insertOwned.bind(item.coveredOnDemandCost.nanos, at: 14)
      insertOwned.bind(item.netSavings.nanos, at: 15)
      insertOwned.bind(item.utilization, at: 16)
      insertOwned.bind(item.coverage, at: 17)
      try insertOwned.run()
    }
    let insertExpiry = try connection.prepare(
      "INSERT INTO commitment_expiries VALUES (?,?,?,?,?,?)")
    insertExpiry.bind(month, at: 1)
    for item in owned.expiryCalendar {
      insertExpiry.bind(item.month.description, at: 2)
      insertExpiry.bind(item.currency, at: 3)
      insertExpiry.bind(item.commitments.joined(separator: "\u{1F}"), at: 4)
      insertExpiry.bind(item.monthlyCost.nanos, at: 5)
      insertExpiry.bind(item.coveredOnDemandCost.nanos, at: 6)
      try insertExpiry.run()
    }
  }

  /// What a month's stored commitment results were computed from; nil when there are none.
  public func commitmentRun(of month: BillingMonth) throws(SQLiteError) -> CommitmentRunRecord? {
    let statement = try connection.prepare(
      "SELECT config_fingerprint, data_fingerprint FROM commitment_runs WHERE billing_period = ?")
    statement.bind(month.description, at: 1)
    guard try statement.step() else { return nil }
    return CommitmentRunRecord(
      month: month, configFingerprint: statement.text(at: 0),
      dataFingerprint: statement.text(at: 1))
  }

  /// A month's stored commitment results, as the stage computed them (learned discounts are
  /// not stored: `tally recommend` shows them); nil when the month has none.
  public func commitmentResults(of month: BillingMonth) throws -> CommitmentReport? {
    let runs = try connection.prepare(
      """
      SELECT lookback_days, term, payment, expiring_within_days, notes FROM commitment_runs
      WHERE billing_period = ?
      """)
    runs.bind(month.description, at: 1)
    guard try runs.step() else { return nil }
    var report = CommitmentReport(
      lookbackDays: Int(runs.int64(at: 0)), term: try stored(CommitmentTerm.self, runs.text(at: 1)),
      payment: try stored(PaymentOption.self, runs.text(at: 2)),
      expiringWithinDays: Int(runs.int64(at: 3)))
    let notes = runs.text(at: 4)
    report.notes = notes.isEmpty ? [] : notes.split(separator: "\u{1E}").map(String.init)
    report.recommendations = try storedRecommendations(of: month)
    report.owned = try storedOwnedCommitments(of: month)
    return report
  }

  private func storedRecommendations(of month: BillingMonth) throws -> [Recommendation] {
    let points = try connection.prepare(
      """
      SELECT recommendation, fraction, hourly_commitment, normalized_units, monthly_savings,
        utilization, coverage FROM commitment_curve_points WHERE billing_period = ?
      ORDER BY recommendation, position
      """)
    points.bind(month.description, at: 1)
    var curves: [Int64: [CurvePoint]] = [:]
    while try points.step() {
      curves[points.int64(at: 0), default: []].append(
        CurvePoint(
          fraction: points.double(at: 1),
          hourlyCommitment: points.optionalInt64(at: 2).map { Money(nanos: $0) },
          normalizedUnits: points.optionalDouble(at: 3),
          monthlySavings: Money(nanos: points.int64(at: 4)), utilization: points.double(at: 5),
          coverage: points.double(at: 6)))
    }
    let rows = try connection.prepare(
      "SELECT * FROM commitment_recommendations WHERE billing_period = ? ORDER BY position")
    rows.bind(month.description, at: 1)
    var result: [Recommendation] = []
    while try rows.step() {
      func time(_ column: Int32) -> Timestamp {
        Timestamp(secondsSinceEpoch: rows.int64(at: column))
      }
      func money(_ column: Int32) -> Money { Money(nanos: rows.int64(at: column)) }
      var reservation: ReservationTarget?
      if let region = rows.optionalText(at: 11) {
        reservation = ReservationTarget(
          region: region, family: rows.text(at: 12), platform: rows.text(at: 13),
          tenancy: rows.text(at: 14), sizeFlexible: rows.int64(at: 15) != 0,
          normalizedUnits: rows.double(at: 16), instanceType: rows.text(at: 17),
          instances: rows.double(at: 18), smallestInstanceType: rows.text(at: 19),
          smallestInstances: rows.double(at: 20))
      }
      var staleDataGuard: StaleDataGuard?
      if let reason = rows.optionalText(at: 38) {
        staleDataGuard = StaleDataGuard(
          windowHourlyCommitment: rows.optionalInt64(at: 34).map { Money(nanos: $0) },
          recentHourlyCommitment: rows.optionalInt64(at: 35).map { Money(nanos: $0) },
          windowNormalizedUnits: rows.optionalDouble(at: 36),
          recentNormalizedUnits: rows.optionalDouble(at: 37), reason: reason)
      }
      result.append(
        Recommendation(
          kind: try stored(CommitmentKind.self, rows.text(at: 2)), provider: rows.text(at: 3),
          currency: rows.text(at: 4), term: try stored(CommitmentTerm.self, rows.text(at: 5)),
          payment: try stored(PaymentOption.self, rows.text(at: 6)),
          discount: rows.double(at: 7),
          discountSource: try stored(DiscountSource.self, rows.text(at: 8)),
          discountNote: rows.text(at: 9),
          hourlyCommitment: rows.optionalInt64(at: 10).map { Money(nanos: $0) },
          reservation: reservation,
          estimate: CommitmentEstimate(
            monthlySavings: money(21), monthlyOnDemandCost: money(22),
            monthlyCommitmentCost: money(23), savingsRate: rows.double(at: 24),
            utilization: rows.double(at: 25), coverage: rows.double(at: 26),
            breakEvenMonths: rows.optionalDouble(at: 27), upfrontCost: money(28),
            recurringMonthlyCost: money(29)),
          savingsCurve: curves[rows.int64(at: 1)] ?? [],
          window: HourWindow(start: time(30), end: time(31)),
          basis: HourWindow(start: time(32), end: time(33)), staleDataGuard: staleDataGuard))
    }
    return result
  }

  private func storedOwnedCommitments(of month: BillingMonth) throws -> OwnedCommitments {
    let rows = try connection.prepare(
      """
      SELECT commitment_id, provider, currency, type, category, term, payment, offering, end_at,
        used_cost, unused_cost, covered_on_demand_cost, net_savings, utilization, coverage
      FROM owned_commitments WHERE billing_period = ? ORDER BY position
      """)
    rows.bind(month.description, at: 1)
    var commitments: [OwnedCommitment] = []
    while try rows.step() {
      commitments.append(
        OwnedCommitment(
          id: rows.text(at: 0), provider: rows.text(at: 1), currency: rows.text(at: 2),
          type: rows.text(at: 3), category: rows.text(at: 4), term: rows.text(at: 5),
          payment: rows.text(at: 6), offering: rows.text(at: 7),
          end: rows.optionalInt64(at: 8).map(Timestamp.init(secondsSinceEpoch:)),
          usedCost: Money(nanos: rows.int64(at: 9)), unusedCost: Money(nanos: rows.int64(at: 10)),
          coveredOnDemandCost: Money(nanos: rows.int64(at: 11)),
          netSavings: Money(nanos: rows.int64(at: 12)), utilization: rows.double(at: 13),
          coverage: rows.double(at: 14)))
    }
    let expiries = try connection.prepare(
      """
      SELECT ending_in, currency, commitments, monthly_cost, covered_on_demand_cost
      FROM commitment_expiries WHERE billing_period = ? ORDER BY ending_in, currency
      """)
    expiries.bind(month.description, at: 1)
    var calendar: [ExpiryMonth] = []
    while try expiries.step() {
      guard let ending = BillingMonth(expiries.text(at: 0)) else {
        throw StoredCommitmentError(value: expiries.text(at: 0))
      }
      calendar.append(
        ExpiryMonth(
          month: ending, currency: expiries.text(at: 1),
          commitments: expiries.text(at: 2).split(separator: "\u{1F}").map(String.init),
          monthlyCost: Money(nanos: expiries.int64(at: 3)),
          coveredOnDemandCost: Money(nanos: expiries.int64(at: 4))))
    }
    return OwnedCommitments(month: month, commitments: commitments, expiryCalendar: calendar)
  }

  /// An enum value as stored; a value this version does not know is an error, not a default.
  private func stored<Value: RawRepresentable<String>>(_ type: Value.Type, _ text: String) throws
    -> Value
  {
    guard let value = Value(rawValue: text) else { throw StoredCommitmentError(value: text) }
    return value
  }
}

/// A stored commitment result holds a value this version of tally does not know (a database
/// written by a newer one).
public struct StoredCommitmentError: Error, CustomStringConvertible {
  /// The value found.
  public var value: String
  public var description: String {
    "the stored commitment results hold \"\(value)\", which this version of tally does not know; "
      + "run `tally nightly` to compute them again"
  }
}
