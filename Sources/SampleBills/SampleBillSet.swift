/// The committed sample bills: two legacy CUR months and a FOCUS month, with a manifest and a
/// README, as `tally-dev sample-bills DIR` writes them.
///
/// ```
/// README.md
/// aws-cur-2026-09.csv                                          CUR, September, plain CSV
/// aws-cur/tally-cur/20261001-20261101/tally-cur-Manifest.json  CUR manifest, October
/// aws-cur/tally-cur/20261001-20261101/<assemblyId>/tally-cur-1.csv.gz
/// focus-azure-2026-10.csv                                      FOCUS 1.2, October, EUR
/// ```
///
/// The folder is laid out like a local copy of the billing bucket: the manifest's
/// `reportKeys` are paths relative to the folder. Every byte is a function of the seed.
public struct SampleBillSet: Sendable {
  /// The seed of the committed files.
  public static let defaultSeed: UInt64 = 20_260_901

  /// One generated file.
  public struct File: Sendable {
    /// The path relative to the output folder, with `/` separators.
    public var path: String
    /// The contents.
    public var bytes: [UInt8]
  }

  /// The seed every file derives from.
  public var seed: UInt64

  /// Creates the set for `seed`.
  public init(seed: UInt64 = SampleBillSet.defaultSeed) {
    self.seed = seed
  }

  /// The CUR report name in paths and the manifest.
  public static let reportName = "tally-cur"
  /// The first (plain CSV) CUR month.
  public static let firstMonth = BillingMonth(year: 2026, month: 9)
  /// The second (gzip, with manifest) CUR month, also the FOCUS month.
  public static let secondMonth = BillingMonth(year: 2026, month: 10)

  /// The September CUR file's path.
  public static let septemberPath = "aws-cur-2026-09.csv"
  /// The FOCUS file's path.
  public static let focusPath = "focus-azure-2026-10.csv"

  /// Generates every file, in a fixed order.
  public func files() -> [File] {
    let september = LegacyCURMonth(month: Self.firstMonth, seed: seed).generate()
    let october = LegacyCURMonth(month: Self.secondMonth, seed: seed, lineEnding: "\r\n").generate()
    let focus = FOCUSMonth(month: Self.secondMonth, seed: seed).generate()
    let manifest = CURManifest(
      month: Self.secondMonth, seed: seed, reportName: Self.reportName,
      columns: october.columns)
    let compressed = Gzip.compress(october.bytes)
    let readme = readmeText(
      september: september, october: october, compressedSize: compressed.count, focus: focus,
      manifest: manifest)
    return [
      File(path: "README.md", bytes: Array(readme.utf8)),
      File(path: Self.septemberPath, bytes: september.bytes),
      File(path: manifest.manifestPath, bytes: Array(manifest.json.utf8)),
      File(path: manifest.reportKey, bytes: compressed),
      File(path: Self.focusPath, bytes: focus.bytes),
    ]
  }

