import Foundation
import GRDB
import SyncStore

extension SQLiteStore: WebStateStore {
    // MARK: Sessions

    public func insertSession(_ s: WebSession) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO web_sessions (id_hash, user, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
                arguments: [s.idHash, s.user, s.csrf, s.createdAt.timeIntervalSinceReferenceDate, s.lastSeen.timeIntervalSinceReferenceDate])
        }
    }

    public func session(idHash: String) throws -> WebSession? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id_hash, user, csrf, created_at, last_seen FROM web_sessions WHERE id_hash = ?", arguments: [idHash])
                .map { row in
                    WebSession(
                        idHash: row["id_hash"], user: row["user"], csrf: row["csrf"], createdAt: Self.date(row["created_at"]),
                        lastSeen: Self.date(row["last_seen"]))
                }
        }
    }

    public func touchSession(idHash: String, at: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE web_sessions SET last_seen = ? WHERE id_hash = ?", arguments: [at.timeIntervalSinceReferenceDate, idHash])
        }
    }

    public func deleteSession(idHash: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM web_sessions WHERE id_hash = ?", arguments: [idHash]) }
    }

    // MARK: Sign-in rate limit

    public func signInFailures(user: String, peer: String, since: Date) throws -> SignInFailures {
        let t = since.timeIntervalSinceReferenceDate
        return try read { db in
            var f = SignInFailures()
            if let row = try Row.fetchOne(
                db, sql: "SELECT failures, last_failure FROM sign_in_users WHERE user_key = ? AND last_failure > ?", arguments: [user, t])
            {
                f.userFailures = row["failures"]
                f.userLastFailure = Self.date(row["last_failure"])
            }
            if let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*), MIN(at) FROM sign_in_peer_failures WHERE peer = ? AND at > ?", arguments: [peer, t])
            {
                f.peerFailures = row[0]
                f.peerOldestFailure = (row[1] as Double?).map(Self.date)
            }
            f.peerTrusted = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sign_in_trusted WHERE peer = ?)", arguments: [peer]) ?? false
            return f
        }
    }

    public func recordSignInFailure(user: String, peer: String, at: Date, since: Date) throws {
        let now = at.timeIntervalSinceReferenceDate, t = since.timeIntervalSinceReferenceDate
        try write { db in
            // One transaction: failures on two servers at once both count.
            try db.execute(
                sql: """
                    INSERT INTO sign_in_users (user_key, failures, last_failure) VALUES (?, 1, ?)
                    ON CONFLICT(user_key) DO UPDATE SET
                        failures = CASE WHEN last_failure > ? THEN failures + 1 ELSE 1 END, last_failure = excluded.last_failure
                    """,
                arguments: [user, now, t])
            try db.execute(sql: "INSERT INTO sign_in_peer_failures (peer, at) VALUES (?, ?)", arguments: [peer, now])
            // What left the window is dropped here, for every address: the table holds one window.
            try db.execute(sql: "DELETE FROM sign_in_peer_failures WHERE at <= ?", arguments: [t])
        }
    }

    public func recordSignInSuccess(user: String, peer: String, at: Date) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM sign_in_users WHERE user_key = ?", arguments: [user])
            try db.execute(
                sql: "INSERT INTO sign_in_trusted (peer, at) VALUES (?, ?) ON CONFLICT(peer) DO UPDATE SET at = excluded.at",
                arguments: [peer, at.timeIntervalSinceReferenceDate])
        }
    }

    // MARK: OAuth sign-ins

    public func insertSignIn(_ s: PendingSignIn) throws {
        do {
            try write { db in
                try db.execute(
                    sql: "INSERT INTO oauth_sign_ins (id_hash, pending, sealed, expires_at) VALUES (?, ?, ?, ?)",
                    arguments: [s.idHash, s.pending, s.sealed, s.expiresAt.timeIntervalSinceReferenceDate])
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.conflict, "the sign-in exists already")
        }
    }

    public func signIn(idHash: String, now: Date) throws -> PendingSignIn? {
        let found = try read { db in
            try Row.fetchOne(db, sql: "SELECT id_hash, pending, sealed, expires_at FROM oauth_sign_ins WHERE id_hash = ?", arguments: [idHash])
                .map { PendingSignIn(idHash: $0["id_hash"], pending: $0["pending"], sealed: $0["sealed"], expiresAt: Self.date($0["expires_at"])) }
        }
        guard let found else { return nil }
        guard now < found.expiresAt else {
            try deleteSignIn(idHash: idHash)
            return nil
        }
        return found
    }

    public func replaceSignIn(_ s: PendingSignIn, ifPending: Bool) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE oauth_sign_ins SET pending = ?, sealed = ?, expires_at = ? WHERE id_hash = ? AND pending = ?",
                arguments: [s.pending, s.sealed, s.expiresAt.timeIntervalSinceReferenceDate, s.idHash, ifPending])
            return db.changesCount == 1
        }
    }

    public func deleteSignIn(idHash: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM oauth_sign_ins WHERE id_hash = ?", arguments: [idHash]) }
    }

    // MARK: Setup code

    public func setupCode(creating candidate: String) throws -> String {
        if let code = try read({ db in try String.fetchOne(db, sql: "SELECT code FROM setup_code") }) { return code }
        return try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO setup_code (singleton, code) VALUES (1, ?)", arguments: [candidate])
            return try String.fetchOne(db, sql: "SELECT code FROM setup_code") ?? candidate
        }
    }

    public func deleteSetupCode() throws {
        try write { db in try db.execute(sql: "DELETE FROM setup_code") }
    }

    // MARK: API tokens

    private static let tokenColumns = "token_id, name, token_hash, scope, created_by, created_at, last_used"

    public func apiTokens() throws -> [APIToken] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.tokenColumns) FROM api_tokens ORDER BY created_at DESC, token_id DESC").map(Self.token)
        }
    }

    public func apiToken(hash: String) throws -> APIToken? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.tokenColumns) FROM api_tokens WHERE token_hash = ?", arguments: [hash]).map(Self.token)
        }
    }

    public func insertAPIToken(_ t: APIToken) throws {
        do {
            try write { db in
                try db.execute(
                    sql: "INSERT INTO api_tokens (\(Self.tokenColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        t.id, t.name, t.tokenHash, t.scope.rawValue, t.createdBy, t.createdAt.timeIntervalSinceReferenceDate,
                        t.lastUsed?.timeIntervalSinceReferenceDate,
                    ])
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.conflict, "API token \(t.id) exists already")
        }
    }

    public func deleteAPIToken(id: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM api_tokens WHERE token_id = ?", arguments: [id])
            return db.changesCount == 1
        }
    }

    public func touchAPIToken(id: String, at: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE api_tokens SET last_used = ? WHERE token_id = ?", arguments: [at.timeIntervalSinceReferenceDate, id])
        }
    }

    private static func token(_ row: Row) throws -> APIToken {
        let raw: String = row["scope"]
        guard let scope = APITokenScope(rawValue: raw) else {
            throw StoreError(.corrupt, "API token \(row["token_id"] as String? ?? "?") has an unknown scope")
        }
        return APIToken(
            id: row["token_id"], name: row["name"], tokenHash: row["token_hash"], scope: scope, createdBy: row["created_by"],
            createdAt: date(row["created_at"]), lastUsed: (row["last_used"] as Double?).map(date))
    }

    // MARK: Sweep

    public func sweepWebState(now: Date, sessionsSeenBefore: Date, failuresBefore: Date) throws {
        let f = failuresBefore.timeIntervalSinceReferenceDate
        try write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE last_seen < ?", arguments: [sessionsSeenBefore.timeIntervalSinceReferenceDate])
            try db.execute(sql: "DELETE FROM oauth_sign_ins WHERE expires_at <= ?", arguments: [now.timeIntervalSinceReferenceDate])
            try db.execute(sql: "DELETE FROM sign_in_users WHERE last_failure < ?", arguments: [f])
            try db.execute(sql: "DELETE FROM sign_in_peer_failures WHERE at < ?", arguments: [f])
        }
    }

    private static func date(_ t: Double) -> Date { Date(timeIntervalSinceReferenceDate: t) }
}
