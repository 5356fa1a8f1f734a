import Foundation
import SyncModel

/// One sync of a hub at a time on this machine: a cron job and a hand-run `hubsync sync` must
/// not push the same creates twice. An advisory lock (flock) on a file next to the database,
/// released by the kernel if the process dies. (Many workers sharing PostgreSQL will lease
/// hubs in the database instead.)
final class HubLock {
    private let fd: Int32

    /// Nil when another process holds the hub.
    init?(database: String, hub: String) throws {
        let path = database + ".\(hub).lock"
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Runs an admin change (restore, holds approve/reject, spoke remove, hub delete) under the
    /// hub's lock, so it never interleaves with a sync of the hub in another process.
    static func exclusive<T>(database: String, hub: HubID, _ body: () throws -> T) throws -> T {
        guard let lock = try HubLock(database: database, hub: hub.rawValue) else {
            throw CLIError("hub \(hub) is being synced by another process; try again when it is done")
        }
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}
