/// The export formats the import benchmark can generate.
public enum BenchFormat: String, CaseIterable, Sendable {
  /// AWS legacy CUR (``BenchCUR`` as it is).
  case legacy
  /// AWS CUR 2.0 (Data Exports): snake_case columns, tags and product attributes as JSON maps.
  case cur2
  /// Azure EA cost details, actual dataset (c360 columns, brace-less tags, US dates).
  case azure
}

/// A benchmark bill in one of the ``BenchFormat``s: the lines of ``BenchCUR`` (same count,
/// same resources, tags and costs), rewritten line by line into the other format, so that the
/// import of each format is timed on the same charges.
///
/// - CUR 2.0: every legacy column in its CUR 2.0 spelling (`lineItem/UnblendedCost` →
///   `line_item_unblended_cost`); the `resourceTags/*` columns folded into `resource_tags`
///   (`user:team` → `user_team`), the product attributes CUR 2.0 does not promote into
///   `product`, the cost categories into `cost_category`; plus `discount` and the account name
///   columns. Costs are unchanged.
/// - Azure: one EA row per line. Usage covered by a reservation or savings plan costs 0, as in
///   the actual dataset; fees become purchases; the CUR's user tags become `Tags` without outer
///   braces; dates are `MM/DD/YYYY`; resource ids become ARM ids.
public struct BenchBill: Sendable {
  /// The underlying legacy CUR.
  public var cur: BenchCUR
  /// The format written.
  public var format: BenchFormat

  /// A bill of `lines` data rows in `format`.
  public init(lines: Int, seed: UInt64, format: BenchFormat) {
    cur = BenchCUR(lines: lines, seed: seed)
    self.format = format
  }

  /// The version of the output of ``BenchBill`` for `format`; a change of output changes it.
  public static func formatVersion(_ format: BenchFormat) -> String {
    format == .legacy ? "\(BenchCUR.formatVersion)" : "\(BenchCUR.formatVersion).\(format)-1"
  }

  /// Writes the CSV to the file at `path`.
  @discardableResult
  public func write(toFile path: String) throws -> BenchSummary {
    let sink = try FileSink(path: path)
    let summary = try write { try sink.write($0) }
    try sink.close()
    return summary
  }

  /// Generates the CSV, handing it to `flush` in chunks.
  @discardableResult
  public func write(flush: ([UInt8]) throws -> Void) throws -> BenchSummary {
    guard format != .legacy else { return try cur.write(flush: flush) }
    var converter = BenchRewriter(format: format)
    var byteCount = 0
    let legacy = try cur.write { chunk in
      let converted = converter.convert(chunk)
      byteCount += converted.count
      try flush(converted)
    }
    let rest = converter.finish()
    if !rest.isEmpty {
      byteCount += rest.count
      try flush(rest)
    }
    precondition(converter.linesWritten == legacy.lineCount, "converted every line")
    return BenchSummary(
      lineCount: legacy.lineCount, columnCount: converter.columnCount, byteCount: byteCount,
      resourceCount: legacy.resourceCount,
      billedTotal: format == .azure ? converter.azureCostTotal : legacy.billedTotal,
      effectiveTotal: format == .azure ? converter.azureCostTotal : legacy.effectiveTotal)
  }
}

/// Rewrites a legacy CUR into another ``BenchFormat``, chunk by chunk (a line may be cut by a
/// chunk's end): the first line is the legacy header.
public struct BenchRewriter {
  /// The format written.
  public let format: BenchFormat
  private var legacyHeader: [String] = []
  private var carry: [UInt8] = []
  private var sawHeader = false
  private var out = CSVBuffer(reservingCapacity: 10 << 20)
  /// Data lines written so far.
  public private(set) var linesWritten = 0
  /// Columns of the output.
  public private(set) var columnCount = 0
  /// Azure: Σ `Cost` written, in nanos (covered usage costs 0 in the actual dataset).
  public private(set) var azureCostTotal: Int64 = 0
  private var fields: [[UInt8]] = []
  private var index: [String: Int] = [:]
  // CUR 2.0 plan: for each output column, the legacy column it copies.
  private var cur2Columns: [Int] = []
  private var cur2Tags: [(key: String, column: Int)] = []
  private var cur2Product: [(key: String, column: Int)] = []
  private var cur2CostCategories: [(key: String, column: Int)] = []
  // Azure: the user tag columns, by key.
  private var azureTags: [(key: String, column: Int)] = []

