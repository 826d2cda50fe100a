import Foundation

/// `<reports>/index.html`: links to every published month, newest first, rewritten on every
/// report run from the folders that are there, and published atomically like the months.
enum MonthIndex {
  /// The published months under `root`: folders named `YYYY-MM` holding an `index.html`.
  static func months(in root: String) -> [BillingMonth] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return entries.compactMap { entry -> BillingMonth? in
      guard let month = BillingMonth(entry),
        FileManager.default.fileExists(
          atPath: ((root as NSString).appendingPathComponent(entry) as NSString)
            .appendingPathComponent("index.html"))
      else { return nil }
      return month
    }.sorted(by: >)
  }

  /// The index page of `months`.
  static func page(_ months: [BillingMonth]) -> HTMLPage {
    var section = HTMLPage.Section(
      id: "months", heading: "Months",
      text: "Each month's finance summary, team pages and CSV files.")
    section.tables = [
      .init(
        caption: "Published reports", columns: [("Month", false)],
        rows: months.map { [.link($0.description, href: "\($0)/index.html")] },
        emptyText: "No month has been reported yet.")
    ]
    return HTMLPage(
      title: "Cloud cost reports", subtitle: "Reports written by tally", navigation: [],
      sections: [section])
  }

  /// Writes the index in a staging folder and swaps it into place as `index.html`.
  static func publish(with publisher: ReportPublisher) throws {
    let staging = try publisher.makeStagingFolder(for: "index")
    let file = (staging as NSString).appendingPathComponent("index.html")
    try Data(page(months(in: publisher.root)).rendered().utf8).write(
      to: URL(fileURLWithPath: file))
    try publisher.publish(file, as: "index.html")
    try FileManager.default.removeItem(atPath: staging)
  }
}
