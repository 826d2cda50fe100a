/// The hand-written estate behind the committed sample CUR months: five accounts, about
/// twenty instances, their volumes, databases, buckets, functions, logs and transfer, with
/// the tag variants the policy stage has to cope with.
enum SampleCatalog {
  static let september = BillingMonth(year: 2026, month: 9)
  static let october = BillingMonth(year: 2026, month: 10)

  // Account indexes into `Catalog.accounts`.
  static let platform = 0
  static let payments = 1
  static let search = 2
  static let data = 3
  static let ml = 4

  static func make(seed: UInt64) -> Catalog {
    var catalog = Catalog()
    var random = SplitMix64(seed: seed, stream: 0xCA7A)
    let east = Region.usEast1
    let west = Region.euWest1
    let terraform = "AssumedRole:AROA3EXAMPLE7TERRAFORM:terraform-ci"
    let console = "IAMUser:AIDA3EXAMPLE2ALICE:alice"

    func tags(
      team: String = "", capitalTeam: String = "", costCenter: String = "", env: String = "",
      createdBy: String = ""
    ) -> TagSet {
      TagSet(
        team: team, capitalTeam: capitalTeam, costCenter: costCenter, env: env,
        createdBy: createdBy)
    }

    func instanceId() -> String { "i-0" + random.hex(count: 16) }

    @discardableResult
    func instance(
      _ account: Int, _ type: String, _ region: Region, windows: Bool = false,
      _ schedule: Schedule, _ tagSet: TagSet, volumeGB: Int64 = 0,
      volumeTags: TagSet? = nil
    ) -> Int {
      let product = catalog.instance(type, region, windows: windows)
      let zone = random.pick(region.zones)
      let index = catalog.add(
        Resource(
          kind: .instance, id: instanceId(), account: account, region: region, zone: zone,
          products: [product], tags: catalog.tagSet(tagSet), schedule: schedule))
      if volumeGB > 0 {
        catalog.add(
          Resource(
            kind: .volume, id: "vol-0" + random.hex(count: 16), account: account,
            region: region, zone: zone, products: [catalog.volume(region)],
            tags: catalog.tagSet(volumeTags ?? tagSet), size: volumeGB, attachedTo: index))
      }
      return index
    }

    // payments: mostly `team=payments`, with the variants a real estate accumulates.
    let paymentsProd = tags(
      team: "payments", costCenter: "CC-1001", env: "prod", createdBy: terraform)
    let paymentsApi = instance(payments, "m5.xlarge", east, .always, paymentsProd)
    instance(
      payments, "m5.xlarge", east, .always, paymentsProd, volumeGB: 200, volumeTags: .untagged)
    instance(
      payments, "m5.xlarge", east,
      .always, tags(capitalTeam: "Payments", costCenter: "CC-1001", env: "prod", createdBy: console)
    )
    instance(
      payments, "m5.large", east, .always, tags(team: "pay", costCenter: "CC-1001", env: "prd"))
    instance(
      payments, "m5.large", east, windows: true, .launched(october, day: 8, hour: 7),
      tags(team: "Paymnts", costCenter: "cc1001", env: "prod"), volumeGB: 120)
    instance(
      payments, "c5.xlarge", east, .businessHours,
      tags(team: "payments", costCenter: "CC-1001", env: "staging"))
    instance(
      payments, "c5.xlarge", east, .launched(october, day: 6, hour: 14),
      tags(team: "payments", costCenter: "CC-1001", env: "prod", createdBy: terraform))

    // search
    let searchProd = tags(team: "search", costCenter: "CC-2002", env: "prod")
    let searchNode = instance(search, "r5.xlarge", east, .always, searchProd, volumeGB: 500)
    instance(
      search, "r5.xlarge", east, .always, tags(team: " search", costCenter: "CC-2002", env: "prod"))
    instance(
      search, "r5.large", west, .launched(october, day: 2, hour: 10),
      tags(capitalTeam: "search", costCenter: "CC-2002", env: "prod"))
    instance(
      search, "m5.xlarge", east, .weekdays,
      tags(team: "search", capitalTeam: "Search", costCenter: "CC-2002", env: "prod"))
    instance(search, "m5.xlarge", east, .weekdays, .untagged)
    instance(search, "c5.2xlarge", west, .always, searchProd)

    // data
    let dataProd = tags(team: "data-eng", costCenter: "CC-3003", env: "prod", createdBy: terraform)
    let dataWorker = instance(data, "c5.2xlarge", west, .weekdays, dataProd)
    instance(data, "c5.2xlarge", west, .batch, tags(team: "data-eng", env: "prd"))
    instance(
      data, "m5.2xlarge", east, .launched(october, day: 12, hour: 15),
      tags(capitalTeam: "data", costCenter: "CC-33", env: "prod"),
      volumeGB: 1000)
    instance(
      data, "r5.large", east, .launched(september, day: 12, hour: 9),
      tags(team: "data-eng", capitalTeam: "ml", env: "staging"))

    // ml
    instance(
      ml, "m5.2xlarge", east, .batch, tags(team: "ml", costCenter: "CC-4004", env: "staging"))
    instance(
      ml, "c5.xlarge", east, .launched(october, day: 5, hour: 8),
      tags(capitalTeam: "ML", env: "prod"))
    instance(
      ml, "r5.2xlarge", east, .launched(october, day: 20, hour: 0),
      tags(team: "ml", costCenter: "CC-4004", env: "prod"), volumeGB: 250)

    // platform (the payer account): shared services, partly untagged.
    instance(
      platform, "m5.large", east,
      .always, tags(team: "platform", costCenter: "CC-0001", env: "prod", createdBy: terraform))
    instance(
      platform, "c5.large", east, windows: true,
      .always, tags(team: "platform", costCenter: "CC-0001", env: "prod"), volumeGB: 80)
    instance(platform, "m5.large", east, .terminated(september, day: 19, hour: 17), .untagged)
    let platformProxy = instance(
      platform, "m5.large", west, .launched(october, day: 1, hour: 0), .untagged)

    // Databases: instance hours plus storage.
    func database(
      _ account: Int, _ name: String, _ instanceClass: String, _ region: Region,
      storageGB: Int64, _ tagSet: TagSet
    ) {
      catalog.add(
        Resource(
          kind: .database,
          id: "arn:aws:rds:\(region.code):\(catalog.accounts[account].id):db:\(name)",
          account: account, region: region, zone: random.pick(region.zones),
          products: [catalog.database(instanceClass, region), catalog.databaseStorage(region)],
          tags: catalog.tagSet(tagSet), size: storageGB))
    }
    database(payments, "payments-ledger-prod", "db.r5.large", east, storageGB: 400, paymentsProd)
    database(
      search, "search-catalog", "db.m5.large", west, storageGB: 150,
      tags(capitalTeam: "Search", costCenter: "CC-2002", env: "prod"))

    // Buckets: storage, PUT and GET requests.
    func bucket(
      _ account: Int, _ name: String, _ region: Region, gigabytes: Int64, _ tagSet: TagSet,
      _ schedule: Schedule = .always
    ) {
      catalog.add(
        Resource(
          kind: .bucket, id: name, account: account, region: region, zone: "",
          products: catalog.bucketProducts(region), tags: catalog.tagSet(tagSet),
          schedule: schedule, size: gigabytes))
    }
    bucket(payments, "payments-receipts-prod", east, gigabytes: 1_800, paymentsProd)
    bucket(data, "data-lake-raw-eu", west, gigabytes: 12_000, dataProd)
    bucket(
      ml, "ml-training-sets", east, gigabytes: 4_500, tags(team: "ml", env: "prod"),
      .launched(october, day: 1, hour: 0))
    bucket(platform, "org-cloudtrail-logs", east, gigabytes: 900, .untagged)

    // Functions: GB-seconds and requests.
    func function(
      _ account: Int, _ name: String, _ region: Region, memoryMB: Int64, _ tagSet: TagSet,
      _ schedule: Schedule = .always
    ) {
      catalog.add(
        Resource(
          kind: .function,
          id: "arn:aws:lambda:\(region.code):\(catalog.accounts[account].id):function:\(name)",
          account: account, region: region, zone: "", products: catalog.functionProducts(region),
          tags: catalog.tagSet(tagSet), schedule: schedule, size: memoryMB))
    }
    function(search, "search-indexer", east, memoryMB: 1_024, searchProd)
    function(
      payments, "payments-webhooks", east, memoryMB: 512, tags(team: "Payments", env: "prod"),
      .launched(october, day: 3, hour: 11))

    // Logs and metrics.
    let logs = catalog.monitoringProducts(east)
    catalog.add(
      Resource(
        kind: .logGroup,
        id: "arn:aws:logs:us-east-1:\(catalog.accounts[data].id):log-group:/aws/etl/nightly",
        account: data, region: east, zone: "", products: [logs[1]],
        tags: catalog.tagSet(tags(team: "data-eng", env: "prod")), size: 6))
    catalog.add(
      Resource(
        kind: .metrics, id: "", account: platform, region: east, zone: "", products: [logs[0]],
        tags: 0, size: 400))

    // Data transfer, attributed to instances (tiny amounts end up in E-notation).
    func transfer(_ account: Int, _ product: Int, _ source: Int, megabytesPerDay: Int64) {
      let resource = catalog.resources[source]
      catalog.add(
        Resource(
          kind: .transfer, id: resource.id, account: account, region: resource.region, zone: "",
          products: [product], tags: resource.tags, size: megabytesPerDay))
    }
    let eastTransfer = catalog.transferProducts(east)
    let westTransfer = catalog.transferProducts(west)
    transfer(payments, eastTransfer[0], paymentsApi, megabytesPerDay: 40_000)
    transfer(search, eastTransfer[1], searchNode, megabytesPerDay: 9_000)
    transfer(data, westTransfer[2], dataWorker, megabytesPerDay: 25_000)
    transfer(platform, westTransfer[0], platformProxy, megabytesPerDay: 0)
    return catalog
  }
}
