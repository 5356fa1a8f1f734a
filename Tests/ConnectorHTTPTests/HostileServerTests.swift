import ConnectorHTTP
import ConnectorKit
import Foundation
import Synchronization
import Testing
import TestSupport

/// Never answers; ends only when cancelled, as AsyncHTTPClient does with a trickling server.
final class StuckTransport: HTTPTransport {
    let sent = Atomic<Int>(0)
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        sent.add(1, ordering: .relaxed)
        try await Task.sleep(for: .seconds(3600))
        throw HTTPTransportError(.connection, "unreachable")
    }
}

/// Servers that answer too slowly or throttle forever fail their request in bounded time.
@Suite struct HostileServerTests {
    @Test func aRequestPastItsDeadlineIsTooSlowAndNotResent() async throws {
        let transport = StuckTransport()
        // The deadline's clock ends at once: no test waits for it.
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: Sleeps().sleeper,
                                deadline: .seconds(120), deadlineTimer: { _ in })
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.report, exampleURL)) }
        #expect(error?.kind == .unavailable)
        #expect(error?.description == "the server at https://dav.example.org (REPORT /dav/): the server is too slow: "
            + "the request took more than 120 s (headers and body); stopped waiting")
        #expect(transport.sent.load(ordering: .relaxed) == 1)
    }

    @Test func theDeadlineDoesNotTouchAPromptAnswer() async throws {
        let transport = ScriptedTransport([.reply(200, [], "ok")])
        let client = HTTPClient(transport: transport, deadlineTimer: { _ in try await Task.sleep(for: .seconds(3600)) })
        #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == 200)
    }

    @Test func retryAfterIsCappedForTheWholeRequest() async throws {
        let transport = ScriptedTransport(Array(repeating: .reply(503, [("Retry-After", "100")]), count: 5))
        let sleeps = Sleeps()
        let client = HTTPClient(transport: transport, retry: exactRetry(), sleep: sleeps.sleeper)
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unavailable)
        // One wait of 100 s (under the 120 s cap), then the sum would pass it: not eight minutes.
        #expect(sleeps.all == [.seconds(100)])
        #expect(client.requestsSent == 2)
        #expect(error?.description.hasPrefix("the server at https://dav.example.org (GET /dav/): the server still answers 503 "
            + "after 2 attempts and 100 s of waiting") == true, "\(error?.description ?? "")")
    }

    @Test func eachRequestIsLoggedWithItsURLStatusAndTimeButNoQuery() async throws {
        let logs = LogCapture()
        let client = HTTPClient(transport: ScriptedTransport([.reply(207)]), logger: logs.logger)
        _ = try await client.send(HTTPRequest(.report, URL(string: "https://dav.example.org/dav/book/?token=SECRET")!))
        let line = try #require(logs.all.first)
        #expect(line.hasPrefix("REPORT https://dav.example.org/dav/book/ → 207 in "), "\(line)")
        #expect(!line.contains("SECRET"))
    }

    @Test func aRefusedConnectionReadsInPlainWords() async throws {
        let transport = AHCTransport()
        let client = HTTPClient(transport: transport, retry: exactRetry(maxAttempts: 1))
        // Port 1 on loopback: nothing listens there.
        let error = await #expect(throws: ConnectorError.self) {
            try await client.send(HTTPRequest(.propfind, URL(string: "http://127.0.0.1:1/dav/")!))
        }
        try await transport.shutdown()
        let text = error?.description ?? ""
        #expect(text == "the server at http://127.0.0.1:1 (PROPFIND /dav/): could not reach the server: the connection "
            + "was refused (is the server running, and the port right?)")
        for word in ["errno", "error set", "NIO", "HTTPClientError", "Error("] { #expect(!text.contains(word), "\(text)") }
    }
}

/// A real server trickling its answer, through the production transport.
@Suite(.serialized) struct SlowServerTests {
    @Test(arguments: ["/trickle-body", "/trickle-headers"])
    func aTricklingServerFailsTheRequestAtItsDeadline(path: String) async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let transport = AHCTransport()
        let client = HTTPClient(transport: transport, retry: exactRetry(), deadline: .seconds(1))
        let start = ContinuousClock.now
        let error = await #expect(throws: ConnectorError.self) {
            try await client.send(HTTPRequest(.get, URL(string: "http://127.0.0.1:\(server.port)\(path)")!))
        }
        #expect(error?.description.contains("the server at http://127.0.0.1:\(server.port) (GET \(path)): the server is too slow")
                == true, "\(error?.description ?? "")")
        // The whole answer would take 40 s (the margin is for a loaded machine: 12 s seen in a full run).
        #expect(ContinuousClock.now - start < .seconds(30))
        try await transport.shutdown()
    }
}
