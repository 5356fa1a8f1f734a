import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import Synchronization
import TestSupport

/// A spoke whose every call hangs until cancelled, like a server that never finishes answering.
struct HangingSpoke: SpokeConnector {
    var capabilities: Set<ContactField>? { nil }
    var maxBatch: Int { 10 }
    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await Task.sleep(for: .seconds(3600))
        return PullPage(mode: .full, changes: [], cursor: nil)
    }
    func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] { [] }
    func fetch(_ id: RemoteID) async throws -> RemoteItem? { nil }
    func find(marker: CreateMarker) async throws -> RemoteItem? { nil }
}

@Suite struct PassBudgetTests {
    @Test func aSpokePastItsBudgetFailsAndThePassGoesOn() async throws {
        let h = try Harness(spokeOptions: [.init(), .init()]) { i, clock in MemorySpoke(name: "s\(i)", clock: clock.closure) }
        // The budget's clock ends at once: no test waits for it.
        let stuck = PassBudget(HangingSpoke(), budget: .seconds(600), name: "spoke slow", timer: { _ in })
        let connectors: [SpokeID: any SpokeConnector] = [h.configs[0].id: h.spokes[0], h.configs[1].id: stuck]
        h.spokes[0].userUpsert(Sample.person("Ada", "Lovelace", email: "ada@example.com"))
        let run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(run.status == .partial)
        #expect(try h.hubContacts().count == 1)
        #expect(run.errors.contains { $0.contains("spoke slow is too slow: its part of the sync took more than 600 s") },
                "\(run.errors)")
    }

    @Test func aBudgetSpentFailsTheNextCallAtOnce() async throws {
        let start = ContinuousClock.now
        let later = Mutex(start)
        let spoke = PassBudget(MemorySpoke(name: "m"), budget: .seconds(60), name: "spoke m",
                               timer: { _ in try await Task.sleep(for: .seconds(3600)) }, now: { later.withLock { $0 } })
        _ = try await spoke.pull(since: nil, page: nil)
        later.withLock { $0 = start + .seconds(61) }
        await #expect(throws: ConnectorError.self) { try await spoke.pull(since: nil, page: nil) }
    }
}
