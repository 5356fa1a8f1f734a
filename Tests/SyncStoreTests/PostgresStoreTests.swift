import Foundation
import SyncModel
import SyncStore
import SyncStorePostgres
import Testing
import TestSupport

/// What only the PostgreSQL store has: a synchronous API over an asynchronous driver, a pool,
/// and migrations recorded in the database.
struct PostgresStoreTests {
    static func fresh() throws -> (PostgresCluster, String) {
        try OutsideTools.require(.postgresql)
        let cluster = try PostgresCluster.running()
        return (cluster, try cluster.newDatabase())
    }

    /// Many more tasks than the cooperative pool has threads (two cores: two), each blocking in
    /// the store at once: the driver's work runs on the store's own event loops, never on the
    /// pool the callers block, so this finishes instead of deadlocking.
    @Test(.timeLimit(.minutes(1)))
    func blockingCallsFromManyTasksAtOnce() async throws {
        let (_, url) = try Self.fresh()
        let store = try PostgresStore(PostgresURL(url), connections: 4)
        try makeHub(store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<32 {
                group.addTask {
                    for c in 0..<5 {
                        let id = "t\(t)-c\(c)"
                        try store.commit(hub: hubA, batch { $0.items = [item(id, v: HubRecord<Contact>.allocatedVersion)] })
                        _ = try store.liveItemCount(hub: hubA)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.liveItemCount(hub: hubA) == 160)
        #expect(try store.maxVersion(hub: hubA) == 160)
    }

    /// A store opened again finds its data and applies no migration twice.
    @Test func reopeningMigratesOnce() throws {
        let (cluster, url) = try Self.fresh()
        try makeHub(try PostgresStore(PostgresURL(url)))
        let again = try PostgresStore(PostgresURL(url))
        #expect(try again.hubs().map(\.id) == [hubA])
        let database = String(url.split(separator: "?")[0].split(separator: "/").last!)
        let names = try cluster.psql(database, "SELECT name FROM schema_migrations ORDER BY name")
        #expect(names.split(separator: "\n") == ["fleet 1 hub leases", "fleet 2 web state", "pg 1 hubs", "pg 2 accounts and invitations"])
    }

    /// A database that is not there is an I/O error that names it without a password.
    @Test func aMissingDatabaseSaysSo() throws {
        let (cluster, _) = try Self.fresh()
        let url = cluster.url(database: "nosuchdb").replacingOccurrences(of: "hub@", with: "hub:pw@")
        do {
            _ = try PostgresStore(PostgresURL(url))
            Issue.record("opened a database that does not exist")
        } catch let e as StoreError {
            #expect(e.kind == .io)
            #expect(e.message.contains("nosuchdb"), "\(e.message)")
            #expect(!e.message.contains("pw"))
        }
    }
}
