import Foundation
import SyncModel
import SyncStorePostgres

/// One sync of a hub at a time: a cron job and a hand-run `hubsync sync` must not push the same
/// creates twice. With SQLite, an advisory lock (flock) on a file next to the database, released
/// by the kernel if the process dies; with PostgreSQL, a session advisory lock in the database,
/// so processes on other machines are kept out too.
final class HubLock {
    private let fd: Int32
    private let remote: PostgresHubLock?

    /// Nil when another process holds the hub.
    init?(database: String, hub: String) throws {
        if PostgresURL.isPostgres(database) {
            guard let lock = try PostgresHubLock.acquire(PostgresURL(database), hub: hub) else { return nil }
            remote = lock
            fd = -1
            return
        }
        remote = nil
        let path = database + ".\(hub).lock"
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
    }

    deinit {
        guard fd >= 0 else { return }
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
