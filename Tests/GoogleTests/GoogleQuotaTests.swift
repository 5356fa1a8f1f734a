import ConnectorGoogle
import ConnectorHTTP
import ConnectorKit
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
}