  /// A rewriter into `format` (not ``BenchFormat/legacy``).
  public init(format: BenchFormat) {
    self.format = format
  }

  /// The rewritten lines that `chunk` completes.
  public mutating func convert(_ chunk: [UInt8]) -> [UInt8] {
    out.removeAll()
    carry.append(contentsOf: chunk)
    var start = 0
    var quoted = false
    var position = 0
    while position < carry.count {
      let byte = carry[position]
      if byte == UInt8(ascii: "\"") {
        quoted.toggle()
      } else if byte == 0x0A && !quoted {
        var end = position
        if end > start && carry[end - 1] == 0x0D { end -= 1 }
        line(carry[start..<end])
        start = position + 1
      }
      position += 1
    }
    carry.removeFirst(start)
    return out.bytes
  }

  /// The rest: a last line without a line break.
  public mutating func finish() -> [UInt8] {
    out.removeAll()
    if !carry.isEmpty { line(carry[...]) }
    carry.removeAll()
    return out.bytes
  }

  private mutating func line(_ bytes: ArraySlice<UInt8>) {
    split(bytes)
    if !sawHeader {
      sawHeader = true
      legacyHeader = fields.map { String(decoding: $0, as: UTF8.self) }
      for (position, name) in legacyHeader.enumerated() { index[name] = position }
      writeHeader()
      return
    }
    switch format {
    case .cur2: writeCUR2()
    case .azure: writeAzure()
    case .legacy: break
    }
    linesWritten += 1
  }

  /// Splits a CSV line into unquoted fields.
  private mutating func split(_ bytes: ArraySlice<UInt8>) {
    fields.removeAll(keepingCapacity: true)
    var field: [UInt8] = []
    var quoted = false
    var position = bytes.startIndex
    while position < bytes.endIndex {
      let byte = bytes[position]
      if quoted {
        if byte == UInt8(ascii: "\"") {
          let next = bytes.index(after: position)
          if next < bytes.endIndex && bytes[next] == UInt8(ascii: "\"") {
            field.append(byte)
            position = next
          } else {
            quoted = false
          }
        } else {
          field.append(byte)
        }
      } else if byte == UInt8(ascii: "\"") {
        quoted = true
      } else if byte == UInt8(ascii: ",") {
        fields.append(field)
        field.removeAll(keepingCapacity: true)
      } else {
        field.append(byte)
      }
      position = bytes.index(after: position)
    }
    fields.append(field)
  }

  private func text(_ name: String) -> String {
    guard let column = index[name], column < fields.count else { return "" }
    return String(decoding: fields[column], as: UTF8.self)
  }

  // MARK: - CUR 2.0

  /// CUR 2.0's promoted product columns (AWS Data Exports table dictionary).
  private static let promotedProduct: Set<String> = [
    "product_comment", "product_fee_code", "product_fee_description", "product_from_location",
    "product_from_location_type", "product_from_region_code", "product_instance_family",
    "product_instance_type", "product_instancesku", "product_location", "product_location_type",
    "product_operation", "product_pricing_unit", "product_product_family", "product_region_code",
    "product_servicecode", "product_sku", "product_to_location", "product_to_location_type",
    "product_to_region_code", "product_usagetype",
  ]

  private mutating func writeHeader() {
    switch format {
    case .cur2:
      var names: [String] = []
      for (column, name) in legacyHeader.enumerated() {
        if name.hasPrefix("resourceTags/") {
          cur2Tags.append((snake(String(name.dropFirst("resourceTags/".count))), column))
        } else if name.hasPrefix("costCategory/") {
          cur2CostCategories.append((String(name.dropFirst("costCategory/".count)), column))
        } else if name.hasPrefix("product/")
          && !BenchRewriter.promotedProduct.contains(snake(name))
        {
          cur2Product.append((snake(String(name.dropFirst("product/".count))), column))
        } else {
          cur2Columns.append(column)
          names.append(snake(name))
        }
      }
      names += [
        "resource_tags", "product", "cost_category", "discount", "bill_payer_account_name",
        "line_item_usage_account_name",
      ]
      columnCount = names.count
      out.row(names)
    case .azure:
      for (column, name) in legacyHeader.enumerated() where name.hasPrefix("resourceTags/user:") {
        azureTags.append((String(name.dropFirst("resourceTags/user:".count)), column))
      }
      columnCount = BenchRewriter.azureColumns.count
      out.row(BenchRewriter.azureColumns)
    case .legacy:
      break
    }
  }

