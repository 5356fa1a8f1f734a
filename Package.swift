// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HubSync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hubsync", targets: ["hubsync"]),
        .executable(name: "hubsync-bench", targets: ["hubsync-bench"]),
        .executable(name: "spoke-emulator", targets: ["spoke-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Canonical model: contacts and events, typed ids, normalisation, content hash, the
        // recurrence expander. No I/O.
        .target(name: "SyncModel"),
        // vCard 3.0/4.0 and iCalendar parse and write.
        .target(name: "PIMFormats", dependencies: ["SyncModel"]),
        // Pure sync decisions: merge, match, filters, mapping, plan, deletion guard.
        .target(name: "SyncCore", dependencies: ["SyncModel"]),
        // The SpokeConnector boundary.
        .target(name: "ConnectorKit", dependencies: ["SyncModel"]),
        // HTTP for network connectors, written once: transport, auth (Basic, Digest, bearer),
        // retry with backoff and Retry-After, request counting. Kept apart from ConnectorKit so
        // the engine and the local spokes do not link NIO.
        .target(name: "ConnectorHTTP", dependencies: [
            "ConnectorKit",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // A small XML element tree and escaping, for the XML protocols (WebDAV, EWS SOAP).
        .target(name: "ConnectorXML"),
        // Credentials and tokens encrypted at rest (AES-GCM; the key stays outside the database).
        .target(name: "Secrets", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // CardDAV (RFC 6352): discovery, sync-collection, multiget, conditional writes.
        .target(name: "ConnectorDAV", dependencies: [
            "ConnectorKit", "ConnectorHTTP", "ConnectorXML", "PIMFormats", "SyncModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Exchange Web Services: Autodiscover, folders, SyncFolderItems, ChangeKey writes.
        .target(name: "ConnectorEWS", dependencies: [
            "ConnectorKit", "ConnectorHTTP", "ConnectorXML", "SyncModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Google Contacts (People API): OAuth with PKCE, sync tokens, batch writes with etags.
        .target(name: "ConnectorGoogle", dependencies: [
            "ConnectorKit", "ConnectorHTTP", "SyncModel",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Microsoft 365 (Microsoft Graph): OAuth (delegated with PKCE, app-only), contact delta,
        // $batch writes with etags, an extended property marking what the hub created.
        .target(name: "ConnectorGraph", dependencies: [
            "ConnectorKit", "ConnectorHTTP", "SyncModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // An in-memory spoke: tests, benchmark and demo.
        .target(name: "ConnectorMemory", dependencies: ["ConnectorKit", "SyncModel"]),
        // A folder of .vcf files: the first persistent spoke, for the CLI and demo.
        .target(name: "ConnectorFolder", dependencies: ["ConnectorKit", "PIMFormats", "SyncModel"]),
        // Store protocol + in-memory store.
        .target(name: "SyncStore", dependencies: ["SyncModel"]),
        .target(name: "SyncStoreSQLite", dependencies: [
            "SyncStore", "SyncModel", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The PostgreSQL store (postgres-nio): the same semantics as SQLite's, for installations
        // that outgrow one file; every table keyed by hub id (see Schema.swift there).
        .target(name: "SyncStorePostgres", dependencies: [
            "SyncStore", "SyncModel", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SyncEngine", dependencies: [
            "SyncModel", "SyncCore", "SyncStore", "ConnectorKit",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Loopback ports, and the child-process servers on them (the demo's Radicale, the tests').
        .target(name: "Loopback"),
        // Outgoing mail (the invitations'): a small bounded SMTP client, or a sendmail command.
        .target(name: "Mail"),
        // The web app and JSON API (Hummingbird). Never imports a concrete store or connector:
        // the composition root hands it a store and a SpokeProvider.
        .target(name: "HubServer", dependencies: [
            "SyncModel", "SyncCore", "SyncStore", "SyncEngine", "ConnectorKit", "Mail",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], resources: [.copy("Web")]),
        // The one composition root.
        .target(name: "HubCLI", dependencies: [
            "HubServer", "Emulators", "Loopback", "SyncModel", "SyncCore", "SyncStore", "SyncStoreSQLite", "SyncStorePostgres", "SyncEngine",
            "ConnectorKit", "ConnectorMemory", "ConnectorFolder", "ConnectorHTTP", "ConnectorDAV", "ConnectorEWS",
            "ConnectorGoogle", "ConnectorGraph", "PIMFormats", "Secrets", "Mail", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "hubsync", dependencies: ["HubCLI"]),
        // Protocol emulators (EWS; later the People API) with fault injection, for tests and the
        // demo. They never import connector code: each side is written from the protocol alone.
        .target(name: "Emulators", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "spoke-emulator", dependencies: ["Emulators"]),
        // Benchmarks with goals (not timed tests): `swift run -c release hubsync-bench`.
        .executableTarget(name: "hubsync-bench", dependencies: [
            "SyncModel", "SyncStore", "SyncStoreSQLite", "SyncStorePostgres", "SyncEngine", "ConnectorKit", "ConnectorMemory",
            "HubServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TestSupport", dependencies: [
            "Loopback", "SyncModel", "SyncStore", "SyncStoreSQLite", "SyncEngine", "ConnectorKit", "ConnectorMemory",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "SyncModelTests", dependencies: ["SyncModel", "TestSupport"]),
        .testTarget(name: "PIMFormatsTests", dependencies: ["PIMFormats", "SyncModel", "TestSupport"]),
        .testTarget(name: "SyncCoreTests", dependencies: ["SyncCore", "SyncModel", "TestSupport"]),
        .testTarget(name: "SyncStoreTests", dependencies: [
            "SyncStore", "SyncStoreSQLite", "SyncStorePostgres", "SyncModel", "TestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SyncEngineTests", dependencies: [
            "SyncEngine", "SyncCore", "SyncStore", "SyncStoreSQLite", "ConnectorKit", "ConnectorMemory",
            "SyncModel", "TestSupport",
        ]),
        .testTarget(name: "ConnectorTests", dependencies: [
            "ConnectorKit", "ConnectorMemory", "ConnectorFolder", "PIMFormats", "SyncModel", "SyncEngine", "SyncStore",
            "TestSupport",
        ]),
        .testTarget(name: "ConnectorHTTPTests", dependencies: [
            "ConnectorHTTP", "ConnectorKit", "ConnectorXML", "PIMFormats", "TestSupport",
        ]),
        // Against real Radicale and Xandikos servers started on loopback (pip; see .ci/run).
        .testTarget(name: "DAVTests", dependencies: [
            "ConnectorDAV", "ConnectorFolder", "ConnectorHTTP", "ConnectorKit", "ConnectorMemory", "PIMFormats", "SyncModel",
            "SyncEngine", "SyncStore", "SyncStoreSQLite", "TestSupport",
        ], exclude: ["python"]),
        // The EWS emulator driven by raw SOAP and by exchangelib (pip; see .ci/run).
        .testTarget(name: "EmulatorTests", dependencies: [
            "Emulators", "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["python"]),
        // The EWS spoke: pure mapping, and against the emulator (faults, whole syncs).
        .testTarget(name: "EWSTests", dependencies: [
            "ConnectorEWS", "ConnectorHTTP", "ConnectorKit", "ConnectorMemory", "ConnectorXML", "Emulators", "SyncModel",
            "SyncEngine", "SyncStore", "TestSupport",
        ]),
        // The Google spoke: pure mapping and OAuth, and against the People API emulator.
        .testTarget(name: "GoogleTests", dependencies: [
            "ConnectorGoogle", "ConnectorEWS", "ConnectorHTTP", "ConnectorKit", "ConnectorMemory", "Emulators", "SyncModel", "SyncEngine",
            "TestSupport", "ConnectorFolder", "ConnectorDAV",
        ], exclude: ["python"]),
        // The Microsoft 365 spoke: pure mapping and OAuth, and against the Graph emulator; whole syncs
        // with Exchange Server and Google, and moving a spoke from EWS to Graph on one shared mailbox.
        .testTarget(name: "GraphTests", dependencies: [
            "ConnectorGraph", "ConnectorHTTP", "ConnectorKit", "ConnectorMemory", "Emulators", "SyncModel", "SyncEngine",
            "SyncStore", "TestSupport", "ConnectorEWS", "ConnectorGoogle",
        ]),
        // The server's API against a MemoryStore and memory spokes (no network).
        .testTarget(name: "HubServerTests", dependencies: [
            "HubServer", "SyncModel", "SyncStore", "SyncStoreSQLite", "SyncStorePostgres", "SyncEngine", "ConnectorKit", "ConnectorMemory",
            "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The whole wizard in headless Chromium (selenium), against the emulators, through the
        // real composition root.
        .testTarget(name: "WebTests", dependencies: [
            "HubCLI", "HubServer", "Emulators", "Secrets", "SyncModel", "SyncStore", "SyncStoreSQLite", "SyncEngine", "TestSupport",
            "Mail", "Loopback",
        ], exclude: ["python"]),
        // Calendars: iCalendar read/write and the recurrence expander, proven against Python's
        // icalendar and recurring-ical-events (pip; see .ci/requirements.txt).
        .testTarget(name: "CalendarTests", dependencies: ["PIMFormats", "SyncModel", "TestSupport"], exclude: ["python"]),
        // What an admin reads when a server fails: every network connector against a hostile
        // server (Python's stdlib), each class of failure.
        .testTarget(name: "AdminTextTests", dependencies: [
            "ConnectorDAV", "ConnectorEWS", "ConnectorGoogle", "ConnectorGraph", "ConnectorHTTP", "ConnectorKit", "TestSupport",
        ]),
        .testTarget(name: "HubCLITests", dependencies: [
            "HubCLI", "HubServer", "Emulators", "Secrets", "TestSupport", "SyncStore", "SyncStoreSQLite", "SyncStorePostgres", "SyncModel", "ConnectorFolder",
            "ConnectorKit", "PIMFormats", "Mail",
        ]),
    ]
)
