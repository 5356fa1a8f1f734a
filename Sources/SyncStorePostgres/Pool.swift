import Foundation
import Logging
import PostgresNIO
import SyncStore

/// The store's connections: up to `limit` open at once, each used by one caller at a time.
///
/// The store's API is synchronous (like GRDB's), so a caller blocks until its statement is done.
/// The network work runs on this module's own event loops through postgres-nio's
/// EventLoopFuture API and `wait()`: no Swift task is ever involved, so a caller blocking a
/// cooperative-pool thread never waits for work that needs that pool (two cores would deadlock),
/// and no caller runs on these loops (nothing but postgres-nio uses them), so `wait()` is safe.
final class ConnectionPool: @unchecked Sendable {
    /// Shared by every store of the process and never shut down: two threads carry any number of
    /// connections (a connection's work is I/O, the callers' threads do the decoding).
    static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// The longest any statement may run.
    static let statementLimit: TimeInterval = 300

    let configuration: PostgresConnection.Configuration
    let logger: Logger
    let limit: Int
    /// How long a caller waits for a free connection, or for a row lock (lock_timeout), before
    /// `.busy`: SQLite's busy timeout.
    let busyAfter: TimeInterval

    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0

    init(configuration: PostgresConnection.Configuration, limit: Int, busyAfter: TimeInterval, logger: Logger) {
        self.configuration = configuration
        self.limit = limit
        self.busyAfter = busyAfter
        self.logger = logger
    }

    deinit {
        for c in idle { try? (c.close() as EventLoopFuture<Void>).wait() }
    }

    /// A new connection outside the pool (the hub locks hold one each for a whole pass).
    func connect() throws -> PostgresConnection {
        condition.lock()
        nextID += 1
        let id = nextID
        condition.unlock()
        let c = try Session.mapErrors {
            try PostgresConnection.connect(on: Self.loops.next(), configuration: configuration, id: id, logger: logger).wait()
        }
        do {
            let session = Session(connection: c, logger: logger)
            _ = try session.execute("SET lock_timeout = \(unescaped: "'\(Int(busyAfter * 1000))ms'")")
            // No statement may hang a pass: every one is bounded (a batch is), so one running
            // this long is stuck, and ends as `.busy` (57014) for the pass to fail and retry.
            _ = try session.execute("SET statement_timeout = \(unescaped: "'\(Int(Self.statementLimit * 1000))ms'")")
        } catch {
            Self.close(c)
            throw error
        }
        return c
    }

    /// Runs `body` with a connection of the pool. A statement the server refused leaves the
    /// connection usable; a broken one is closed (by postgres-nio, or by `transaction` when its
    /// ROLLBACK fails) and not given back.
    func with<T>(_ body: (Session) throws -> T) throws -> T {
        let c = try lease()
        defer { give(c) }
        return try body(Session(connection: c, logger: logger))
    }

    /// Starts closing a connection (nobody waits for it); kept alive until closed (postgres-nio
    /// asserts that a connection is closed before it goes).
    static func close(_ c: PostgresConnection) {
        let closing: EventLoopFuture<Void> = c.close()
        closing.whenComplete { _ in withExtendedLifetime(c) {} }
    }

    /// One transaction: COMMIT when `body` returns, ROLLBACK when it throws.
    @discardableResult
    func transaction<T>(durable: Bool, _ body: (Session) throws -> T) throws -> T {
        try with { s in
            _ = try s.execute("BEGIN")
            do {
                // Commits are flushed to disk unless told otherwise: a batch that may be lost
                // with the last moments before a power cut need not wait for the flush (SQLite's
                // synchronous=NORMAL), while an intent's batch must not be lost.
                if !durable { _ = try s.execute("SET LOCAL synchronous_commit = off") }
                let result = try body(s)
                _ = try s.execute("COMMIT")
                return result
            } catch {
                do {
                    _ = try s.execute("ROLLBACK")
                } catch {
                    try? (s.connection.close() as EventLoopFuture<Void>).wait()
                }
                throw error
            }
        }
    }

    private func lease() throws -> PostgresConnection {
        let deadline = Date(timeIntervalSinceNow: busyAfter)
        condition.lock()
        while true {
            while let c = idle.popLast() {
                if !c.isClosed {
                    condition.unlock()
                    return c
                }
                open -= 1
            }
            if open < limit {
                open += 1
                condition.unlock()
                do {
                    return try connect()
                } catch {
                    condition.lock()
                    open -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw StoreError(.busy, "all \(limit) database connections stayed busy for \(Int(busyAfter)) s")
            }
        }
    }

    private func give(_ c: PostgresConnection) {
        condition.lock()
        if !c.isClosed {
            idle.append(c)
        } else {
            open -= 1
            Self.close(c)
        }
        condition.signal()
        condition.unlock()
    }
}

/// One leased connection: statements in, rows out, every failure a `StoreError`.
struct Session {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try Self.mapErrors { try connection.query(query, logger: logger).wait().map { $0.makeRandomAccess() } }
    }

    /// The number of rows the statement changed.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try Self.mapErrors { try connection.query(query, logger: logger).wait().metadata.rows ?? 0 }
    }

    func one<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> T? {
        guard let row = try rows(query).first else { return nil }
        return try Self.mapErrors { try row[0].decode(T.self) }
    }

    /// Unique violations are conflicts; lock and connection waits past the limit, deadlocks and
    /// serialization failures are `.busy` (try again); damaged data is corruption; the rest I/O.
    /// The message is the server's (never the query's binds, which may hold sealed secrets).
    static func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StoreError {
            throw e
        } catch let e as PSQLError {
            guard e.code == .server, let state = e.serverInfo?[.sqlState] else {
                // The cause (connection refused, no such socket), which never holds the password.
                throw StoreError(.io, "PostgreSQL: \(e.code)" + (e.underlying.map { ": \($0)" } ?? ""))
            }
            let message = "PostgreSQL: " + (e.serverInfo?[.message] ?? state) + " (\(state))"
            switch state {
            case "23505": throw StoreError(.conflict, message)
            case "40001", "40P01", "55P03", "57014", "53300": throw StoreError(.busy, message)
            case "XX001", "XX002": throw StoreError(.corrupt, message)
            default: throw StoreError(.io, message)
            }
        } catch let e as PostgresDecodingError {
            throw StoreError(.corrupt, "undecodable column \(e.columnName) (\(e.code))")
        } catch {
            throw StoreError(.io, "PostgreSQL: \(error)")
        }
    }
}

extension PostgresRandomAccessRow {
    /// Column `index` as `T` (decoding failures are corruption).
    func get<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T {
        try Session.mapErrors { try self[index].decode(T.self) }
    }
}
