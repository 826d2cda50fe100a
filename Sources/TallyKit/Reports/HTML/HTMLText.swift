/// Escaping for text that goes into HTML or SVG outside the template engine (chart labels,
/// attribute values). Tag values, resource ids and team names are data from outside.
enum HTMLText {
  /// `&`, `<`, `>`, `"` and `'` replaced by entities: safe in element text and in quoted
  /// attribute values.
  static func escaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.unicodeScalars.append(character)
      }
    }
    return result
  }
}

/// A file-name-safe form of a team name: lower-case ASCII letters, digits and `-`, other
/// characters folded into single dashes, never empty, never `.` or `..`, so a name such as
/// `../../etc` can only ever name a file inside the report folder. Names that would collide
/// after folding are told apart by `ReportSlugs`.
enum Slug {
  static func make(_ name: String) -> String {
    var slug = ""
    var pendingDash = false
    for scalar in name.lowercased().unicodeScalars {
      if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        if pendingDash && !slug.isEmpty { slug += "-" }
        slug.unicodeScalars.append(scalar)
        pendingDash = false
      } else {
        pendingDash = true
      }
    }
    return slug.isEmpty ? "team" : String(slug.prefix(80))
  }
}

/// Unique slugs for a set of names: the second name that folds to `web-app` becomes
/// `web-app-2`, and so on, in the order the names are given (sort them first for stable files).
struct ReportSlugs {
  private(set) var byName: [String: String] = [:]
  private var used: Set<String> = []

  init(_ names: [String]) {
    for name in names where byName[name] == nil {
      let base = Slug.make(name)
      var slug = base
      var counter = 2
      while used.contains(slug) {
        slug = "\(base)-\(counter)"
        counter += 1
      }
      used.insert(slug)
      byName[name] = slug
    }
  }

  /// The slug of a name given at creation.
  subscript(name: String) -> String { byName[name] ?? Slug.make(name) }
}