  private mutating func writeCUR2() {
    for column in cur2Columns {
      let raw = column < fields.count ? fields[column] : []
      let needsQuotes = raw.contains {
        $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
      }
      if needsQuotes || raw.first == UInt8(ascii: " ") || raw.last == UInt8(ascii: " ") {
        out.field(String(decoding: raw, as: UTF8.self))
      } else {
        out.rawField(raw)
      }
    }
    out.field(jsonMap(cur2Tags))
    out.field(jsonMap(cur2Product))
    out.field(jsonMap(cur2CostCategories))
    out.field("{}")
    out.field("Bench Payer")
    out.field("Bench Account \(text("lineItem/UsageAccountId").suffix(4))")
    out.endRow()
  }

  private func jsonMap(_ columns: [(key: String, column: Int)]) -> String {
    var json = "{"
    for (key, column) in columns where column < fields.count && !fields[column].isEmpty {
      if json.count > 1 { json += "," }
      json += "\"\(escaped(key))\":\"\(escaped(String(decoding: fields[column], as: UTF8.self)))\""
    }
    return json + "}"
  }

  // MARK: - Azure

  static let azureColumns = [
    "BillingAccountId", "BillingAccountName", "BillingPeriodStartDate", "BillingPeriodEndDate",
    "BillingProfileId", "BillingProfileName", "AccountOwnerId", "AccountName", "SubscriptionId",
    "SubscriptionName", "Date", "Product", "PartNumber", "MeterId", "ServiceFamily",
    "MeterCategory", "MeterSubCategory", "MeterRegion", "MeterName", "Quantity",
    "EffectivePrice", "Cost", "UnitPrice", "BillingCurrency", "ResourceLocation",
    "AvailabilityZone", "ConsumedService", "ResourceId", "ResourceName", "ServiceInfo1",
    "ServiceInfo2", "AdditionalInfo", "Tags", "InvoiceSectionId", "InvoiceSection",
    "CostCenter", "UnitOfMeasure", "ResourceGroup", "ReservationId", "ReservationName",
    "ProductOrderId", "ProductOrderName", "OfferId", "IsAzureCreditEligible", "Term",
    "PublisherName", "PlanName", "ChargeType", "Frequency", "PublisherType", "PayGPrice",
    "PricingModel", "CostAllocationRuleName", "benefitId", "benefitName",
  ]

  private mutating func writeAzure() {
    let type = text("lineItem/LineItemType")
    var cost = text("lineItem/UnblendedCost")
    var chargeType = "Usage"
    var pricingModel = "OnDemand"
    var frequency = "UsageBased"
    let reservation = text("reservation/ReservationARN")
    let plan = text("savingsPlan/SavingsPlanARN")
    switch type {
    case "Tax": chargeType = "Tax"
    case "Fee", "RIFee":
      chargeType = "Purchase"
      frequency = type == "RIFee" ? "Recurring" : "OneTime"
      if !reservation.isEmpty { pricingModel = "Reservation" }
    case "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee":
      chargeType = "Purchase"
      frequency = type == "SavingsPlanRecurringFee" ? "Recurring" : "OneTime"
      pricingModel = "SavingsPlan"
    case "Credit", "Refund": chargeType = "Refund"
    case "DiscountedUsage":
      pricingModel = "Reservation"
      cost = "0"
    case "SavingsPlanCoveredUsage":
      pricingModel = "SavingsPlan"
      cost = "0"
    default: break
    }
    azureCostTotal += BenchRewriter.nanos(cost)
    let account = text("lineItem/UsageAccountId")
    let resource = text("lineItem/ResourceId")
    let armID =
      resource.isEmpty
      ? ""
      : "/subscriptions/\(account)/resourceGroups/rg-\(resource.utf8.count % 7)"
        + "/providers/Microsoft.Compute/virtualMachines/\(resource)"
    var tags = ""
    for (key, column) in azureTags where column < fields.count && !fields[column].isEmpty {
      if !tags.isEmpty { tags += "," }
      tags += "\"\(escaped(key))\": \"\(escaped(String(decoding: fields[column], as: UTF8.self)))\""
    }
    let values: [String] = [
      text("bill/PayerAccountId"), "Bench Enrollment", usDate(text("bill/BillingPeriodStartDate")),
      usLastDay(text("bill/BillingPeriodStartDate")), text("bill/PayerAccountId"),
      "Bench Enrollment", "owner@example.com", "Bench", account, "Bench \(account.suffix(4))",
      usDate(text("lineItem/UsageStartDate")), text("product/ProductName"), "",
      text("product/sku"), text("product/productFamily"), text("product/ProductName"), "",
      text("product/regionCode"), text("lineItem/UsageType"), text("lineItem/UsageAmount"), "",
      cost, "", "USD", text("product/regionCode"), "", text("lineItem/ProductCode"), armID,
      resource, "", "", "", tags, "", "", "", "1 Hour", armID.isEmpty ? "" : "rg", "", "", "",
      "", "MS-AZR-0017P", "True", "", "Microsoft", "", chargeType, frequency, "Azure", "",
      pricingModel, "", plan.isEmpty ? reservation : plan, "",
    ]
    out.row(values)
  }

