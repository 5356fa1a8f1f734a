import Foundation
import PostgresNIO
import SyncModel
import SyncStore

/// "Sync now" reaches every worker at once: `requestSync` notifies `hubsync_sync_requested`
/// (in its transaction, so the notice follows the request's commit) and each worker listens
/// on a connection of its own. Only a wake-up: a notice lost while a listener reconnects costs
/// at most a poll.
extension PostgresStore: SyncRequestNotices {
    static let requestChannel = "hubsync_sync_requested"

    public func syncRequestNotices() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let pool = pool
        // Off the cooperative pool: tests and servers that block it must not starve the listener.
        let task = Task(executorPreference: PassThreads.shared) {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(
                        on: ConnectionPool.loops.next(), configuration: pool.configuration, id: 0, logger: pool.logger)
                    defer { ConnectionPool.close(connection) }
                    try await connection.listen(on: Self.requestChannel) { notices in
                        // Requests made while the listener was away are found by this first look.
                        continuation.yield()
                        for try await _ in notices { continuation.yield() }
                    }
                } catch {
                    if Task.isCancelled { break }
                    pool.logger.warning("not listening for sync requests; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(5))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
