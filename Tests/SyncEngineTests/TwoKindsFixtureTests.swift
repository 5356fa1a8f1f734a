import Foundation
import Synchronization
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport

/// A database written before hubs had an object kind (issue 16) must open, migrate, read as a
/// contact hub, and sync without re-matching, re-creating or re-sending anything. The fixture
/// holds three spokes with links, a journaled conflict, a held mass deletion (spoke 1), and a
/// create intent whose create landed in spoke 2 but whose link was never committed.
@Suite struct TwoKindsFixtureTests {
    static let name = "hub-before-two-kinds.sqlite"
    static let people = (0..<12).map { i in
        person("F\(i)", "Fixture", email: "f\(i)@example.com", phone: i % 3 == 0 ? "+4930123456\(i)" : nil)
    }

    /// Writes the fixture: run once, on the code before the object kind, with
    /// HUBSYNC_WRITE_TWO_KINDS_FIXTURE=1.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HUBSYNC_WRITE_TWO_KINDS_FIXTURE"] != nil))
    func writeFixture() async throws {
        let fixture = SchemaFixtureTests.fixture(Self.name)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("hub.sqlite").path
        try await {
            let store = CrashingStore(try SQLiteStore(path: path))
            let h = try Harness(store: store, spokeOptions: [.init(), .init(), .init()])
            for p in Self.people { h.spokes[0].userUpsert(p) }
            try await h.sync()
            try await h.sync()
            #expect(h.spokes.map(\.count) == [12, 12, 12])
            // A conflict: both spokes change the title.
            h.spokes[0].edit("F2") { $0.title = "from spoke 0" }
            h.spokes[1].edit("F2") { $0.title = "from spoke 1" }
            try await h.sync()
            #expect(try h.journal().contains { $0.kind == .conflict })
            // A mass deletion in spoke 1, held.
            for i in 7..<12 { h.spokes[1].delete("F\(i)") }
            try await h.sync()
            #expect(try store.pendingHolds(hub: h.hub).count == 1)
            // A create that lands in spoke 2 while the process dies before its link is committed.
            let crashNext = Atomic(false)
            store.setCrashes { crashNext.load(ordering: .relaxed) ? .beforeCommit : .none }
            h.spokes[2].setHook { op, phase in
                if phase == .after, case .write(.create) = op { crashNext.store(true, ordering: .relaxed) }
            }
            h.spokes[0].userUpsert(person("F12", "Fixture", email: "f12@example.com"))
            await #expect(throws: Crash.self) { try await h.sync() }
            #expect(try store.intents(hub: h.hub, spoke: h.configs[2].id).count == 1)
        }()
        try? FileManager.default.removeItem(at: fixture)
        try FileManager.default.copyItem(atPath: path, toPath: fixture.path)
    }

    static func number<T>(_ v: Identifier<T>?) -> Int { Int(v?.rawValue.dropFirst() ?? "") ?? 0 }

    @Test func fixtureMigratesReadsAsContactsAndSyncsWithoutResending() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hub.sqlite").path
        try FileManager.default.copyItem(atPath: SchemaFixtureTests.fixture(Self.name).path, toPath: path)
        let store = try SQLiteStore(path: path)
        // Hubs from before kinds hold contacts (read before the harness saves its hub again).
        #expect(try store.hubs().map(\.objectKind) == [.contacts])
        let h = try Harness(store: store, spokeOptions: [.init(), .init(), .init()])
        let before = try store.journal(hub: h.hub, JournalQuery(limit: 10_000))
        #expect(before.contains { $0.kind == .conflict && $0.conflicts == [.text(.title)] })
        let holds = try store.pendingHolds(hub: h.hub)
        #expect(holds.count == 1 && holds.first?.spoke == h.configs[1].id && holds.first?.items.count == 5)
        let intents = try store.intents(hub: h.hub, spoke: h.configs[2].id)
        #expect(intents.count == 1 && intents.first?.base.givenName == "F12")

        // The spokes as they were: every linked item at its base (the held deletions gone from
        // spoke 1), and spoke 2's create that landed, with its marker.
        let live = try store.items(hub: h.hub, changedAfter: 0, limit: 10_000)
        for (i, spoke) in h.spokes.enumerated() {
            let held = Set(holds.filter { $0.spoke == h.configs[i].id }.flatMap(\.items))
            let links = try store.links(hub: h.hub, spoke: h.configs[i].id, items: live.map(\.id)).values
            guard i < 2 else {
                // Spoke 2 holds only what the hub created, in id order (so the ids come out the same).
                for link in links.sorted(by: { Self.number($0.remoteID) < Self.number($1.remoteID) }) {
                    _ = try await spoke.write([.create(link.base, CreateMarker(hub: h.hub, item: link.item))])
                }
                continue
            }
            for link in links.sorted(by: { Self.number($0.remoteVersion) < Self.number($1.remoteVersion) })
            where !held.contains(link.item) {
                spoke.userUpsert(link.base, id: link.remoteID)
            }
        }
        for intent in intents { _ = try await h.spokes[2].write([.create(intent.base, intent.marker)]) }
        #expect(h.spokes.map(\.count) == [13, 8, 13])
        let writes = h.spokes.map { $0.recordWrites() }
        let versions = live.map(\.version)

        let run = try await h.sync()
        #expect(writes.allSatisfy { $0.all.isEmpty }, "\(writes.map(\.all))")
        #expect(run.stats.values.allSatisfy { $0.hubCreated + $0.hubUpdated + $0.matched + $0.hubDeleted == 0 })
        #expect(try store.liveItemCount(hub: h.hub) == 13)
        #expect(try store.intents(hub: h.hub, spoke: h.configs[2].id).isEmpty)
        #expect(try store.linkCount(hub: h.hub, spoke: h.configs[2].id) == 13)
        #expect(try store.pendingHolds(hub: h.hub).count == 1)
        #expect(h.spokes.map(\.count) == [13, 8, 13])

        // And it goes on syncing: an edit travels, with a version above every old one.
        h.spokes[0].edit("F1") { $0.title = "after the migration" }
        try await h.sync()
        #expect(h.spokes[2].contact("F1")?.title == "after the migration")
        #expect(try h.liveItem("F1")!.version > versions.max()!)
    }
}
