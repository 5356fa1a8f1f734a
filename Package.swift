// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HubSync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hubsync", targets: ["hubsync"]),
        .executable(name: "hubsync-bench", targets: ["hubsync-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Canonical model: contacts, typed ids, normalisation, content hash. No I/O.
        .target(name: "SyncModel"),
        // vCard 3.0/4.0 parse and write.
        .target(name: "PIMFormats", dependencies: ["SyncModel"]),
        // Pure sync decisions: merge, match, filters, mapping, plan, deletion guard.
        .target(name: "SyncCore", dependencies: ["SyncModel"]),
        // The SpokeConnector boundary (HTTP transport joins here with the first network connector).
        .target(name: "ConnectorKit", dependencies: ["SyncModel"]),
        // An in-memory spoke: tests, benchmark and demo.
        .target(name: "ConnectorMemory", dependencies: ["ConnectorKit", "SyncModel"]),
        // A folder of .vcf files: the first persistent spoke, for the CLI and demo.
        .target(name: "ConnectorFolder", dependencies: ["ConnectorKit", "PIMFormats", "SyncModel"]),
        // Store protocol + in-memory store.
        .target(name: "SyncStore", dependencies: ["SyncModel"]),
        .target(name: "SyncStoreSQLite", dependencies: [
            "SyncStore", "SyncModel", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "SyncEngine", dependencies: [
            "SyncModel", "SyncCore", "SyncStore", "ConnectorKit",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The one composition root.
        .target(name: "HubCLI", dependencies: [
            "SyncModel", "SyncCore", "SyncStore", "SyncStoreSQLite", "SyncEngine",
            "ConnectorKit", "ConnectorMemory", "ConnectorFolder", "PIMFormats",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "hubsync", dependencies: ["HubCLI"]),
        // Benchmarks with goals (not timed tests): `swift run -c release hubsync-bench`.
        .executableTarget(name: "hubsync-bench", dependencies: [
            "SyncModel", "SyncStore", "SyncStoreSQLite", "SyncEngine", "ConnectorKit", "ConnectorMemory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TestSupport", dependencies: [
            "SyncModel", "SyncStore", "SyncEngine", "ConnectorKit", "ConnectorMemory",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "SyncModelTests", dependencies: ["SyncModel", "TestSupport"]),
        .testTarget(name: "PIMFormatsTests", dependencies: ["PIMFormats", "SyncModel", "TestSupport"]),
        .testTarget(name: "SyncCoreTests", dependencies: ["SyncCore", "SyncModel"]),
        .testTarget(name: "SyncStoreTests", dependencies: [
            "SyncStore", "SyncStoreSQLite", "SyncModel", "TestSupport",
        ]),
        .testTarget(name: "SyncEngineTests", dependencies: [
            "SyncEngine", "SyncCore", "SyncStore", "SyncStoreSQLite", "ConnectorKit", "ConnectorMemory",
            "SyncModel", "TestSupport",
        ]),
        .testTarget(name: "ConnectorTests", dependencies: [
            "ConnectorKit", "ConnectorMemory", "ConnectorFolder", "PIMFormats", "SyncModel", "SyncEngine", "SyncStore",
            "TestSupport",
        ]),
        .testTarget(name: "HubCLITests", dependencies: [
            "HubCLI", "SyncStore", "SyncStoreSQLite", "SyncModel", "ConnectorFolder", "PIMFormats",
        ]),
    ]
)