  // swiftlint:disable:next function_body_length
  private func readmeText(
    september: GeneratedBill, october: GeneratedBill, compressedSize: Int, focus: GeneratedBill,
    manifest: CURManifest
  ) -> String {
    func money(_ nanos: Int64) -> String { DecimalText.plain(nanos, minimumFractionDigits: 2) }
    func kilobytes(_ count: Int) -> String { "\((count + 512) / 1_024) KiB" }
    return """
      # Sample bills

      Small, realistic billing exports that `tally demo` and the tests run on. **Do not edit
      them by hand**: they are generated, and a test fails when they differ from what the
      generator writes. To regenerate (after changing the generator, `Sources/SampleBills/`):

      ```
      make sample-bills          # = swift build -c release && .build/release/tally-dev sample-bills sample-bills
      ```

      Seed: `\(seed)` (`tally-dev sample-bills DIR --seed N` writes another, equally valid set).
      Every byte is a function of the seed: the generator has its own PRNG (SplitMix64), its own
      decimal formatting of integer nano-amounts and its own gzip encoder, and reads no clock.

      | file | what | rows | size |
      | --- | --- | --- | --- |
      | `\(Self.septemberPath)` | AWS legacy CUR, September 2026, daily lines, plain CSV (LF) | \(september.lineCount) | \(kilobytes(september.bytes.count)) |
      | `\(manifest.manifestPath)` | CUR manifest for October 2026 (layout of the CUR/nise manifest; `reportKeys` are relative to this folder) | | |
      | `\(manifest.reportKey)` | AWS legacy CUR, October 2026, daily lines, gzip, CRLF line ends | \(october.lineCount) | \(kilobytes(compressedSize)) (\(kilobytes(october.bytes.count)) unpacked) |
      | `\(Self.focusPath)` | FOCUS 1.2 Cost and Usage, Azure-style (Microsoft Customer Agreement), October 2026, EUR, daily rows | \(focus.lineCount) | \(kilobytes(focus.bytes.count)) |

      ## AWS CUR months

      \(september.columns.count) `category/Name` columns, as the real legacy CUR samples in
      `shared/samples/aws-cur-legacy-csv/`. Payer `111122223333` (shared platform); usage
      accounts `111100000001` payments, `111100000002` search, `111100000003` data,
      `111100000004` ml. EC2 (m5, c5, r5; Linux and Windows), RDS, S3, Lambda, CloudWatch
      and data transfer in us-east-1 and eu-west-1. The estate grows in October (new
      instances, a bucket, a function), so the two months differ in lines and totals.

      Every `lineItem/LineItemType` appears in each month: Usage, DiscountedUsage, RIFee, Fee
      (a reservation's upfront payment, and the AWS Support (Business) plan with product code
      `AWSSupportBusiness`), SavingsPlanCoveredUsage, SavingsPlanNegation,
      SavingsPlanRecurringFee, SavingsPlanUpfrontFee, Tax, Credit, Refund, EdpDiscount.
      Upfront payments are on a separate invoice (`bill/BillType` Purchase), the refund too
      (Refund).

      Commitments, applied hour by hour (reservations first, then the EC2 Instance Savings
      Plan, then the Compute Savings Plan; a line is covered whole or not at all):

      - a 1-year No Upfront reservation of 4 × m5.xlarge Linux in us-east-1;
      - a Partial Upfront reservation of 2 × c5.2xlarge Linux in eu-west-1 whose term is the
        billing month (`pricing/LeaseContractLength` = `1mo`, not an AWS offering: it makes
        the upfront fee amortise entirely inside the bill that charges it);
      - a 1-year No Upfront Compute Savings Plan, $0.40 an hour;
      - a Partial Upfront EC2 Instance Savings Plan (m5, us-east-1), $0.10 + $0.10 amortised
        an hour, also with a one-month term (`savingsPlan/PurchaseTerm` = `1mo`).

      Tags: `resourceTags/user:team` and `resourceTags/user:Team` are two columns, with values
      such as `payments`, `Payments`, `pay`, ` search` (leading space), `Paymnts` (typo), `ml`,
      `ML`, `data-eng`, `data`, and a few resources carry both keys, once with conflicting
      values; `resourceTags/user:cost-center` (`CC-1001`, and invalid `cc1001`, `CC-33`),
      `resourceTags/user:env` (`prod`, `prd`, `staging`), `resourceTags/aws:createdBy`. Some
      resources have no tags at all (and some volumes lack their instance's tags).

      Amounts: costs with ten decimals (`0.5333333330`, the tenth always 0), costs below 10⁻⁴
      in Java notation (`1.2E-7`), zero as `0.0`, quantities as `24.0`. All are exact in
      nanos (10⁻⁹).

      ## FOCUS month

      The 57 columns of `shared/samples/focus-1.2-1.3-generated/focus_1_2_cost_and_usage_azure.csv`.
      Five subscriptions; virtual machines, a storage account and a SQL database in West
      Europe; a reservation of 2 × D4s v5 paid monthly: one `Purchase` row (billed, effective
      0), daily `Used` rows on the covered VMs and `Unused` rows on weekends (billed 0,
      effective = the amortised share); a `Credit`; `Tax` (VAT) per subscription. Team tags in
      the `Tags` JSON with variants (`team`, `Team`, `" team"`, `Search`); one database is
      untagged; one VM's resource id is written with its resource group in upper case on even
      days (Azure ids compare case-insensitively).

      ## Invariants (checked by `Tests/TallyEndToEndTests/SampleBillsTests.swift`)

      - AWS, per month, with the amortised cost of `shared/reference/formats.md` §2.5:
        Σ effective = Σ billed exactly. Per Savings Plan and day, Σ SavingsPlanEffectiveCost of
        its covered lines = UsedCommitment ≤ TotalCommitmentToDate, and each negation line is
        minus its covered line; per reservation, the RIFee bills every reserved hour, its
        Unused… fields are the unused share, the DiscountedUsage lines' EffectiveCost add up
        to the used share, and an upfront Fee equals the month's
        AmortizedUpfrontFeeForBillingPeriod.
      - FOCUS: Σ EffectiveCost = Σ BilledCost; ListCost ≥ ContractedCost ≥ EffectiveCost on
        usage rows.
      - The committed files are byte-identical to the generator's output for the seed above.

      | file | currency | Σ billed = Σ effective |
      | --- | --- | --- |
      | `\(Self.septemberPath)` | USD | \(money(september.billedTotal)) |
      | `\(manifest.reportKey)` | USD | \(money(october.billedTotal)) |
      | `\(Self.focusPath)` | EUR | \(money(focus.billedTotal)) |

      """
  }
}

