// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode comes with the tools version.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "tally",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "tally", targets: ["tally"]),
    .library(name: "TallyKit", targets: ["TallyKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
  ],
  targets: [
    // C libraries from the system (scripts/install-deps.sh installs the Debian packages).
    .systemLibrary(
      name: "CSQLite", pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"]), .yum(["sqlite-devel"]), .brew(["sqlite"])]),
    .systemLibrary(  // Debian ships no csv.pc, so no pkgConfig.
      name: "CCSV", providers: [.apt(["libcsv-dev"]), .yum(["libcsv-devel"])]),
    .systemLibrary(
      name: "CZlib", providers: [.apt(["zlib1g-dev"]), .yum(["zlib-devel"])]),
    // Linux calls that need _GNU_SOURCE (renameat2 for atomic report publishing).
    .systemLibrary(name: "CPlatform"),

    // Every stage: ingest → store → policy → allocation → commitments → reports.
    .target(
      name: "TallyKit",
      dependencies: [
        "CSQLite", "CCSV", "CZlib", "CPlatform",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "Mustache", package: "swift-mustache"),
      ],
      swiftSettings: swiftSettings),

    // The command line: argument parsing, printing and exit codes, nothing else.
    .executableTarget(
      name: "tally",
      dependencies: [
        "TallyKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings),

    // Developer tools: the deterministic sample-bill generator and the import benchmark.
    .target(name: "SampleBills", swiftSettings: swiftSettings),
    .executableTarget(
      name: "tally-dev",
      dependencies: [
        "SampleBills", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings),

    .testTarget(
      name: "TallyKitTests", dependencies: ["TallyKit"], exclude: ["Snapshots"],
      resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
    .testTarget(
      name: "TallyEndToEndTests", dependencies: ["tally", "tally-dev", "TallyKit", "SampleBills"],
      resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
  ]
)
