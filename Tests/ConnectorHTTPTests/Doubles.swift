import ConnectorHTTP
import Foundation
import Logging
import Synchronization
import TestSupport

/// Answers from a queue and records what it was sent; nothing goes on a network. It has one
/// "connection" per lane key, whose lane (and its logged-in state) lives as long as the transport.
final class ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case reply(Int, [(String, String)] = [], String = "")
        case fail(HTTPTransportError.Kind)
    }
    struct Exhausted: Error {}
    private let state: Mutex<(steps: [Step], requests: [HTTPRequest])>
    private let lanes = Mutex<(byKey: [LaneKey: HTTPLane], used: [LaneKey])>(([:], []))

    init(_ steps: [Step]) { state = Mutex((steps, [])) }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }
    /// The key of each lane taken, in order.
    var laneKeys: [LaneKey] { lanes.withLock { $0.used } }
    var authorizations: [String?] { requests.map { $0.header("Authorization") } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let step = try state.withLock { s in
            s.requests.append(request)
            guard !s.steps.isEmpty else { throw Exhausted() }
            return s.steps.removeFirst()
        }
        switch step {
        case .reply(let status, let headers, let body):
            return HTTPResponse(status: status, headers: headers, body: Data(body.utf8), url: request.url)
        case .fail(let kind):
            throw HTTPTransportError(kind, "scripted \(kind)")
        }
    }

    func withLane<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T {
        let lane = lanes.withLock { l in
            l.used.append(key)
            if let lane = l.byKey[key] { return lane }
            let lane = HTTPLane { try await self.send($0) }
            l.byKey[key] = lane
            return lane
        }
        return try await body(lane)
    }
}

/// Keeps every log line with its metadata, to check what is (not) logged.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.message) \(all)") }
        }
    }
}

let exampleURL = URL(string: "https://dav.example.org/dav/")!

/// A policy whose jitter is pinned (full delay) so waits are exact.
func exactRetry(maxAttempts: Int = 5, maxDelay: Duration = .seconds(30), now: Date = Date()) -> RetryPolicy {
    RetryPolicy(maxAttempts: maxAttempts, maxDelay: maxDelay, random: { 1 }, now: { now })
}

/// An AHCTransport shut down on every path (see `withResource`).
func withTransport<T>(
    _ make: @autoclosure () -> AHCTransport = AHCTransport(), _ body: (AHCTransport) async throws -> T
) async throws -> T {
    try await withResource({ make() }, close: { try await $0.shutdown() }, body)
}
