import ConnectorHTTP
import ConnectorKit
import Foundation
import Synchronization
import Testing
import TestSupport

@Suite struct RetryTests {
    @Test(arguments: [500, 502, 503, 504, 429])
    func retriesServerErrorsAndThrottling(status: Int) async throws {
        let transport = ScriptedTransport([.reply(status), .reply(200, [], "ok")])
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: sleeps.sleeper)
        let response = try await client.send(HTTPRequest(.get, exampleURL))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "ok")
        #expect(sleeps.all == [.milliseconds(500)])
        #expect(client.requestsSent == 2)
    }

    @Test func backoffDoublesUpToTheCapAndReturnsTheLastResponse() async throws {
        let transport = ScriptedTransport(Array(repeating: .reply(503), count: 5))
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(maxDelay: .seconds(1)), sleep: sleeps.sleeper)
        let response = try await client.send(HTTPRequest(.get, exampleURL))
        #expect(response.status == 503)
        #expect(sleeps.all == [.milliseconds(500), .seconds(1), .seconds(1), .seconds(1)])
        #expect(client.requestsSent == 5)
    }

    @Test func jitterSpreadsBetweenHalfAndFullDelay() {
        let low = RetryPolicy(random: { 0 }), high = RetryPolicy(random: { 1 })
        #expect(low.backoff(after: 3) == .seconds(1))
        #expect(high.backoff(after: 3) == .seconds(2))
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
        let transport = ScriptedTransport([.reply(503, [("Retry-After", "7")]), .reply(200)])
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: sleeps.sleeper)
        #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == 200)
        #expect(sleeps.all == [.seconds(7)])
    }

    @Test func retryAfterHTTPDateIsMeasuredFromNow() async throws {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        let transport = ScriptedTransport([.reply(429, [("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]), .reply(200)])
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(now: now), sleep: sleeps.sleeper)
        #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == 200)
        #expect(sleeps.all == [.seconds(30)])
    }

    @Test func retryAfterBeyondTheCapMakesTheSpokeUnavailable() async throws {
        let transport = ScriptedTransport([.reply(503, [("Retry-After", "600")])])
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: sleeps.sleeper)
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("600 s") == true)
        #expect(sleeps.all.isEmpty)
        #expect(client.requestsSent == 1)
    }

    @Test func transportErrorsAreRetriedThenUnavailable() async throws {
        let transport = ScriptedTransport([.fail(.connection), .fail(.timeout), .fail(.connection), .fail(.connection), .fail(.connection)])
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: sleeps.sleeper)
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unavailable)
        #expect(error?.description.hasPrefix("the server at https://dav.example.org (GET /dav/): could not reach the server") == true)
        #expect(sleeps.all.count == 4)
        #expect(client.requestsSent == 5)
    }

    @Test func aRequestThatMayHaveLandedIsNotSentAgain() async throws {
        let transport = ScriptedTransport([.fail(.connection), .reply(200)])
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: Sleeps().sleeper)
        var create = HTTPRequest(.post, exampleURL, body: Data("create".utf8))
        create.replayable = false
        let error = await #expect(throws: ConnectorError.self) { try await client.send(create) }
        #expect(error?.kind == .unavailable)
        #expect(client.requestsSent == 1)
        // A throttled answer is not that: the server did not act, so it is retried.
        let throttled = ScriptedTransport([.reply(503), .reply(200)])
        let again = HTTPClient(transport: throttled, retry: exactRetry(), sleep: Sleeps().sleeper)
        #expect(try await again.send(create).status == 200)
    }

    @Test func aTransportErrorThenSuccessIsFine() async throws {
        let transport = ScriptedTransport([.fail(.connection), .reply(200)])
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: Sleeps().sleeper)
        #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == 200)
    }

    @Test func certificateFailuresAreNotRetried() async throws {
        let transport = ScriptedTransport([.fail(.tls), .reply(200)])
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: Sleeps().sleeper)
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .misconfigured)
        // A handshake that fails without naming the certificate: the port may not speak TLS at all.
        #expect(error?.message == "scripted tls (does the server speak https on this port?)")
        #expect(client.requestsSent == 1)
    }

    @Test(arguments: [400, 403, 404, 409, 412, 501])
    func otherStatusesAreReturnedAtOnce(status: Int) async throws {
        let transport = ScriptedTransport([.reply(status), .reply(200)])
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: sleeps.sleeper)
        #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == status)
        #expect(sleeps.all.isEmpty)
        #expect(client.requestsSent == 1)
    }

    @Test func aRetryResendsTheRequestAsGiven() async throws {
        let transport = ScriptedTransport([.reply(502), .reply(201)])
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: Sleeps().sleeper)
        let body = Data("BEGIN:VCARD".utf8)
        _ = try await client.send(HTTPRequest(.put, exampleURL.appendingPathComponent("a.vcf"),
                                              headers: [("If-Match", "\"e1\""), ("Content-Type", "text/vcard")], body: body))
        let sent = transport.requests
        #expect(sent.count == 2)
        for request in sent {
            #expect(request.method == .put && request.body == body && request.header("if-match") == "\"e1\"")
            #expect(request.url.path == "/dav/a.vcf")
            #expect(request.header("User-Agent") == "HubSync/0.1")
        }
    }

    @Test(.timeLimit(.minutes(1))) func noMoreThanMaxConcurrentRequestsInFlight() async throws {
        let transport = CountingTransport()
        let client = HTTPClient(transport: transport, maxConcurrent: 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 { group.addTask { _ = try await client.send(HTTPRequest(.get, exampleURL)) } }
            try await group.waitForAll()
        }
        #expect(transport.peak == 3)
        #expect(client.requestsSent == 12)
    }
}

/// Holds each request until three are in flight, then lets those three go, and records the peak
/// (no busy waiting: the request deadline's timer tasks made a yield loop crawl on a loaded machine).
final class CountingTransport: HTTPTransport {
    private let state = Mutex((now: 0, peak: 0, waiting: [CheckedContinuation<Void, Never>]()))
    var peak: Int { state.withLock { $0.peak } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
            let release: [CheckedContinuation<Void, Never>] = state.withLock { s in
                s.now += 1
                s.peak = max(s.peak, s.now)
                s.waiting.append(cont)
                guard s.now >= 3 else { return [] }
                defer { s.waiting = [] }
                return s.waiting
            }
            for c in release { c.resume() }
        }
        state.withLock { $0.now -= 1 }
        return HTTPResponse(status: 200, url: request.url)
    }
}