  /// `2026-10-01T00:00:00Z` → `10/01/2026`.
  private func usDate(_ iso: String) -> String {
    let utf8 = Array(iso.utf8)
    guard utf8.count >= 10 else { return iso }
    let year = String(decoding: utf8[0..<4], as: UTF8.self)
    let month = String(decoding: utf8[5..<7], as: UTF8.self)
    let day = String(decoding: utf8[8..<10], as: UTF8.self)
    return "\(month)/\(day)/\(year)"
  }

  /// The last day of the month of an ISO date, `MM/DD/YYYY` (Azure's inclusive end).
  private func usLastDay(_ iso: String) -> String {
    let utf8 = Array(iso.utf8)
    guard utf8.count >= 7, let year = Int(String(decoding: utf8[0..<4], as: UTF8.self)),
      let month = Int(String(decoding: utf8[5..<7], as: UTF8.self))
    else { return iso }
    let days = [
      31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31,
      30, 31, 30, 31,
    ]
    let padded = month < 10 ? "0\(month)" : "\(month)"
    return "\(padded)/\(days[month - 1])/\(year)"
  }

  // MARK: - Text

  /// `lineItem/UnblendedCost` → `line_item_unblended_cost`, `user:team` → `user_team`: every
  /// upper-case letter starts a word, `/` and `:` separate words.
  private func snake(_ name: String) -> String {
    var out = ""
    for character in name {
      if character.isUppercase {
        if !out.isEmpty && !out.hasSuffix("_") { out += "_" }
        out += character.lowercased()
      } else if character == "/" || character == ":" || character == " " || character == "-" {
        if !out.hasSuffix("_") { out += "_" }
      } else {
        out.append(character)
      }
    }
    return out
  }

  private func escaped(_ text: String) -> String {
    guard text.contains(where: { $0 == "\"" || $0 == "\\" }) else { return text }
    var out = ""
    for character in text {
      if character == "\"" || character == "\\" { out.append("\\") }
      out.append(character)
    }
    return out
  }

  /// A cost as the bench writes it (plain or scientific, at most nine places) in nanos.
  static func nanos(_ text: String) -> Int64 {
    var negative = false
    var digits: Int64 = 0
    var scale = 0
    var exponent = 0
    var seenPoint = false
    var utf8 = Array(text.utf8)[...]
    if utf8.first == UInt8(ascii: "-") {
      negative = true
      utf8 = utf8.dropFirst()
    }
    while let byte = utf8.first {
      if byte >= 0x30 && byte <= 0x39 {
        digits = digits * 10 + Int64(byte - 0x30)
        if seenPoint { scale += 1 }
      } else if byte == UInt8(ascii: ".") {
        seenPoint = true
      } else if byte | 0x20 == UInt8(ascii: "e") {
        exponent = Int(String(decoding: utf8.dropFirst(), as: UTF8.self)) ?? 0
        break
      }
      utf8 = utf8.dropFirst()
    }
    var power = 9 - scale + exponent
    var value = digits
    while power > 0 {
      value *= 10
      power -= 1
    }
    while power < 0 {
      value /= 10
      power += 1
    }
    return negative ? -value : value
  }
}
