/// The store side of ``AzureDatasetPairing``: which Azure deliveries hold which months, and the
/// updates that let each dataset's lines carry only their own cost.
extension Store {
  /// The current deliveries of `pairingKey` other than `excluding` that hold one of `months`:
  /// their id, dataset (nil when undetermined) and the month.
  func azureImports(pairingKey: String, months: Set<BillingMonth>, excluding id: Int64)
    throws(SQLiteError) -> [(id: Int64, dataset: DatasetEvidence.Dataset?, month: BillingMonth)]
  {
    let statement = try connection.prepare(
      """
      SELECT DISTINCT i.id, i.dataset FROM imports i JOIN import_totals t ON t.import_id = i.id
      WHERE i.pairing_key = ? AND i.id <> ? AND t.billing_period = ? ORDER BY i.id
      """)
    var found: [(id: Int64, dataset: DatasetEvidence.Dataset?, month: BillingMonth)] = []
    for month in months.sorted() {
      statement.bind(pairingKey, at: 1)
      statement.bind(id, at: 2)
      statement.bind(month.description, at: 3)
      while try statement.step() {
        found.append(
          (
            statement.int64(at: 0),
            statement.optionalText(at: 1).flatMap(DatasetEvidence.Dataset.init(rawValue:)), month
          ))
      }
      statement.reset()
    }
    return found
  }

  /// Records the dataset and pairing key of an import.
  func setAzureDataset(importID: Int64, pairingKey: String, dataset: DatasetEvidence.Dataset?)
    throws(SQLiteError)
  {
    let statement = try connection.prepare(
      "UPDATE imports SET dataset = ?, pairing_key = ? WHERE id = ?")
    statement.bind(dataset?.rawValue, at: 1)
    statement.bind(pairingKey, at: 2)
    statement.bind(importID, at: 3)
    try statement.run()
  }

  /// Names the dataset of a delivery that was undetermined; its source's `:cost` suffix
  /// becomes the dataset's name.
  func relabelAzureImport(id: Int64, dataset: DatasetEvidence.Dataset) throws(SQLiteError) {
    let statement = try connection.prepare(
      """
      UPDATE imports SET dataset = ?1,
        source = CASE WHEN source LIKE '%:cost' THEN substr(source, 1, length(source) - 4) || ?1
          ELSE source END
      WHERE id = ?2
      """)
    statement.bind(dataset.rawValue, at: 1)
    statement.bind(id, at: 2)
    try statement.run()
  }

  /// Pairs the new delivery's lines of `month` (rowids `lineIDs`).
  func pairAzureLines(
    lineIDs: ClosedRange<Int64>, month: BillingMonth, dataset: DatasetEvidence.Dataset
  )
    throws(SQLiteError)
  {
    let statement = try connection.prepare(
      "UPDATE cost_lines SET \(Store.pairedAssignments(dataset)) "
        + "WHERE id BETWEEN ? AND ? AND billing_period = ?")
    statement.bind(lineIDs.lowerBound, at: 1)
    statement.bind(lineIDs.upperBound, at: 2)
    statement.bind(month.description, at: 3)
    try statement.run()
  }

  /// Pairs an earlier delivery's lines and recorded totals of `month`, and checks that its
  /// lines still sum to its recorded totals.
  func pairAzureImport(id: Int64, month: BillingMonth, dataset: DatasetEvidence.Dataset) throws {
    let assignments = Store.pairedAssignments(dataset)
    for (table, rows) in [
      ("cost_lines", Store.linesOfImportInMonth),
      ("import_totals", "import_id = ?1 AND billing_period = ?2"),
    ] {
      let statement = try connection.prepare("UPDATE \(table) SET \(assignments) WHERE \(rows)")
      statement.bind(id, at: 1)
      statement.bind(month.description, at: 2)
      try statement.run()
    }
    let lines = try connection.prepare(
      """
      SELECT billing_period, billing_currency, count(*), sum(billed_cost), sum(effective_cost),
        sum(list_cost), sum(contracted_cost)
      FROM detailed_cost_lines WHERE \(Store.linesOfImportInMonth) GROUP BY 1, 2 ORDER BY 1, 2
      """)
    lines.bind(id, at: 1)
    lines.bind(month.description, at: 2)
    let recorded = try connection.prepare(
      """
      SELECT billing_period, billing_currency, row_count, billed_cost, effective_cost, list_cost,
        contracted_cost
      FROM import_totals WHERE import_id = ? AND billing_period = ? ORDER BY 1, 2
      """)
    recorded.bind(id, at: 1)
    recorded.bind(month.description, at: 2)
    let stored = try periodTotals(lines)
    let expected = try periodTotals(recorded)
    guard stored == expected else {
      throw ImportInternalError(
        description: "pairing import #\(id) for \(month): its lines sum to \(stored) but its "
          + "recorded totals are \(expected); the import was rolled back")
    }
  }

  /// The columns a paired line of `dataset` no longer carries, set to 0.
  private static func pairedAssignments(_ dataset: DatasetEvidence.Dataset) -> String {
    switch dataset {
    case .actual: "effective_cost = 0, list_cost = 0, contracted_cost = 0"
    case .amortized: "billed_cost = 0"
    }
  }
}