/// A legacy CUR manifest (`<report>-Manifest.json`) in the layout AWS and nise write.
public struct CURManifest: Sendable {
  /// The billing month.
  public var month: BillingMonth
  /// The report name.
  public var reportName: String
  /// `category/Name` column headers of the report.
  public var columns: [String]
  /// The assembly id (a UUID derived from the seed).
  public var assemblyId: String
  /// The report id (64 hexadecimal digits derived from the seed).
  public var reportId: String

  /// Creates the manifest of `month`'s report.
  public init(month: BillingMonth, seed: UInt64, reportName: String, columns: [String]) {
    self.month = month
    self.reportName = reportName
    self.columns = columns
    var random = SplitMix64(seed: seed, stream: 0x3A_0000 ^ UInt64(month.year * 100 + month.month))
    assemblyId =
      "\(random.hex(count: 8))-\(random.hex(count: 4))-4\(random.hex(count: 3))-8\(random.hex(count: 3))-\(random.hex(count: 12))"
    reportId = random.hex(count: 64)
  }

  /// `aws-cur/<report>/<yyyymmdd>-<yyyymmdd>`: the period folder.
  public var periodFolder: String {
    "aws-cur/\(reportName)/\(month.compactStart)-\(month.next.compactStart)"
  }

  /// The manifest's path.
  public var manifestPath: String { "\(periodFolder)/\(reportName)-Manifest.json" }

  /// The report file's key (its path relative to the bucket root, i.e. the sample folder).
  public var reportKey: String { "\(periodFolder)/\(assemblyId)/\(reportName)-1.csv.gz" }

  /// The manifest's JSON text.
  public var json: String {
    let columnObjects = columns.map { header -> String in
      let parts = header.split(separator: "/", maxSplits: 1).map(String.init)
      let category = jsonString(parts[0])
      let name = jsonString(parts.count > 1 ? parts[1] : "")
      return "{\n        \"category\": \(category),\n        \"name\": \(name)\n    }"
    }
    return """
      {
          "assemblyId": \(jsonString(assemblyId)),
          "account": "111122223333",
          "columns": [\(columnObjects.joined(separator: ", "))],
          "charset": "UTF-8",
          "compression": "GZIP",
          "contentType": "text/csv",
          "reportId": \(jsonString(reportId)),
          "reportName": \(jsonString(reportName)),
          "billingPeriod": {
              "start": \(jsonString(month.manifestStart)),
              "end": \(jsonString(month.next.manifestStart))
          },
          "bucket": "tally-example-billing",
          "reportKeys": [\(jsonString(reportKey))]
      }

      """
  }
}

private func jsonString(_ value: String) -> String {
  var result = "\""
  for scalar in value.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    default:
      if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
  }
  return result + "\""
}
