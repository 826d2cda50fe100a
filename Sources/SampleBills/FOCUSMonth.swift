/// One month of a FOCUS 1.2 Cost and Usage export from an Azure-style provider (Microsoft
/// Customer Agreement, billed in EUR), daily rows, with the 57 columns of the FOCUS 1.2
/// generated Azure sample (`focus_1_2_cost_and_usage_azure.csv`).
///
/// What it contains: virtual machines, a storage account and a SQL database in five
/// subscriptions; a two-instance VM reservation bought with monthly payments (one
/// `Purchase` row, daily `Used` rows on the covered VMs and `Unused` rows when fewer than
/// two VMs ran); a credit; VAT per subscription. Team tags are in the `Tags` JSON with key
/// and value variants (`team`, `Team`, `" team"`, `Search`), one resource is untagged, and
/// one VM's resource id changes case between days, as Azure ids do.
///
/// What the generator guarantees, in integer nanos (10⁻⁹ EUR) and so exactly:
/// - **Σ EffectiveCost = Σ BilledCost** over the month: usage, credit and tax rows have
///   `EffectiveCost = BilledCost`; the purchase row bills the reservation for all its hours
///   with `EffectiveCost = 0`, and the `Used` and `Unused` rows (billed 0) carry the same
///   total as effective cost, hour by hour.
/// - On usage rows, `ListCost ≥ ContractedCost ≥ EffectiveCost`.
public struct FOCUSMonth: Sendable {
  /// The billing month.
  public var month: BillingMonth
  /// The seed every random choice derives from.
  public var seed: UInt64

  /// Creates a generator for `month`.
  public init(month: BillingMonth, seed: UInt64) {
    self.month = month
    self.seed = seed
  }

  /// The header of a FOCUS 1.2 Cost and Usage file, in the order of the Azure sample.
  public static let columns = [
    "ProviderName", "PublisherName", "InvoiceIssuerName", "InvoiceId", "BillingAccountId",
    "BillingAccountName", "BillingAccountType", "SubAccountId", "SubAccountName",
    "SubAccountType", "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart",
    "ChargePeriodEnd", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency",
    "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ListUnitPrice",
    "ContractedUnitPrice", "PricingCategory", "PricingQuantity", "PricingUnit",
    "PricingCurrency", "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost",
    "PricingCurrencyListUnitPrice", "BillingCurrency", "ConsumedQuantity", "ConsumedUnit",
    "ServiceName", "ServiceCategory", "ServiceSubcategory", "SkuId", "SkuMeter", "SkuPriceId",
    "SkuPriceDetails", "ResourceId", "ResourceName", "ResourceType", "RegionId", "RegionName",
    "AvailabilityZone", "CommitmentDiscountId", "CommitmentDiscountName",
    "CommitmentDiscountCategory", "CommitmentDiscountType", "CommitmentDiscountStatus",
    "CommitmentDiscountQuantity", "CommitmentDiscountUnit", "CapacityReservationId",
    "CapacityReservationStatus", "Tags",
  ]

  /// Generates the month's CSV.
  public func generate() -> GeneratedBill {
    var state = FOCUSState(month: month, seed: seed)
    state.generate()
    precondition(
      state.billedTotal == state.effectiveTotal, "Σ EffectiveCost must equal Σ BilledCost")
    return GeneratedBill(
      bytes: state.csv.bytes, lineCount: state.rows, columns: FOCUSMonth.columns,
      billedTotal: state.billedTotal, effectiveTotal: state.effectiveTotal)
  }
}

/// A subscription of the generated Azure bill.
private struct Subscription {
  var id: String
  var name: String
  var resourceGroup: String
}

/// A metered Azure resource of the generated bill.
private struct AzureResource {
  enum Kind { case virtualMachine, storage, database }
  var kind: Kind
  var subscription: Int
  var name: String
  var tags: String
  /// Runs Monday to Friday only.
  var weekdaysOnly = false
  /// Covered by the reservation (same size).
  var reserved = false
  /// Its resource group is written in upper case on even days.
  var caseDrift = false
  /// Size in GB for storage.
  var size: Int64 = 0
}

