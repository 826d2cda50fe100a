import Crypto
import Foundation

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

/// A file-name-safe form of a team name: lower-case ASCII letters, digits and `-`, accents
/// dropped (`Équipe` → `equipe`), every other character folded into single dashes, at most 80
/// characters. It never holds `/`, `\`, `.`, NUL or any other control character, so a name such
/// as `../../etc` can only ever name a file inside the report folder. Names that lose non-ASCII
/// characters to the folding (`日本`, `ops😀`), fold to nothing, or would name a Windows device (`CON`,
/// `lpt1`) get a suffix of their own SHA-256, so they stay distinct and never a device.
enum Slug {
  static func make(_ name: String) -> String {
    var slug = ""
    var pendingDash = false
    var lost = false
    // Canonical decomposition splits `é` into `e` and a combining accent, which is dropped.
    for scalar in name.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
      if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        if pendingDash && !slug.isEmpty { slug += "-" }
        slug.unicodeScalars.append(scalar)
        pendingDash = false
      } else if scalar.properties.generalCategory != .nonspacingMark {
        // Any other character but an accent is information the slug loses.
        lost = lost || !scalar.isASCII
        pendingDash = true
      }
    }
    slug = String(slug.prefix(80))
    guard slug.isEmpty || lost || reserved.contains(slug) else { return slug }
    return (slug.isEmpty ? "team" : slug) + "-" + digest(name)
  }

  /// The first eight hex digits of the name's SHA-256: the same name gives the same suffix in
  /// every month and on every machine.
  static func digest(_ name: String) -> String {
    SHA256.hash(data: Data(name.utf8)).prefix(4).map {
      String($0 >> 4, radix: 16) + String($0 & 15, radix: 16)
    }.joined()
  }

  /// Names Windows keeps for devices, whatever the extension (`con.html` cannot be opened).
  static let reserved: Set<String> = Set(
    ["con", "prn", "aux", "nul"] + (1...9).flatMap { ["com\($0)", "lpt\($0)"] })
}

/// Unique slugs for a set of names, whatever order they come in: the names are sorted (by
/// their UTF-8 bytes) and the first of the names that fold to `web-app` keeps it; each other
/// one gets the suffix of its own SHA-256 (`web-app-1a2b3c4d`), so its file name does not
/// depend on which other teams exist.
struct ReportSlugs {
  private(set) var byName: [String: String] = [:]

  init(_ names: [String]) {
    var used: Set<String> = []
    for name in Set(names).sorted(by: { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }) {
      var slug = Slug.make(name)
      if used.contains(slug) { slug += "-" + Slug.digest(name) }
      var counter = 2
      let base = slug
      while used.contains(slug) {  // two digests agree: practically never, but stay unique
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
