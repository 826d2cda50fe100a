/// Puts an Azure cost details delivery in its place beside the other dataset of the same
/// billing account and month (docs/formats.md, "Azure: actual and amortized").
///
/// Azure delivers the same charges twice: the actual dataset (invoiced cost) and the amortized
/// one (commitments spread over the usage they cover). The two files are not row-aligned, so
/// they cannot be merged line by line. tally keeps both files' lines and lets each carry only
/// its own dataset's cost once both are present:
///
/// - actual lines carry billed cost = `Cost`, and effective, list and contracted cost 0;
/// - amortized lines carry effective cost = `Cost` (and list and contracted cost), billed 0;
/// - while only one dataset of a month is in the store, its lines carry `Cost` as both billed
///   and effective cost (the import says so).
///
/// So for a month with both datasets, Σ billed = Σ actual `Cost` and Σ effective = Σ amortized
/// `Cost`, exactly, and neither is counted twice. A delivery whose rows do not tell the dataset
/// (no reservation or savings plan rows, so both datasets are equal) takes the dataset the
/// store's other delivery of the month lacks, or stays undetermined (`cost`) when there is none.
struct AzureDatasetPairing {
  typealias Dataset = DatasetEvidence.Dataset

  let store: Store
  let importID: Int64
  /// The billing account whose datasets pair: `azure-ea:8611537`.
  let pairingKey: String
  let evidence: DatasetEvidence
  let manifestDataset: Dataset?
  let months: Set<BillingMonth>
  let lineIDs: ClosedRange<Int64>?
  /// The delivery's path, for messages.
  let location: String

  /// What the pairing decided.
  struct Outcome {
    /// The delivery's dataset; nil when undetermined.
    var dataset: Dataset?
    /// The months in which the other dataset is present too.
    var pairedMonths: Set<BillingMonth> = []
    var notes: [String] = []

    /// `actual`, `amortized`, or `cost` when undetermined.
    var datasetName: String { dataset?.rawValue ?? "cost" }

    /// The totals the delivery's lines must sum to once paired: per month in which the other
    /// dataset is present, the columns this dataset does not carry are 0.
    func expectedTotals(_ read: [PeriodTotals]) -> [PeriodTotals] {
      read.map { period in
        guard let dataset, pairedMonths.contains(period.month) else { return period }
        var paired = period
        paired.totals = AzureDatasetPairing.pairedTotals(period.totals, dataset: dataset)
        return paired
      }
    }
  }

  /// The columns a paired line of `dataset` keeps.
  static func pairedTotals(_ totals: CostTotals, dataset: Dataset) -> CostTotals {
    switch dataset {
    case .actual: CostTotals(billed: totals.billed)
    case .amortized:
      CostTotals(
        billed: .zero, effective: totals.effective, list: totals.list,
        contracted: totals.contracted)
    }
  }

  /// Decides the dataset, relabels undetermined deliveries of the same months, and pairs the
  /// lines of both datasets month by month. Runs inside the import's transaction.
  func apply() throws -> Outcome {
    var dataset = try evidence.dataset()
    if let named = manifestDataset {
      if let shown = dataset, shown != named {
        throw InputError(
          "the export's manifest names the \(named.rawValue) dataset, but the rows show the "
            + "\(shown.rawValue) one", at: SourceLocation(file: location))
      }
      dataset = named
    }
    var others = try store.azureImports(pairingKey: pairingKey, months: months, excluding: importID)
    var outcome = Outcome()
    if let known = dataset {
      // Deliveries whose rows did not tell their dataset are the other one.
      let undetermined = Set(others.filter { $0.dataset == nil }.map(\.id))
      for id in undetermined.sorted() {
        try store.relabelAzureImport(id: id, dataset: known.other)
        outcome.notes.append(
          "import #\(id) of the same months showed no commitment rows: it is the "
            + "\(known.other.rawValue) dataset")
      }
      others = others.map { $0.dataset == nil ? ($0.id, known.other, $0.month) : $0 }
    } else {
      let present = Set(others.compactMap(\.dataset))
      if present.count > 1 {
        throw InputError(
          "no reservation or savings plan rows tell whether this is Azure's actual or amortized "
            + "dataset, and the store already holds both datasets of \(monthList(months)) for "
            + "\(pairingKey)", at: SourceLocation(file: location))
      }
      if let other = present.first {
        dataset = other.other
        outcome.notes.append(
          "no reservation or savings plan rows tell the dataset; the store holds the "
            + "\(other.rawValue) dataset of \(monthList(months)), so this is the "
            + "\(other.other.rawValue) one")
      }
    }
    outcome.dataset = dataset
    try store.setAzureDataset(importID: importID, pairingKey: pairingKey, dataset: dataset)
    guard let dataset else {
      if months.isEmpty { return outcome }
      outcome.notes.append(
        "no reservation or savings plan rows: the actual and amortized datasets are the same, "
          + "so cost counts as both billed and effective cost")
      return outcome
    }
    for month in months.sorted() {
      let partners = Set(
        others.filter { $0.month == month && $0.dataset == dataset.other }.map(\.id))
      guard !partners.isEmpty else {
        outcome.notes.append(
          "\(month): only the \(dataset.rawValue) dataset is in the store, so its cost counts "
            + "as both billed and effective cost until the \(dataset.other.rawValue) one arrives")
        continue
      }
      outcome.pairedMonths.insert(month)
      if let lineIDs {
        try store.pairAzureLines(lineIDs: lineIDs, month: month, dataset: dataset)
      }
      for partner in partners.sorted() {
        try store.pairAzureImport(id: partner, month: month, dataset: dataset.other)
      }
      let actual = dataset == .actual ? "this file" : "import #\(partners.sorted()[0])"
      let amortized = dataset == .amortized ? "this file" : "import #\(partners.sorted()[0])"
      outcome.notes.append(
        "\(month): paired with the \(dataset.other.rawValue) dataset: billed cost from the "
          + "actual dataset (\(actual)), effective cost from the amortized one (\(amortized))")
    }
    return outcome
  }

  private func monthList(_ months: Set<BillingMonth>) -> String {
    months.sorted().map(\.description).joined(separator: ", ")
  }
}
