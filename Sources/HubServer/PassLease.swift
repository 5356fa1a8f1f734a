import Foundation
import Logging
import SyncModel
import SyncStore

/// How a process holds the hubs it syncs against every other process of the installation
/// (workers, servers, on any machine): a lease in the store, renewed while the pass runs.
public struct PassLease: Sendable {
    public let store: any HubLeaseStore
    public let worker: WorkerID
    /// A lease lives this long unless renewed; renewed every third of it, so a worker that dies
    /// hands its hubs on within one length.
    public var length: TimeInterval
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        store: any HubLeaseStore, worker: WorkerID, length: TimeInterval = 60,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.store = store
        self.worker = worker
        self.length = length
        self.sleep = sleep
    }

    /// A name unique to this process: host, pid and a random part.
    public static func newWorkerID() -> WorkerID {
        WorkerID("\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(Token.readable(4))")
    }

    func acquire(_ hub: HubID, now: Date) throws -> Bool {
        try store.acquireLease(hub: hub, worker: worker, now: now, until: now.addingTimeInterval(length))
    }

    /// Runs `pass` while renewing the lease; a lease lost (this process stalled past its
    /// length and another took the hub) cancels the pass, so two never write one hub at once.
    /// The lease is released at the end, answering requests made before `began`.
    func holding(_ hub: HubID, began: Date, clock: @escaping @Sendable () -> Date, logger: Logger, _ pass: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await pass()
                return true
            }
            group.addTask { [self] in
                while !Task.isCancelled {
                    do { try await sleep(.milliseconds(Int(length * 1000 / 3))) } catch { return false }
                    do {
                        guard try store.renewLease(hub: hub, worker: worker, until: clock().addingTimeInterval(length)) else {
                            logger.error("lease lost: another worker took the hub; stopping this pass", metadata: ["hub": "\(hub)"])
                            return false
                        }
                    } catch {
                        // The store unreachable for a moment: the lease may still be live; try again.
                        logger.warning("lease not renewed", metadata: ["hub": "\(hub)", "error": "\(error)"])
                    }
                }
                return false
            }
            _ = await group.next()
            group.cancelAll()
            await group.waitForAll()
        }
        release(hub, served: began, logger: logger)
    }

    /// Hands the hub back; a request made at or before `served` was answered.
    func release(_ hub: HubID, served: Date? = nil, logger: Logger) {
        do {
            try store.releaseLease(hub: hub, worker: worker, served: served)
        } catch {
            // It expires by itself.
            logger.warning("lease not released", metadata: ["hub": "\(hub)", "error": "\(error)"])
        }
    }
}
