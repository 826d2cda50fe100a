import Mustache

/// A report page: a title, navigation, and sections of headline figures, charts and tables,
/// rendered through Mustache templates, which escape every `{{value}}`. Only SVG that tally
/// drew itself (labels escaped by `SVGChart`) is inserted unescaped.
struct HTMLPage {
  /// One headline figure: "Billed cost 12,345.67 USD".
  struct Figure {
    var label: String
    var value: String
    var note: String?
  }

  /// A table cell: its text, and the value it sorts by when that differs (amounts in nanos).
  struct Cell {
    var text: String
    var sortKey: String?
    var numeric: Bool

    static func text(_ text: String) -> Cell { Cell(text: text, sortKey: nil, numeric: false) }
    static func amount(_ money: Money) -> Cell {
      Cell(text: money.groupedCents, sortKey: String(money.nanos), numeric: true)
    }
    static func number(_ value: Int) -> Cell {
      Cell(text: String(value), sortKey: String(value), numeric: true)
    }
    /// "–" in a numeric column: no figure (a month or currency without lines); sorts as 0.
    static let missing = Cell(text: "–", sortKey: "0", numeric: true)
    static func ratio(_ value: Double?) -> Cell {
      guard let value else { return Cell(text: "–", sortKey: "-1", numeric: true) }
      return Cell(text: formatPercent(value), sortKey: String(value), numeric: true)
    }
    /// A link to another page of the report (the href is built by tally, the text escaped).
    static func link(_ text: String, href: String) -> Cell {
      Cell(text: text, sortKey: text, numeric: false, href: href)
    }

    var href: String?
    init(text: String, sortKey: String?, numeric: Bool, href: String? = nil) {
      self.text = text
      self.sortKey = sortKey
      self.numeric = numeric
      self.href = href
    }
  }

  /// A sortable table; `footer` rows (totals) stay at the bottom.
  struct Table {
    var caption: String
    var columns: [(name: String, numeric: Bool)]
    var rows: [[Cell]]
    var footer: [[Cell]] = []
    var emptyText = "Nothing to show."
  }

  /// A section: a heading, a paragraph, figures, charts, tables.
  struct Section {
    var id: String
    var heading: String
    var text: String?
    var figures: [Figure] = []
    var charts: [String] = []
    var tables: [Table] = []
  }

  var title: String
  var subtitle: String
  /// Links in the header: (text, href).
  var navigation: [(text: String, href: String)]
  var sections: [Section]

  /// The whole document.
  func rendered() -> String {
    HTMLPage.template.render(context)
  }

  private var context: [String: Any] {
    [
      "title": title, "subtitle": subtitle, "style": HTMLPage.style, "script": HTMLPage.script,
      "navigation": navigation.map { ["text": $0.text, "href": $0.href] },
      "sections": sections.map { section -> [String: Any] in
        [
          "id": section.id, "heading": section.heading, "text": section.text ?? "",
          "hasText": section.text != nil,
          "figures": section.figures.map {
            ["label": $0.label, "value": $0.value, "note": $0.note ?? ""]
          },
          "hasFigures": !section.figures.isEmpty, "charts": section.charts,
          "tables": section.tables.map(tableContext),
        ]
      },
    ]
  }

  private func tableContext(_ table: Table) -> [String: Any] {
    func cells(_ row: [Cell]) -> [[String: Any]] {
      row.map { cell in
        [
          "text": cell.text, "sort": cell.sortKey ?? cell.text, "numeric": cell.numeric,
          "href": cell.href ?? "", "hasHref": cell.href != nil,
        ]
      }
    }
    return [
      "caption": table.caption, "empty": table.rows.isEmpty, "emptyText": table.emptyText,
      "columns": table.columns.enumerated().map {
        ["name": $1.name, "numeric": $1.numeric, "index": $0]
      },
      "rows": table.rows.map { ["cells": cells($0)] },
      "footer": table.footer.map { ["cells": cells($0)] }, "hasFooter": !table.footer.isEmpty,
    ]
  }

  // The template is a constant of tally's own: failing to parse it is a programmer error that
  // every report test would catch.
  private static let template: MustacheTemplate = {
    do {
      return try MustacheTemplate(string: HTMLPage.source)
    } catch {
      preconditionFailure("the report template does not parse: \(error)")
    }
  }()

