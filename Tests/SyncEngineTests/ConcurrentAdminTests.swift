import Foundation
import Synchronization
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// An admin's undo, approve and reject landing while a pass is running (between its reads and
/// its commits, mid-push): versions come from the store's commit, so none is handed out twice
/// and every spoke still receives every change.
@Suite struct ConcurrentAdminTests {
    static let names = (0..<10).map { "C\($0)" }

    @Test(arguments: StoreKind.allCases)
    func undoApproveAndRejectDuringASync(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init(), .init()])
        for n in Self.names { h.spokes[0].userUpsert(person(n, email: "\(n.lowercased())@example.com")) }
        try await h.sync()
        try await h.sync()
        h.spokes[2].edit("C9") { $0.title = "to be undone" }
        try await h.sync()
        let edit = try #require(try h.journal().first { $0.kind == .updated })
        // Two holds: spoke 0 deleted eight for real (to approve), spoke 1 listed nothing once
        // (to reject).
        for n in Self.names.prefix(8) { h.spokes[0].delete(n) }
        h.spokes[1].glitchNextPull()
        try await h.sync()
        #expect(Set(try h.store.pendingHolds(hub: h.hub).map(\.spoke)) == [h.configs[0].id, h.configs[1].id])

        // Meanwhile a person edits C8 in spoke 3, spoke 1 glitches again (so its hold is still
        // there to reject), and the admin acts in the middle of the pull phase (between spoke
        // 2's two pages; spoke 3's change is planned after).
        h.spokes[1].glitchNextPull()
        h.spokes[2].expireCursors()
        h.spokes[3].edit("C8") { $0.title = "edited during the admin's work" }
        let pages = Shared(0)
        let engine = h.engine, hub = h.hub, spoke0 = h.configs[0].id, spoke1 = h.configs[1].id
        h.spokes[2].setHook { op, phase in
            guard case .pull = op, phase == .before else { return }
            guard pages.withLock({ $0 += 1; return $0 == 2 }) else { return }
            try engine.restore(hub: hub, entry: edit.seq)
            try engine.approveHold(hub: hub, spoke: spoke0)
            try engine.rejectHold(hub: hub, spoke: spoke1)
        }
        let run = try await h.sync()
        #expect(pages.withLock { $0 } >= 2)
        #expect(run.status != .failed, "\(run.errors)")
        let versions = try h.store.items(hub: h.hub, changedAfter: 0, limit: 1000).map(\.version)
        #expect(Set(versions).count == versions.count, "a version was handed out twice")
        h.spokes[2].setHook(nil)
        for _ in 0..<3 { try await h.sync() }

        #expect(try h.store.holds(hub: h.hub).isEmpty)
        #expect(try h.hubNames() == ["C8", "C9"])
        try h.expectConverged(spokes: [0, 1, 2, 3])
        #expect(h.spokes.allSatisfy { $0.contact("C9")?.title == nil })
        #expect(h.spokes.allSatisfy { $0.contact("C8")?.title == "edited during the admin's work" })
        #expect(h.spokes.allSatisfy { $0.count == 2 })
    }
}
