import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// A first pull cut short goes on from the page it reached; a page token the source forgot
/// starts it over; neither loses, duplicates or wrongly deletes anyone.
@Suite struct ResumedListingTests {
    /// 30 people on spoke 0: five pages of 7 (the harness's page size).
    static let names = (0..<30).map { String(format: "R%02d", $0) }

    func harness(_ store: any SyncStore) throws -> Harness {
        let h = try Harness(store: store)
        for n in Self.names { h.spokes[0].userUpsert(person(n, email: "\(n.lowercased())@example.com")) }
        return h
    }

    /// Counts spoke 0's listing requests, and fails the `failAt`-th one (1-based) as an outage.
    func countPulls(_ h: Harness, failAt: Int? = nil) -> Shared<Int> {
        let pulls = Shared(0)
        h.spokes[0].setHook { op, phase in
            guard case .pull = op, phase == .before else { return }
            let n = pulls.withLock { $0 += 1; return $0 }
            if n == failAt { throw ConnectorError(.unavailable, "the test's quota is used up") }
        }
        return pulls
    }

    func expectOnce(_ h: Harness, _ names: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let hub = try h.hubContacts().compactMap(\.givenName).sorted()
        let other = h.spokes[1].contacts.compactMap(\.givenName).sorted()
        #expect(hub == names.sorted(), sourceLocation: sourceLocation)
        #expect(other == names.sorted(), sourceLocation: sourceLocation)
    }

    @Test(arguments: StoreKind.allCases)
    func anInterruptedFirstPullGoesOnFromThePageItReached(_ store: StoreKind) async throws {
        let h = try harness(try store.make())
        // Pages 1 and 2 land, the third request fails.
        var pulls = countPulls(h, failAt: 3)
        let first = try await h.sync()
        #expect(first.status == .partial)
        #expect(try h.hubNames().count == 14)
        #expect(try h.state(0).resumePage != nil)
        #expect(try h.state(0).cursor == nil)

        // Meanwhile someone already listed leaves, and someone new arrives.
        h.spokes[0].userDelete(try #require(h.spokes[0].entries.first { $0.value.contact.givenName == "R00" }).key)
        h.spokes[0].userUpsert(person("R99", email: "r99@example.com"))

        pulls = countPulls(h)
        let second = try await h.sync()
        #expect(second.status == .succeeded, "\(second.errors)")
        // Pages 3 to 5 only (the page the source counts now may shift by one: it lists by position).
        #expect(pulls.withLock { $0 } == 3)
        #expect(try h.state(0).resumePage == nil)
        // A resumed listing proves no deletion (R00 is still here), and keeps no cursor...
        #expect(try h.state(0).cursor == nil)
        #expect(try h.hubNames().contains("R00"))
        #expect(h.stats(second, 0).hubDeleted == 0)

        // ...so the next pull lists in full, from page one, and settles what happened meanwhile.
        pulls = countPulls(h)
        let third = try await h.sync()
        #expect(third.status == .succeeded, "\(third.errors)")
        #expect(pulls.withLock { $0 } == 5)
        #expect(try h.state(0).cursor != nil)
        try expectOnce(h, Self.names.dropFirst() + ["R99"])

        // And from then on, incremental and quiet.
        pulls = countPulls(h)
        let quiet = try await h.sync()
        #expect(pulls.withLock { $0 } == 1)
        #expect(h.stats(quiet, 0).pulled == 0)
    }

    /// Only a first listing resumes: a full listing of a spoke with links starts over.
    @Test func aLaterFullListingStartsOver() async throws {
        let h = try harness(MemoryStore())
        try await h.sync()
        h.spokes[0].expireCursors()
        _ = countPulls(h, failAt: 3)
        #expect(try await h.sync().status == .partial)
        #expect(try h.state(0).resumePage == nil)
        let pulls = countPulls(h)
        #expect(try await h.sync().status == .succeeded)
        #expect(pulls.withLock { $0 } == 5)
        try expectOnce(h, Self.names)
    }

    /// A memory spoke whose source can forget the listings it handed page tokens for.
    final class Forgetful: SpokeConnector {
        let inner: MemorySpoke
        let issued = Shared(Set<PageToken>())
        let forgotten = Shared(Set<PageToken>())
        init(_ inner: MemorySpoke) { self.inner = inner }
        var capabilities: Set<ContactField>? { inner.capabilities }
        var maxBatch: Int { inner.maxBatch }
        /// Every page token handed out so far is refused from now on.
        func forget() { forgotten.withLock { $0 = issued.withLock { $0 } } }
        func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
            if let page, forgotten.withLock({ $0.contains(page) }) {
                throw ConnectorError(.protocolViolation, "the server answered 400: page token is not valid")
            }
            let p = try await inner.pull(since: cursor, page: page)
            if let next = p.next { issued.withLock { _ = $0.insert(next) } }
            return p
        }
        func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] { try await inner.write(ops) }
        func fetch(_ id: RemoteID) async throws -> RemoteItem? { try await inner.fetch(id) }
        func find(marker: CreateMarker) async throws -> RemoteItem? { try await inner.find(marker: marker) }
    }

    @Test(arguments: StoreKind.allCases)
    func anExpiredPageStartsTheListingOver(_ store: StoreKind) async throws {
        let h = try harness(try store.make())
        let forgetful = Forgetful(h.spokes[0])
        var connectors = h.connectors
        connectors[h.configs[0].id] = forgetful
        _ = countPulls(h, failAt: 3)
        h.clock.advance()
        #expect(try await h.engine.sync(hub: h.hub, connectors: connectors).status == .partial)
        #expect(try h.state(0).resumePage != nil)

        // The source forgot the listing, and someone listed before the cut left meanwhile.
        forgetful.forget()
        h.spokes[0].userDelete(try #require(h.spokes[0].entries.first { $0.value.contact.givenName == "R03" }).key)
        let pulls = countPulls(h)
        h.clock.advance()
        let run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        // The refused page, then the whole listing again: it is complete, so it settles R03 and
        // keeps its cursor.
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(pulls.withLock { $0 } == 5)
        #expect(try h.state(0).resumePage == nil)
        #expect(try h.state(0).cursor != nil)
        try expectOnce(h, Self.names.filter { $0 != "R03" })
    }

    /// A crash at any commit of a first pull (before or after it lands): the next passes resume
    /// or start over, and every person arrives once.
    @Test(arguments: [StoreKind.memory, .sqlite], [CrashingStore.CrashPoint.beforeCommit, .afterCommit])
    func crashesDuringAFirstPull(_ kind: StoreKind, _ point: CrashingStore.CrashPoint) async throws {
        for crashAt in 2...6 {
            let store = CrashingStore(try kind.make())
            let h = try harness(store)
            let commits = Shared(0)
            store.setCrashes { commits.withLock { $0 += 1; return $0 } == crashAt ? point : .none }
            await #expect(throws: Crash.self) { try await h.sync() }
            store.setCrashes(nil)
            for _ in 0..<3 { try await h.sync() }
            try expectOnce(h, Self.names)
            #expect(h.spokes[0].count == Self.names.count)
        }
    }
}