  private static let source = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
    <title>{{title}}</title>
    <style>{{{style}}}</style>
    </head>
    <body>
    <header>
    <h1>{{title}}</h1>
    <p class="subtitle">{{subtitle}}</p>
    <nav>{{#navigation}}<a href="{{href}}">{{text}}</a> {{/navigation}}</nav>
    </header>
    <main>
    {{#sections}}
    <section id="{{id}}">
    <h2>{{heading}}</h2>
    {{#hasText}}<p>{{text}}</p>{{/hasText}}
    {{#hasFigures}}<div class="figures">{{#figures}}<div class="figure"><span class="label">{{label}}</span><span class="value">{{value}}</span><span class="note">{{note}}</span></div>{{/figures}}</div>{{/hasFigures}}
    {{#charts}}<figure>{{{.}}}</figure>{{/charts}}
    {{#tables}}
    <table class="sortable">
    <caption>{{caption}}</caption>
    <thead><tr>{{#columns}}<th{{#numeric}} class="num"{{/numeric}} data-column="{{index}}">{{name}}</th>{{/columns}}</tr></thead>
    <tbody>
    {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="num"{{/numeric}} data-sort="{{sort}}">{{#hasHref}}<a href="{{href}}">{{text}}</a>{{/hasHref}}{{^hasHref}}{{text}}{{/hasHref}}</td>{{/cells}}</tr>
    {{/rows}}
    {{#empty}}<tr><td class="empty" colspan="99">{{emptyText}}</td></tr>{{/empty}}
    </tbody>
    {{#hasFooter}}<tfoot>{{#footer}}<tr>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}>{{text}}</td>{{/cells}}</tr>{{/footer}}</tfoot>{{/hasFooter}}
    </table>
    {{/tables}}
    </section>
    {{/sections}}
    </main>
    <footer><p>Generated by tally. Amounts are rounded to cents for display; rounded rows add up to their rounded totals.</p></footer>
    <script>{{{script}}}</script>
    </body>
    </html>

    """

  static let style = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
    header{background:#1f3a5f;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
    .subtitle{margin:4px 0 8px;opacity:.85}nav a{color:#cfe0ff;margin-right:14px;text-decoration:none}
    main{padding:8px 32px 32px;max-width:1200px}section{background:#fff;border:1px solid #dde2ea;border-radius:6px;margin:18px 0;padding:12px 20px}
    h2{font-size:17px;margin:6px 0 10px;color:#1f3a5f}.figures{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:10px}
    .figure{border:1px solid #e3e7ee;border-radius:6px;padding:8px 12px;min-width:170px}.figure .label{display:block;color:#5a6477;font-size:12px}
    .figure .value{display:block;font-size:19px;font-weight:600}.figure .note{display:block;color:#5a6477;font-size:12px}
    table{border-collapse:collapse;width:100%;margin:8px 0 16px}caption{text-align:left;font-weight:600;padding:4px 0}
    th,td{border-bottom:1px solid #e6e9ef;padding:5px 8px;text-align:left;vertical-align:top}th{background:#f0f3f7;cursor:pointer;user-select:none}
    th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    tfoot td{font-weight:600;border-top:2px solid #c9d0db}td.empty{color:#5a6477;font-style:italic}
    figure{margin:8px 0}svg.chart{width:100%;max-width:760px;height:auto;font-size:11px;font-family:inherit}svg .chart-title{font-weight:600;font-size:13px}
    footer{color:#5a6477;padding:0 32px 24px;font-size:12px}
    @media print{body{background:#fff}header{background:#fff;color:#000;border-bottom:2px solid #000}nav{display:none}section{break-inside:avoid;border:none}th{background:#eee}}
    """

  static let script = """
    document.querySelectorAll('table.sortable').forEach(function(table){
      table.querySelectorAll('th').forEach(function(th){
        th.addEventListener('click',function(){
          var index=Number(th.dataset.column),body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
          var ascending=!th.classList.contains('sorted-asc'),numeric=th.classList.contains('num');
          rows.sort(function(a,b){
            var x=a.cells[index]?a.cells[index].dataset.sort:'',y=b.cells[index]?b.cells[index].dataset.sort:'';
            var c=numeric?(Number(x)-Number(y)):String(x).localeCompare(String(y));
            return ascending?c:-c;});
          rows.forEach(function(r){body.appendChild(r);});
          table.querySelectorAll('th').forEach(function(o){o.classList.remove('sorted-asc','sorted-desc');});
          th.classList.add(ascending?'sorted-asc':'sorted-desc');});});});
    """
}

extension Money {
  /// Rounded to cents with thousands separators, as finance reads it: `12,345.67`, `-0.50`.
  var groupedCents: String {
    let text = formatted(fractionDigits: 2)
    let negative = text.hasPrefix("-")
    let unsigned = negative ? String(text.dropFirst()) : text
    let parts = unsigned.split(separator: ".", maxSplits: 1)
    var whole = String(parts.first ?? "0")
    var grouped = ""
    while whole.count > 3 {
      grouped = "," + whole.suffix(3) + grouped
      whole = String(whole.dropLast(3))
    }
    return (negative ? "-" : "") + whole + grouped + (parts.count > 1 ? "." + parts[1] : "")
  }
}

/// A ratio 0…1 as a percentage with one decimal: `87.5%`.
func formatPercent(_ ratio: Double) -> String {
  let tenths = Int((ratio * 1000).rounded())
  return "\(tenths / 10).\(abs(tenths % 10))%"
}
