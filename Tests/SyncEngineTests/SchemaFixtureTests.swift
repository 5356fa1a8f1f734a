import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport

/// A database written by an older schema must open, migrate, and sync without re-matching or
/// re-sending: one fixture per step (before the hostile_engine migrations: holds' decisions,
/// unique item versions; before hostile_engine 2: the page an interrupted first listing reached).
@Suite struct SchemaFixtureTests {
    static let fixtures = ["hub-before-hostile-engine.sqlite", "hub-before-listing-resume.sqlite"]

    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    static let people = (0..<12).map { i in
        person("F\(i)", "Fixture", email: "f\(i)@example.com", phone: i % 3 == 0 ? "+4930123456\(i)" : nil)
    }

    /// Writes a fixture: run once, on the code before the migration it tests, with
    /// HUBSYNC_WRITE_FIXTURE=<file name>. A hub with two spokes, spoke 0's people synced to spoke 1.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HUBSYNC_WRITE_FIXTURE"] != nil))
    func writeFixture() async throws {
        let fixture = Self.fixture(ProcessInfo.processInfo.environment["HUBSYNC_WRITE_FIXTURE"]!)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("hub.sqlite").path
        try await {
            let h = try Harness(store: try SQLiteStore(path: path))
            for p in Self.people { h.spokes[0].userUpsert(p) }
            try await h.sync()
            try await h.sync()
            #expect(h.spokes.map(\.count) == [12, 12])
        }()
        // The store is closed: the WAL is checkpointed into the file.
        try? FileManager.default.removeItem(at: fixture)
        try FileManager.default.createDirectory(
            at: fixture.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: fixture.path)
    }

    @Test(arguments: fixtures)
    func fixtureMigratesAndSyncsWithoutResending(_ name: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hub.sqlite").path
        try FileManager.default.copyItem(atPath: Self.fixture(name).path, toPath: path)
        let store = try SQLiteStore(path: path)
        let h = try Harness(store: store)
        // The spokes as they were: spoke 0's people entered there, spoke 1's created by the hub
        // in version order (so the memory spokes hand out the same ids and versions again).
        for p in Self.people { h.spokes[0].userUpsert(p) }
        let links = try store.links(
            hub: h.hub, spoke: h.configs[1].id, items: try store.liveItems(hub: h.hub).map(\.id))
        let items = try store.items(hub: h.hub, ids: Array(links.keys))
        for link in links.values.sorted(by: { Int($0.remoteID.rawValue.dropFirst())! < Int($1.remoteID.rawValue.dropFirst())! }) {
            _ = try await h.spokes[1].write([.create(items[link.item]!.contact, CreateMarker(hub: h.hub, item: link.item))])
        }
        #expect(h.spokes.map(\.count) == [12, 12])
        let writes = [h.spokes[0].recordWrites(), h.spokes[1].recordWrites()]
        let versions = try store.items(hub: h.hub, changedAfter: 0, limit: 1000).map(\.version)
        #expect(Set(versions).count == versions.count)

        let run = try await h.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(writes.allSatisfy { $0.all.isEmpty })
        #expect(run.stats.values.allSatisfy { $0.hubCreated + $0.hubUpdated + $0.matched == 0 })
        #expect(try store.liveItemCount(hub: h.hub) == 12)
        #expect(try store.holds(hub: h.hub).isEmpty)

        // And it goes on syncing: an edit travels, with a version above every old one.
        h.spokes[0].edit("F1") { $0.title = "after the migration" }
        try await h.sync()
        #expect(h.spokes[1].contact("F1")?.title == "after the migration")
        #expect(try h.liveItem("F1")!.version > versions.max()!)
    }
}