private struct FOCUSState {
  let month: BillingMonth
  var random: SplitMix64
  var csv = CSVBuffer(lineEnding: "\n", reservingCapacity: 1 << 18)
  var rows = 0
  var billedTotal: Int64 = 0
  var effectiveTotal: Int64 = 0
  var billedBySubscription: [Int64] = []
  var subscriptions: [Subscription] = []
  var billingAccountId = ""
  var invoiceId = ""
  var reservationId = ""
  let region = "westeurope"
  let regionName = "West Europe"

  // Prices in nanos of EUR.
  let vmList: Int64 = 214_000_000
  let vmContracted: Int64 = 192_600_000
  let vmReserved: Int64 = 128_400_000
  let searchVmList: Int64 = 296_000_000
  let searchVmContracted: Int64 = 266_400_000
  let storageList: Int64 = 19_600_000
  let storageContracted: Int64 = 17_640_000
  let databaseList: Int64 = 490_000_000
  let databaseContracted: Int64 = 441_000_000
  let reservedInstances: Int64 = 2

  init(month: BillingMonth, seed: UInt64) {
    self.month = month
    random = SplitMix64(seed: seed, stream: 0xF0C5 ^ UInt64(month.year * 100 + month.month) << 16)
  }

  mutating func guid() -> String {
    "\(random.hex(count: 8))-\(random.hex(count: 4))-4\(random.hex(count: 3))-9\(random.hex(count: 3))-\(random.hex(count: 12))"
  }

