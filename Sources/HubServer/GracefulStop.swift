import Foundation
import Logging
import ServiceLifecycle

/// How a server (or a worker) ends its running passes on SIGTERM: it lets them finish within
/// `grace`, then cancels what remains. A cancelled pass ends like a crashed one would, and the
/// engine's crash-safety (intents, commits in order) keeps the hub consistent for the next pass.
public struct GracefulStop: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Everything finished within the grace.
        case finished
        /// The grace ran out: what remained was cancelled, and has ended.
        case cancelled
    }

    public var grace: Duration
    /// Injected: tests end the grace when they choose, without sleeping.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(grace: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.grace = grace
        self.sleep = sleep
    }

    /// Waits for `waitAll` up to the grace; past it calls `cancelAll` and waits for the work
    /// to end. `waitAll` must end once the work is cancelled.
    public func run(waitAll: @escaping @Sendable () async -> Void, cancelAll: @escaping @Sendable () -> Void) async -> Outcome {
        await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                await waitAll()
                return .finished
            }
            group.addTask {
                // Cancelled when the work finished first; either way the grace is over.
                try? await sleep(grace)
                return .cancelled
            }
            let first = await group.next() ?? .finished
            if first == .cancelled { cancelAll() }
            group.cancelAll()
            // The group still waits for `waitAll`: the cancelled work must have ended.
            return first
        }
    }
}

/// The server's part of a graceful shutdown, as a service (its shutdown comes once the web
/// server has stopped taking requests): no new pass starts, `/readyz` says so, and the running
/// passes get the grace.
struct Drain: Service {
    let runner: SyncRunner
    let readiness: Readiness
    let stop: GracefulStop
    let logger: Logger

    func run() async throws {
        // Cancelled (not a shutdown): the app's stop() waits for the passes itself.
        do { try await gracefulShutdown() } catch { return }
        readiness.stopping()
        runner.stopTaking()
        let outcome = await stop.run(waitAll: { await runner.waitAll() }, cancelAll: { runner.cancelAll() })
        if outcome == .cancelled {
            logger.notice("shutdown: passes still running after the grace were cancelled; their hubs resume at the next pass")
        }
    }
}
