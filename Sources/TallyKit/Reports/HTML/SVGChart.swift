/// Inline SVG charts drawn by tally itself: no scripts, fonts or styles from anywhere else,
/// labels escaped, readable in print (a legend and value axis on every chart). Amounts are
/// scaled to pixels with integer arithmetic; nothing here computes money.
enum SVGChart {
  /// A series of a chart: a name for the legend and one value per category (nil: no value).
  struct Series {
    var name: String
    var values: [Int64?]
  }

  static let palette = [
    "#3b6ea5", "#e0803a", "#4f9d69", "#c2504e", "#8a6bb1", "#8c6d46", "#d47fb3", "#7f7f7f",
    "#b5b83a", "#3fb2c2",
  ]

  /// Stacked columns: one column per category (e.g. month), one stacked segment per series
  /// (e.g. team). Negative values (net credits) are drawn below the axis. `format` labels the
  /// value axis.
  static func stackedColumns(
    title: String, categories: [String], series: [Series], format: (Int64) -> String
  ) -> String {
    var positive = Array(repeating: Int64(0), count: categories.count)
    var negative = Array(repeating: Int64(0), count: categories.count)
    for item in series {
      for (index, value) in item.values.enumerated() where index < categories.count {
        if let value, value > 0 {
          positive[index] += value
        } else if let value {
          negative[index] += value
        }
      }
    }
    let maximum = max(positive.max() ?? 0, 1)
    let frame = Frame(height: 300, maximum: maximum, minimum: min(negative.min() ?? 0, 0))
    let (width, height, left, bottom, top) = (
      frame.width, frame.height, frame.left, frame.bottom, frame.top
    )
    let y = frame.y
    let slot = categories.isEmpty ? 0 : (width - left - 20) / categories.count
    let barWidth = max(4, slot * 6 / 10)
    var svg = open(width: width, height: height + 20 * ((series.count + 3) / 4), title: title)
    svg += axis(
      left: left, width: width, top: top, zeroY: y(0), maxLabel: format(maximum), maxY: y(maximum))
    var positiveBase = Array(repeating: Int64(0), count: categories.count)
    var negativeBase = Array(repeating: Int64(0), count: categories.count)
    for (seriesIndex, item) in series.enumerated() {
      let color = palette[seriesIndex % palette.count]
      for (index, value) in item.values.enumerated() where index < categories.count {
        guard let value, value != 0 else { continue }
        let x = left + index * slot + (slot - barWidth) / 2
        let from = value > 0 ? positiveBase[index] : negativeBase[index]
        let to = from + value
        if value > 0 { positiveBase[index] = to } else { negativeBase[index] = to }
        let y1 = min(y(from), y(to))
        let h = max(1, abs(y(from) - y(to)))
        svg +=
          "<rect x=\"\(x)\" y=\"\(y1)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(color)\">"
        svg += "<title>\(HTMLText.escaped(item.name)) \(HTMLText.escaped(categories[index])): "
        svg += "\(HTMLText.escaped(format(value)))</title></rect>"
      }
    }
    for (index, category) in categories.enumerated() {
      let x = left + index * slot + slot / 2
      svg += "<text x=\"\(x)\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">"
      svg += "\(HTMLText.escaped(category))</text>"
    }
    svg += legend(series.map(\.name), y: height + 4)
    return svg + "</svg>"
  }

  /// Lines over categories (e.g. days or months), one per series, on a shared value axis from 0
  /// (or the lowest value, if negative) to the highest, or to `ceiling` when given (e.g. 100 %).
  static func lines(
    title: String, categories: [String], series: [Series], ceiling: Int64? = nil,
    format: (Int64) -> String
  ) -> String {
    let values = series.flatMap { $0.values.compactMap { $0 } }
    let maximum = ceiling ?? max(values.max() ?? 0, 1)
    let frame = Frame(height: 260, maximum: maximum, minimum: min(values.min() ?? 0, 0))
    let (width, height, left, bottom, top) = (
      frame.width, frame.height, frame.left, frame.bottom, frame.top
    )
    let y = frame.y
    // The last point sits 40 units from the right edge, so its centred label is not cut off.
    let step = categories.count > 1 ? (width - left - 40) / (categories.count - 1) : 0
    var svg = open(width: width, height: height + 20 * ((series.count + 3) / 4), title: title)
    svg += axis(
      left: left, width: width, top: top, zeroY: y(0), maxLabel: format(maximum), maxY: y(maximum))
    for (seriesIndex, item) in series.enumerated() {
      let color = palette[seriesIndex % palette.count]
      let points = item.values.enumerated().compactMap { index, value in
        value.map { "\(left + index * step),\(y($0))" }
      }
      svg +=
        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\">"
      svg += "<title>\(HTMLText.escaped(item.name))</title></polyline>"
      // A marker on every point, so a month on its own (no line to draw) is still seen.
      for (index, value) in item.values.enumerated() where index < categories.count {
        guard let value else { continue }
        svg += "<circle cx=\"\(left + index * step)\" cy=\"\(y(value))\" r=\"3\" fill=\"\(color)\">"
        svg += "<title>\(HTMLText.escaped(item.name)) \(HTMLText.escaped(categories[index])): "
        svg += "\(HTMLText.escaped(format(value)))</title></circle>"
      }
    }
    let labelEvery = max(1, categories.count / 8)
    for (index, category) in categories.enumerated() where index % labelEvery == 0 {
      svg +=
        "<text x=\"\(left + index * step)\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">"
      svg += "\(HTMLText.escaped(category))</text>"
    }
    svg += legend(series.map(\.name), y: height + 4)
    return svg + "</svg>"
  }

