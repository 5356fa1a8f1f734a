import AsyncHTTPClient
import NIOCore
import ConnectorKit
import Synchronization

/// AHCTransport's lanes: per key, AsyncHTTPClients that keep one connection per host each, so
/// the requests of a lane go over the same connection while it stays open. Kept for the life of
/// the transport (an AsyncHTTPClient must be shut down, not dropped) and shut down with it.
final class AHCLanes: Sendable {
    /// Lanes per key at most; past it exchanges wait for one to come free. One HTTPClient holds at
    /// most `maxConcurrent` at a time; this bounds several clients that share a credential.
    static let limit = 16

    private final class Pool: Sendable {
        let limiter = Limiter(limit: AHCLanes.limit)
        /// Free lanes; the last freed is taken first, its connection the likeliest still logged in.
        let idle = Mutex<[HTTPLane]>([])
    }

    private struct State {
        var pools: [LaneKey: Pool] = [:]
        var clients: [AsyncHTTPClient.HTTPClient] = []
        var shutDown = false
    }

    private let state = Mutex(State())
    private let timeout: TimeAmount
    private let maxBody: Int
    private let makeClient: @Sendable () -> AsyncHTTPClient.HTTPClient

    init(timeout: TimeAmount, maxBody: Int, makeClient: @escaping @Sendable () -> AsyncHTTPClient.HTTPClient) {
        self.timeout = timeout
        self.maxBody = maxBody
        self.makeClient = makeClient
    }

    func with<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T {
        let pool = try state.withLock { s in
            guard !s.shutDown else { throw HTTPTransportError(.invalidRequest, "the transport is shut down") }
            if let pool = s.pools[key] { return pool }
            let pool = Pool()
            s.pools[key] = pool
            return pool
        }
        try await pool.limiter.acquire()
        defer { pool.limiter.release() }
        let lane = try pool.idle.withLock { $0.popLast() } ?? newLane()
        defer { pool.idle.withLock { $0.append(lane) } }
        return try await body(lane)
    }

    private func newLane() throws -> HTTPLane {
        try state.withLock { s in
            guard !s.shutDown else { throw HTTPTransportError(.invalidRequest, "the transport is shut down") }
            let client = makeClient()
            s.clients.append(client)
            let (timeout, maxBody) = (self.timeout, self.maxBody)
            return HTTPLane { try await AHCTransport.execute($0, on: client, timeout: timeout, maxBody: maxBody) }
        }
    }

    func shutdown() async throws {
        let clients = state.withLock { s in
            s.shutDown = true
            return s.clients
        }
        for client in clients { try await client.shutdown() }
    }
}
