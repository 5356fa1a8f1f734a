import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// Taking an item out of a filtered spoke (spoke 1, category "Work") when the removal is
/// interrupted: by a crash, or by a failed write followed by an edit in that spoke.
@Suite struct FilterRecoveryTests {
    static func harness(_ store: StoreKind) throws -> Harness {
        try Harness(store: store.make(), spokeOptions: [.init(), .init(filter: .init(categories: ["Work"])), .init()])
    }

    /// The process dies right after the spoke applied the removal, before the engine recorded
    /// it: the next pass sees the item gone from the spoke and must still not take it for a
    /// deletion made there. The edit is made in another spoke, or in the filtered one itself
    /// (then the hub holds just what the spoke last agreed, like a plain deletion there).
    @Test(arguments: [0, 1], StoreKind.allCases)
    func crashAfterRemovingFromTheSpokeIsNotADeletion(editIn: Int, _ store: StoreKind) async throws {
        let h = try Self.harness(store)
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", categories: ["Work"]))
        try await h.sync()
        try await h.sync()
        h.spokes[1].setHook { op, phase in
            if phase == .after, case .write(.delete) = op { throw Crash() }
        }
        h.spokes[editIn].edit("Ada") { $0.categories = ["Home"] }
        await #expect(throws: Crash.self) { try await h.sync() }
        #expect(h.spokes[1].count == 0)
        h.spokes[1].setHook(nil)
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.stats(run, 1).hubDeleted == 0)
        #expect(try h.hubNames() == ["Ada"])
        #expect(h.spokes[0].names == ["Ada"] && h.spokes[2].names == ["Ada"])
        #expect(h.spokes[2].contact("Ada")?.categories == ["Home"])
        #expect(try h.journal().allSatisfy { $0.kind != .deleted })
        #expect(try h.store.linkCount(hub: h.hub, spoke: h.configs[1].id) == 0)
        #expect(h.spokes[1].count == 0)
    }

    /// The removal fails (the item stays, marked as leaving), then the person edits the item in
    /// the filtered spoke: the edit reaches the hub and the other spokes, the removal completes,
    /// and the passes after are quiet (no endless conflict on a stale version).
    @Test(arguments: StoreKind.allCases)
    func editAfterAFailedRemovalIsKeptAndTheRemovalCompletes(_ store: StoreKind) async throws {
        let h = try Self.harness(store)
        let flaky = ItemFailingSpoke(h.spokes[1])
        var connectors = h.connectors
        connectors[h.configs[1].id] = flaky
        @discardableResult func sync() async throws -> RunRecord {
            h.clock.advance()
            return try await h.engine.sync(hub: h.hub, connectors: connectors)
        }
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", categories: ["Work"]))
        try await sync()
        try await sync()
        #expect(h.spokes[1].names == ["Ada"])

        h.spokes[0].edit("Ada") { $0.categories = ["Home"] }
        flaky.failing.withLock { $0 = ["Ada"] }
        let failed = try await sync()
        #expect(failed.status == .partial)
        #expect(h.spokes[1].names == ["Ada"])

        flaky.failing.withLock { $0 = [] }
        h.spokes[1].edit("Ada") { $0.phones = [LabeledValue("555 0100 777")] }
        let run = try await sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(h.spokes[1].count == 0)
        let ada = try #require(try h.liveItem("Ada")).contact
        #expect(ada.phones.map(\.value) == ["555 0100 777"])
        #expect(ada.categories == ["Home"])
        #expect(h.spokes[0].contact("Ada")?.phones.map(\.value) == ["555 0100 777"])
        #expect(h.spokes[2].contact("Ada")?.phones.map(\.value) == ["555 0100 777"])

        let version = try h.store.maxVersion(hub: h.hub)
        let quiet = try await sync()
        #expect(quiet.status == .succeeded)
        #expect(try h.store.maxVersion(hub: h.hub) == version)
        #expect(h.spokes[1].count == 0)
        try h.expectConverged(spokes: [0, 2])
    }
}
