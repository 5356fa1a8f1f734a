import ConnectorGoogle
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import Emulators
import Foundation
import SyncModel
import Synchronization
import Testing
import TestSupport

/// Google's per-minute quotas, kept rather than gambled on, against the People emulator (whose
/// clock the spoke's waits move: no test sleeps).
@Suite struct GoogleQuotaTests {
    func with(_ body: (Google) async throws -> Void) async throws {
        let g = try await Google.start()
        do { try await body(g) } catch { await g.stop(); throw error }
        await g.stop()
    }

    /// A spoke whose limiter and retries run on the emulator's clock; `random` draws the jitter.
    func spoke(_ g: Google, waits: Sleeps, perMinute: Int, pageSize: Int, random: Double) -> GoogleSpoke {
        var s = g.settings
        s.pageSize = pageSize
        let http = ConnectorHTTPClient(
            transport: AHCTransport.shared(), auth: g.tokenSource().auth,
            retry: GoogleSpoke.retryPolicy(RetryPolicy(random: { random })), sleep: g.sleeper(waits))
        let emulator = g.emulator
        let budget = RequestBudget(perMinute: perMinute, now: { emulator.now }, sleep: g.sleeper(waits))
        return GoogleSpoke(settings: s, http: http, budget: budget)
    }

    func pullAll(_ spoke: GoogleSpoke, since cursor: SpokeCursor? = nil) async throws -> (items: Int, cursor: SpokeCursor?) {
        var page: PageToken?, items = 0, cursor = cursor
        repeat {
            let p = try await spoke.pull(since: cursor, page: page)
            items += p.changes.count
            page = p.next
            if p.next == nil { cursor = p.cursor }
        } while page != nil
        return (items, cursor)
    }

    @Test func theLimiterNeverExceedsTheQuotaInAnyMinute() async throws {
        try await with { g in
            for i in 0..<60 { try g.add("P\(i)") }
            // The quota's minute is the emulator's, moved by the spoke's waits alone.
            g.emulator.freezeClock()
            g.emulator.setQuota(requestsPerMinute: 10)
            let waits = Sleeps()
            // 12 pages at 10 a minute: a bucket that starts full let 20 through in the first minute.
            let (items, _) = try await pullAll(spoke(g, waits: waits, perMinute: 10, pageSize: 5, random: 1))
            #expect(items == 60)
            #expect(g.emulator.throttledCount == 0)
            #expect(g.emulator.requestCount("people.connections.list") == 12)
        }
    }

    @Test func theLastRetryWaitsForAFreshQuotaWindow() async throws {
        try await with { g in
            for i in 0..<2 { try g.add("P\(i)") }
            // The quota's minute is the emulator's, moved by the spoke's waits alone.
            g.emulator.freezeClock()
            g.emulator.setQuota(requestsPerMinute: 1)
            let waits = Sleeps()
            // The shortest jitter: backoffs of 2.5, 5 and 10 s all fall in the minute the quota
            // was spent in; the last wait is a full minute, so the last attempt gets through.
            let (items, _) = try await pullAll(spoke(g, waits: waits, perMinute: 1000, pageSize: 1, random: 0))
            #expect(items == 2)
            #expect(waits.all == [.milliseconds(2500), .seconds(5), .seconds(10), .seconds(60)])
        }
    }

    @Test func aQuietSyncIsTheListingAlone() async throws {
        try await with { g in
            for i in 0..<3 { try g.add("P\(i)") }
            let s = spoke(g, waits: Sleeps(), perMinute: 1000, pageSize: 100, random: 1)
            let first = try await pullAll(s)
            #expect(first.items == 3)
            g.emulator.resetCounters()
            let quiet = try await pullAll(s, since: first.cursor)
            #expect(quiet.items == 0)
            // With the token refresh of a real run, two requests: no contactGroups.list.
            #expect(g.emulator.requestCounts == ["people.connections.list": 1])
        }
    }

    /// A spoke that gives up at the first 429 (as a pass whose budget ran out would).
    func impatientSpoke(_ g: Google, pageSize: Int) -> GoogleSpoke {
        var s = g.settings
        s.pageSize = pageSize
        let http = ConnectorHTTPClient(
            transport: AHCTransport.shared(), auth: g.tokenSource().auth,
            retry: GoogleSpoke.retryPolicy(RetryPolicy(maxAttempts: 1, random: { 1 })), sleep: g.sleeper(Sleeps()))
        return GoogleSpoke(settings: s, http: http, requestsPerMinute: 1000)
    }

    /// 50 people, 5 pages, 3 requests a minute: the first pull stops at page 4; the next goes on
    /// from there (2 requests, not 5); or, when Google forgot the page, from page 1. Every
    /// person reaches the other spoke once.
    @Test(arguments: [false, true])
    func anInterruptedFirstPullGoesOnFromThePageItReached(pageExpires: Bool) async throws {
        try await with { g in
            for i in 0..<50 { try g.add(String(format: "Q%02d", i)) }
            var hub = try HubFixture()
            let google = try hub.add("google", .google, impatientSpoke(g, pageSize: 10))
            let other = MemorySpoke(name: "other")
            try hub.add("other", .memory, other)
            g.emulator.setQuota(requestsPerMinute: 3)

            let first = try await hub.sync()
            #expect(first.status == .partial)
            #expect(first.errors.contains { $0.contains("quota") })
            #expect(try hub.names().count == 30)
            #expect(try hub.store.spokeState(hub: hub.hub, spoke: google).resumePage != nil)

            g.emulator.advanceClock(by: 61)
            g.emulator.resetCounters()
            if pageExpires {
                g.emulator.expirePageTokens()
                g.emulator.setQuota(requestsPerMinute: nil)
            }
            let second = try await hub.sync()
            #expect(second.status == .succeeded, "\(second.errors)")
            // Pages 4 and 5; or the refused page 4, then pages 1 to 5.
            #expect(g.emulator.requestCount("people.connections.list") == (pageExpires ? 6 : 2))
            #expect(try hub.names().count == 50)
            let names = other.contacts.compactMap(\.givenName)
            #expect(names.count == 50 && Set(names).count == 50)
            #expect(try g.contacts().count == 50)

            // The listing that resumed is checked by a whole one; nothing changes.
            g.emulator.setQuota(requestsPerMinute: nil)
            let third = try await hub.sync()
            #expect(third.status == .succeeded, "\(third.errors)")
            #expect(third.stats.values.allSatisfy { $0.hubCreated + $0.hubDeleted + $0.pushedCreates == 0 })
            #expect(try hub.cursor(google) != nil)
            #expect(other.count == 50)
        }
    }
}
