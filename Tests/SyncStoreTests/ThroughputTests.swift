import Foundation
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncStoreSQLite
import TestSupport
import Testing

/// Not a benchmark with thresholds: prints rates so regressions are visible in the log.
/// 100k items in release builds (`swift test -c release -Xswiftc -enable-testing`), 20k in debug
/// ones to keep the default test run short; HUBSYNC_THROUGHPUT_ITEMS overrides either.
@Suite("Store throughput (prints only)")
struct ThroughputTests {
    #if DEBUG
    static let defaultCount = 20_000
    #else
    static let defaultCount = 100_000
    #endif
    static let env = ProcessInfo.processInfo.environment
    static let count = env["HUBSYNC_THROUGHPUT_ITEMS"].flatMap(Int.init) ?? defaultCount
    static let batchSize = 500

    @Test func sqliteFileThroughput() throws {
        try TempDir.with { dir in
            try measure(SQLiteStore(path: dir.appending(path: "bench.sqlite").path), "SQLite file (WAL)")
        }
    }

    /// PostgreSQL on the tests' throwaway cluster (Unix socket, fsync off); opt-in
    /// (HUBSYNC_THROUGHPUT_POSTGRES=1): one round trip per row makes it slow in a debug build.
    @Test(.enabled(if: env["HUBSYNC_THROUGHPUT_POSTGRES"] != nil))
    func postgresThroughput() throws {
        try OutsideTools.require(.postgresql)
        try measure(PostgresStore(PostgresURL(PostgresCluster.running().newDatabase())), "PostgreSQL (socket)")
    }

    /// MemoryStore for comparison; opt-in (HUBSYNC_THROUGHPUT_MEMORY=1) because its commit copies
    /// the hub's data and changedAfter sorts all items per page, both quadratic over a 100k load.
    @Test(.enabled(if: env["HUBSYNC_THROUGHPUT_MEMORY"] != nil))
    func memoryStoreThroughput() throws {
        try measure(MemoryStore(), "MemoryStore")
    }

    private func contact(_ n: Int) -> Contact {
        Contact(
            givenName: "Given\(n)", familyName: "Family\(n % 977)", organization: "Org \(n % 101)", title: "Title",
            emails: [LabeledValue("p\(n)@example.com", label: .work), LabeledValue("p\(n)@home.example", label: .home)],
            phones: [LabeledValue("+1555\(String(format: "%07d", n))", label: .mobile)],
            addresses: [PostalAddress(label: .work, street: "\(n) Main St", city: "Springfield", postalCode: "12345")],
            categories: ["Customers"])
    }

    private func measure(_ s: any SyncStore, _ name: String) throws {
        let n = Self.count
        let spoke: SpokeID = "bench-spoke"
        try s.saveHub(HubConfig(id: hubA, name: "bench"))
        let items = (0..<n).map { i in
            HubItem(id: ItemID(String(format: "item-%07d", i)), contact: contact(i), version: Int64(i + 1),
                    modifiedAt: at(Double(i)))
        }

        let clock = ContinuousClock()
        var commit = Duration.zero
        for start in stride(from: 0, to: n, by: Self.batchSize) {
            let slice = items[start..<min(start + Self.batchSize, n)]
            let b = batch { b in
                b.items = Array(slice)
                b.links = slice.map {
                    Link(spoke: spoke, item: $0.id, remoteID: RemoteID("remote-\($0.id.rawValue)"),
                         remoteVersion: "v1", base: $0.contact, hubVersionSeen: $0.version, createdByHub: false)
                }
            }
            commit += try clock.measure { try s.commit(hub: hubA, b) }
        }

        var readBack = 0
        let changed = try clock.measure {
            var after: Int64 = 0
            while true {
                let page = try s.items(hub: hubA, changedAfter: after, limit: Self.batchSize)
                guard let last = page.last else { break }
                readBack += page.count
                after = last.version
            }
        }
        // The no-op re-sync shape: every item's link, looked up in 500-id chunks.
        var linksRead = 0
        let links = try clock.measure {
            for start in stride(from: 0, to: n, by: Self.batchSize) {
                let ids = items[start..<min(start + Self.batchSize, n)].map(\.id)
                linksRead += try s.links(hub: hubA, spoke: spoke, items: ids).count
            }
        }
        var live = 0
        let liveTime = try clock.measure { live = try s.liveItems(hub: hubA).count }
        #expect(readBack == n)
        #expect(linksRead == n)
        #expect(live == n)

        func rate(_ d: Duration) -> String {
            let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            return String(format: "%.3f s, %.0f items/s", secs, Double(n) / secs)
        }
        print("""
            [throughput] \(name), \(n) items, batches of \(Self.batchSize):
              commit items+links   \(rate(commit))
              changedAfter pages   \(rate(changed))
              links(items:) pages  \(rate(links))
              liveItems            \(rate(liveTime))
            """)
    }
}