  /// A waterfall: one floating bar per step, from the running total before it to the running
  /// total after it (increases blue, decreases orange), then a bar for the total from zero.
  /// Labels longer than 14 characters are cut, in full in each bar's tooltip.
  static func waterfall(
    title: String, steps: [(label: String, value: Int64)], totalLabel: String,
    format: (Int64) -> String
  ) -> String {
    var running: [Int64] = [0]
    for step in steps {
      running.append(Int64(clamping: Int128(running[running.count - 1]) + Int128(step.value)))
    }
    let maximum = max(running.max() ?? 0, 1)
    let frame = Frame(height: 300, maximum: maximum, minimum: min(running.min() ?? 0, 0))
    let (width, height, left, bottom, top) = (
      frame.width, frame.height, frame.left, frame.bottom, frame.top
    )
    let y = frame.y
    let slot = (width - left - 20) / (steps.count + 1)
    let barWidth = max(4, slot * 6 / 10)
    var svg = open(width: width, height: height + 24, title: title)
    svg += axis(
      left: left, width: width, top: top, zeroY: y(0),
      maxLabel: format(maximum), maxY: y(maximum))
    let total = running[running.count - 1]
    let bars: [(label: String, from: Int64, to: Int64, value: Int64)] =
      steps.enumerated().map { ($1.label, running[$0], running[$0 + 1], $1.value) }
      + [(totalLabel, 0, total, total)]
    for (index, bar) in bars.enumerated() {
      let x = left + index * slot + (slot - barWidth) / 2
      let y1 = min(y(bar.from), y(bar.to))
      let h = max(1, abs(y(bar.from) - y(bar.to)))
      let color = index == steps.count ? "#1f3a5f" : bar.value >= 0 ? palette[0] : palette[1]
      svg +=
        "<rect x=\"\(x)\" y=\"\(y1)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(color)\">"
      svg +=
        "<title>\(HTMLText.escaped(bar.label)): \(HTMLText.escaped(format(bar.value)))</title></rect>"
      let label = bar.label.count > 14 ? String(bar.label.prefix(13)) + "…" : bar.label
      svg +=
        "<text x=\"\(x + barWidth / 2)\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">"
      svg += "\(HTMLText.escaped(label))</text>"
    }
    svg += legend(
      ["increase", "decrease", totalLabel], y: height + 4,
      colors: [palette[0], palette[1], "#1f3a5f"])
    return svg + "</svg>"
  }

  /// The plot area every chart shares: 720 wide, the value axis on the left, values from
  /// `minimum` (at most 0) to `maximum` scaled to pixels with integer arithmetic.
  private struct Frame {
    let width = 720
    let left = 90
    let bottom = 40
    let top = 30
    let height: Int
    let maximum: Int64
    let minimum: Int64

    /// The pixel row of a value.
    func y(_ value: Int64) -> Int {
      let span = max(Int128(maximum) - Int128(minimum), 1)
      return top + Int((Int128(maximum) - Int128(value)) * Int128(height - bottom - top) / span)
    }
  }

  private static func open(width: Int, height: Int, title: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" "
      + "role=\"img\" aria-label=\"\(HTMLText.escaped(title))\"><title>\(HTMLText.escaped(title))</title>"
      + "<text class=\"chart-title\" x=\"10\" y=\"18\">\(HTMLText.escaped(title))</text>"
  }

  private static func axis(left: Int, width: Int, top: Int, zeroY: Int, maxLabel: String, maxY: Int)
    -> String
  {
    "<line x1=\"\(left)\" y1=\"\(zeroY)\" x2=\"\(width - 10)\" y2=\"\(zeroY)\" stroke=\"#555\"/>"
      + "<line x1=\"\(left)\" y1=\"\(maxY)\" x2=\"\(width - 10)\" y2=\"\(maxY)\" stroke=\"#ccc\" stroke-dasharray=\"4 4\"/>"
      + "<text x=\"\(left - 6)\" y=\"\(maxY + 4)\" text-anchor=\"end\">\(HTMLText.escaped(maxLabel))</text>"
      + "<text x=\"\(left - 6)\" y=\"\(zeroY + 4)\" text-anchor=\"end\">0</text>"
  }

  private static func legend(_ names: [String], y: Int, colors: [String] = palette) -> String {
    var svg = ""
    for (index, name) in names.enumerated() {
      let x = 10 + (index % 4) * 175
      let row = y + (index / 4) * 20
      svg +=
        "<rect x=\"\(x)\" y=\"\(row)\" width=\"12\" height=\"12\" fill=\"\(colors[index % colors.count])\"/>"
      svg +=
        "<text x=\"\(x + 18)\" y=\"\(row + 11)\">\(HTMLText.escaped(String(name.prefix(24))))</text>"
    }
    return svg
  }
}
