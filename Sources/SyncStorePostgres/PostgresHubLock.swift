import Foundation
import Logging
import PostgresNIO
import SyncStore

/// One sync of a hub at a time across every machine sharing the database: a session advisory
/// lock on the hub, held on a connection of its own for as long as this object lives (a pass),
/// and released when it goes (or by the server when the connection drops, if the process dies).
public final class PostgresHubLock: Sendable {
    private let connection: PostgresConnection
    private let hub: String
    private let logger: Logger

    /// Nil when another session holds the hub.
    public static func acquire(_ database: PostgresURL, hub: String, logger: Logger = Logger(label: "hubsync.postgres")) throws
        -> PostgresHubLock?
    {
        var logger = logger
        if logger.logLevel < .notice { logger.logLevel = .notice }
        let pool = ConnectionPool(configuration: try database.configuration, limit: 1, busyAfter: 10, logger: logger)
        let connection = try pool.connect()
        do {
            let got = try Session(connection: connection, logger: logger)
                .one("SELECT pg_try_advisory_lock(hashtextextended('hub:' || \(hub), 0))", as: Bool.self)
            guard got == true else {
                try? (connection.close() as EventLoopFuture<Void>).wait()
                return nil
            }
        } catch {
            try? (connection.close() as EventLoopFuture<Void>).wait()
            throw error
        }
        return PostgresHubLock(connection: connection, hub: hub, logger: logger)
    }

    private init(connection: PostgresConnection, hub: String, logger: Logger) {
        self.connection = connection
        self.hub = hub
        self.logger = logger
    }

    /// Unlocks before returning, so the next pass (in this process too) finds the hub free.
    deinit {
        _ = try? Session(connection: connection, logger: logger)
            .execute("SELECT pg_advisory_unlock(hashtextextended('hub:' || \(hub), 0))")
        try? (connection.close() as EventLoopFuture<Void>).wait()
    }
}