  mutating func generate() {
    billingAccountId = guid()
    invoiceId = "G0\(random.int(in: 10_000_000...99_999_999))"
    subscriptions = [
      Subscription(id: guid(), name: "payments-prod-eu", resourceGroup: "rg-payments"),
      Subscription(id: guid(), name: "search-prod-eu", resourceGroup: "rg-search"),
      Subscription(id: guid(), name: "data-platform-eu", resourceGroup: "rg-data"),
      Subscription(id: guid(), name: "ml-sandbox-eu", resourceGroup: "rg-ml"),
      Subscription(id: guid(), name: "shared-platform-eu", resourceGroup: "rg-shared"),
    ]
    billedBySubscription = Array(repeating: 0, count: subscriptions.count)
    reservationId =
      "/providers/Microsoft.Capacity/reservationOrders/\(guid())/reservations/\(guid())"
    let resources = [
      AzureResource(
        kind: .virtualMachine, subscription: 0, name: "vm-payments-api-01",
        tags: #"{"team":"payments","env":"prod","cost-center":"CC-1001"}"#, reserved: true),
      AzureResource(
        kind: .virtualMachine, subscription: 3, name: "vm-ml-train-01",
        tags: #"{" team":"ml","env":"staging"}"#, weekdaysOnly: true, reserved: true),
      AzureResource(
        kind: .virtualMachine, subscription: 1, name: "vm-search-01",
        tags: #"{"Team":"Search","env":"prd","cost-center":"CC-2002"}"#, caseDrift: true),
      AzureResource(
        kind: .storage, subscription: 2, name: "stdatalakeeu01",
        tags: #"{"team":"data-eng","Team":"data","cost-center":"CC-33"}"#, size: 18_000),
      AzureResource(kind: .database, subscription: 4, name: "sqldb-shared-config", tags: ""),
    ]

    csv.row(FOCUSMonth.columns)
    for day in 1...month.days {
      let start = (day - 1) * 24
      let weekday = month.weekday(ofDay: day)
      var reservedHoursUsed: Int64 = 0
      for resource in resources {
        if resource.weekdaysOnly && weekday >= 5 { continue }
        switch resource.kind {
        case .virtualMachine:
          if resource.reserved {
            reservedHoursUsed += 24
            usedReservationRow(resource, day: day, start: start, hours: 24)
          } else {
            standardRow(
              resource, day: day, start: start, quantity: 24 * DecimalText.nanosPerUnit,
              list: searchVmList, contracted: searchVmContracted)
          }
        case .storage:
          let gigabytes =
            resource.size * DecimalText.nanosPerUnit / 1_000 * (1_000 + Int64(day) * 2)
          standardRow(
            resource, day: day, start: start, quantity: gigabytes / Int64(month.days),
            list: storageList, contracted: storageContracted)
        case .database:
          standardRow(
            resource, day: day, start: start, quantity: 24 * DecimalText.nanosPerUnit,
            list: databaseList, contracted: databaseContracted)
        }
      }
      let unused = reservedInstances * 24 - reservedHoursUsed
      if unused > 0 { unusedReservationRow(start: start, hours: unused) }
    }
    purchaseRow()
    creditRow()
    for subscription in subscriptions.indices where billedBySubscription[subscription] > 0 {
      taxRow(subscription: subscription)
    }
  }

  // MARK: Rows

  private func resourceId(_ resource: AzureResource, day: Int) -> String {
    let subscription = subscriptions[resource.subscription]
    let group =
      resource.caseDrift && day % 2 == 0
      ? subscription.resourceGroup.uppercased() : subscription.resourceGroup
    let provider: String
    switch resource.kind {
    case .virtualMachine: provider = "Microsoft.Compute/virtualMachines"
    case .storage: provider = "Microsoft.Storage/storageAccounts"
    case .database: provider = "Microsoft.Sql/servers/sql-shared-eu/databases"
    }
    return
      "/subscriptions/\(subscription.id)/resourceGroups/\(group)/providers/\(provider)/\(resource.name)"
  }

  private struct Row {
    var subscription: Int
    var chargeStart: Int
    var chargeEnd: Int
    var category = "Usage"
    var chargeClass = ""
    var description: String
    var frequency = "Usage-Based"
    var billed: Int64
    var effective: Int64
    var list: Int64
    var contracted: Int64
    var costDigits = 2
    var listUnitPrice: Int64?
    var contractedUnitPrice: Int64?
    var pricingCategory = "Standard"
    var pricingQuantity: Int64?
    var pricingUnit = ""
    var consumedQuantity: Int64?
    var consumedUnit = ""
    var serviceName: String
    var serviceCategory: String
    var serviceSubcategory: String
    var skuId = ""
    var skuMeter = ""
    var skuPriceDetails = ""
    var resourceId = ""
    var resourceName = ""
    var resourceType = ""
    var regional = true
    var commitmentStatus = ""
    var commitmentQuantity: Int64?
    var tags = ""
  }

  private mutating func write(_ row: Row) {
    let subscription = subscriptions[row.subscription]
    func decimal(_ nanos: Int64?, _ digits: Int) -> String {
      guard let nanos else { return "" }
      return nanos == 0 ? "0" : DecimalText.plain(nanos, minimumFractionDigits: digits)
    }
    let committed = !row.commitmentStatus.isEmpty || row.category == "Purchase"
    let fields: [String] = [
      "Microsoft", "Microsoft", "Microsoft", invoiceId, billingAccountId,
      "Tally Example GmbH", "Microsoft Customer Agreement", subscription.id, subscription.name,
      "Subscription", month.timestamp(hour: 0), month.timestamp(hour: month.hours),
      month.timestamp(hour: row.chargeStart), month.timestamp(hour: row.chargeEnd),
      row.category, row.chargeClass, row.description, row.frequency,
      decimal(row.billed, row.costDigits), decimal(row.effective, row.costDigits),
      decimal(row.list, row.costDigits), decimal(row.contracted, row.costDigits),
      decimal(row.listUnitPrice, 10), decimal(row.contractedUnitPrice, 10), row.pricingCategory,
      decimal(row.pricingQuantity, 0), row.pricingUnit,
      row.listUnitPrice == nil && row.category != "Tax" && row.category != "Credit" ? "" : "EUR",
      decimal(row.contractedUnitPrice, 10), decimal(row.effective, row.costDigits),
      decimal(row.listUnitPrice, 10), "EUR", decimal(row.consumedQuantity, 0), row.consumedUnit,
      row.serviceName, row.serviceCategory, row.serviceSubcategory, row.skuId, row.skuMeter,
      row.skuId.isEmpty ? "" : "\(row.skuId)/\(row.skuMeter.isEmpty ? "0001" : "0002")",
      row.skuPriceDetails, row.resourceId, row.resourceName, row.resourceType,
      row.regional ? region : "", row.regional ? regionName : "", "",
      committed ? reservationId : "", committed ? "VM_RI_\(month)_D4s_v5" : "",
      committed ? "Usage" : "", committed ? "Reservation" : "", row.commitmentStatus,
      decimal(row.commitmentQuantity, 0), committed ? "Hours" : "", "", "", row.tags,
    ]
    csv.row(fields)
    rows += 1
    billedTotal += row.billed
    effectiveTotal += row.effective
    billedBySubscription[row.subscription] += row.billed
  }

  private static let vmDetails =
    #"{"InstanceType":"Standard_D4s_v5","InstanceSeries":"Dsv5","CoreCount":4,"MemorySize":16,"OperatingSystem":"Linux"}"#

  private mutating func usedReservationRow(
    _ resource: AzureResource, day: Int, start: Int, hours: Int64
  ) {
    let quantity = hours * DecimalText.nanosPerUnit
    write(
      Row(
        subscription: resource.subscription, chargeStart: start, chargeEnd: start + 24,
        description: "D4s v5 - West Europe (reservation)", billed: 0,
        effective: hours * vmReserved, list: hours * vmList, contracted: hours * vmContracted,
        costDigits: 14, listUnitPrice: vmList, contractedUnitPrice: vmContracted,
        pricingCategory: "Committed", pricingQuantity: quantity, pricingUnit: "Hours",
        consumedQuantity: quantity, consumedUnit: "Hours", serviceName: "Virtual Machines",
        serviceCategory: "Compute", serviceSubcategory: "Virtual Machines",
        skuId: skuCode("azure/D4s_v5"), skuMeter: "D4s v5", skuPriceDetails: FOCUSState.vmDetails,
        resourceId: resourceId(resource, day: day), resourceName: resource.name,
        resourceType: "Virtual machine", commitmentStatus: "Used", commitmentQuantity: quantity,
        tags: resource.tags))
  }

  private mutating func unusedReservationRow(start: Int, hours: Int64) {
    let quantity = hours * DecimalText.nanosPerUnit
    write(
      Row(
        subscription: 4, chargeStart: start, chargeEnd: start + 24,
        description: "VM_RI_\(month)_D4s_v5 unused reservation hours", billed: 0,
        effective: hours * vmReserved, list: hours * vmList, contracted: hours * vmContracted,
        costDigits: 14, listUnitPrice: vmList, contractedUnitPrice: vmContracted,
        pricingCategory: "Committed", pricingQuantity: quantity, pricingUnit: "Hours",
        consumedQuantity: nil, serviceName: "Virtual Machines", serviceCategory: "Compute",
        serviceSubcategory: "Virtual Machines", skuId: skuCode("azure/D4s_v5"),
        skuMeter: "D4s v5", skuPriceDetails: FOCUSState.vmDetails, resourceId: reservationId,
        resourceName: "VM_RI_\(month)_D4s_v5", resourceType: "Reservation",
        commitmentStatus: "Unused", commitmentQuantity: quantity))
  }

  private mutating func standardRow(
    _ resource: AzureResource, day: Int, start: Int, quantity: Int64, list: Int64,
    contracted: Int64
  ) {
    let listCost = DecimalText.multiply(quantity, by: list)
    let cost = DecimalText.multiply(quantity, by: contracted)
    var row = Row(
      subscription: resource.subscription, chargeStart: start, chargeEnd: start + 24,
      description: "", billed: cost, effective: cost, list: listCost, contracted: cost,
      listUnitPrice: list, contractedUnitPrice: contracted, pricingQuantity: quantity,
      consumedQuantity: quantity, serviceName: "", serviceCategory: "", serviceSubcategory: "",
      resourceId: resourceId(resource, day: day), resourceName: resource.name,
      tags: resource.tags)
    switch resource.kind {
    case .virtualMachine:
      row.description = "E4s v5 - West Europe"
      row.pricingUnit = "Hours"
      row.consumedUnit = "Hours"
      (row.serviceName, row.serviceCategory, row.serviceSubcategory) =
        ("Virtual Machines", "Compute", "Virtual Machines")
      row.skuId = skuCode("azure/E4s_v5")
      row.skuMeter = "E4s v5"
      row.skuPriceDetails =
        #"{"InstanceType":"Standard_E4s_v5","InstanceSeries":"Esv5","CoreCount":4,"MemorySize":32,"OperatingSystem":"Linux"}"#
      row.resourceType = "Virtual machine"
    case .storage:
      row.description = "Hot LRS Data Stored - West Europe"
      row.pricingUnit = "GB-Month"
      row.consumedUnit = "GB-Month"
      row.costDigits = 6
      (row.serviceName, row.serviceCategory, row.serviceSubcategory) =
        ("Storage Accounts", "Storage", "Object Storage")
      row.skuId = skuCode("azure/hot-lrs")
      row.skuMeter = "Hot LRS Data Stored"
      row.skuPriceDetails = #"{"StorageClass":"Hot","Redundancy":"LRS"}"#
      row.resourceType = "Storage account"
    case .database:
      row.description = "General Purpose - Compute Gen5 - 2 vCore"
      row.pricingUnit = "Hours"
      row.consumedUnit = "Hours"
      (row.serviceName, row.serviceCategory, row.serviceSubcategory) =
        ("Azure SQL Database", "Databases", "Relational Databases")
      row.skuId = skuCode("azure/sql-gp-gen5-2")
      row.skuMeter = "vCore"
      row.skuPriceDetails = #"{"CoreCount":2,"x_ServiceTier":"General Purpose"}"#
      row.resourceType = "SQL database"
    }
    write(row)
  }

  private mutating func purchaseRow() {
    let hours = reservedInstances * Int64(month.hours)
    let amount = hours * vmReserved
    write(
      Row(
        subscription: 4, chargeStart: 0, chargeEnd: month.hours, category: "Purchase",
        description: "Reservation purchase: VM_RI_\(month)_D4s_v5 (monthly payment)",
        frequency: "Recurring", billed: amount, effective: 0, list: amount, contracted: amount,
        costDigits: 6, listUnitPrice: vmReserved, contractedUnitPrice: vmReserved,
        pricingQuantity: hours * DecimalText.nanosPerUnit, pricingUnit: "Hours",
        serviceName: "Virtual Machines", serviceCategory: "Compute",
        serviceSubcategory: "Virtual Machines", skuId: skuCode("azure/D4s_v5"),
        skuPriceDetails: #"{"x_Term":"P1Y","x_PaymentOption":"Monthly"}"#,
        resourceId: reservationId, resourceName: "VM_RI_\(month)_D4s_v5",
        resourceType: "Reservation", commitmentQuantity: hours * DecimalText.nanosPerUnit))
  }

  private mutating func creditRow() {
    let amount: Int64 = -50_000_000_000
    write(
      Row(
        subscription: 3, chargeStart: 0, chargeEnd: month.hours, category: "Credit",
        description: "Azure credit: machine learning pilot", frequency: "One-Time",
        billed: amount, effective: amount, list: amount, contracted: amount,
        pricingCategory: "", serviceName: "Virtual Machines", serviceCategory: "Compute",
        serviceSubcategory: "Virtual Machines", regional: false))
  }

  private mutating func taxRow(subscription: Int) {
    let amount = DecimalText.round(
      DecimalText.scale(billedBySubscription[subscription], by: 19, over: 100),
      toMultipleOf: 10_000_000)
    write(
      Row(
        subscription: subscription, chargeStart: 0, chargeEnd: month.hours, category: "Tax",
        description: "VAT 19%", frequency: "One-Time", billed: amount, effective: amount,
        list: amount, contracted: amount, pricingCategory: "", serviceName: "Tax",
        serviceCategory: "Other", serviceSubcategory: "Other", regional: false))
  }
}
