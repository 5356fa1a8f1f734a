import Foundation
import NIOCore
import PostgresNIO
import SyncStore

// The web servers' shared state: reference tables like `accounts`. Sessions, the rate limit's
// counters and sign-ins under way are written without waiting for the disk (a crash may at worst
// sign someone out or forget a failed attempt); API tokens and the setup code durably.
extension PostgresStore: WebStateStore {
    // MARK: Sessions

    public func insertSession(_ w: WebSession) throws {
        try pool.transaction(durable: false) { s in
            try s.execute("""
                INSERT INTO web_sessions (id_hash, user_name, csrf, created_at, last_seen)
                VALUES (\(w.idHash), \(w.user), \(w.csrf), \(w.createdAt.storeValue), \(w.lastSeen.storeValue))
                ON CONFLICT (id_hash) DO UPDATE SET user_name = excluded.user_name, csrf = excluded.csrf,
                    created_at = excluded.created_at, last_seen = excluded.last_seen
                """)
        }
    }

    public func session(idHash: String) throws -> WebSession? {
        try pool.with { s in
            try s.rows("SELECT id_hash, user_name, csrf, created_at, last_seen FROM web_sessions WHERE id_hash = \(idHash)").first
                .map { row in
                    WebSession(
                        idHash: try row.get(0), user: try row.get(1), csrf: try row.get(2), createdAt: Date(storeValue: try row.get(3)),
                        lastSeen: Date(storeValue: try row.get(4)))
                }
        }
    }

    public func touchSession(idHash: String, at: Date) throws {
        try pool.transaction(durable: false) { s in
            try s.execute("UPDATE web_sessions SET last_seen = \(at.storeValue) WHERE id_hash = \(idHash)")
        }
    }

    public func deleteSession(idHash: String) throws {
        // Durable: a sign-out must not come back after a crash.
        try pool.transaction(durable: true) { s in try s.execute("DELETE FROM web_sessions WHERE id_hash = \(idHash)") }
    }

    // MARK: Sign-in rate limit

    public func signInFailures(user: String, peer: String, since: Date) throws -> SignInFailures {
        let t = since.storeValue
        return try pool.with { s in
            var f = SignInFailures()
            if let row = try s.rows("""
                SELECT failures, last_failure FROM sign_in_users WHERE user_key = \(user) AND last_failure > \(t)
                """).first
            {
                f.userFailures = Int(try row.get(0, Int64.self))
                f.userLastFailure = Date(storeValue: try row.get(1))
            }
            if let row = try s.rows("SELECT COUNT(*), MIN(at) FROM sign_in_peer_failures WHERE peer = \(peer) AND at > \(t)").first {
                f.peerFailures = Int(try row.get(0, Int64.self))
                f.peerOldestFailure = try row.get(1, Double?.self).map { Date(storeValue: $0) }
            }
            f.peerTrusted = try s.one("SELECT EXISTS (SELECT 1 FROM sign_in_trusted WHERE peer = \(peer))", as: Bool.self) ?? false
            return f
        }
    }

    public func recordSignInFailure(user: String, peer: String, at: Date, since: Date) throws {
        let now = at.storeValue, t = since.storeValue
        try pool.transaction(durable: false) { s in
            // One upsert: failures on two servers at once both count.
            try s.execute("""
                INSERT INTO sign_in_users (user_key, failures, last_failure) VALUES (\(user), 1, \(now))
                ON CONFLICT (user_key) DO UPDATE SET
                    failures = CASE WHEN sign_in_users.last_failure > \(t) THEN sign_in_users.failures + 1 ELSE 1 END,
                    last_failure = excluded.last_failure
                """)
            try s.execute("INSERT INTO sign_in_peer_failures (peer, at) VALUES (\(peer), \(now))")
            // What left the window goes here, for every address: the table holds one window.
            try s.execute("DELETE FROM sign_in_peer_failures WHERE at <= \(t)")
        }
    }

    public func recordSignInSuccess(user: String, peer: String, at: Date) throws {
        try pool.transaction(durable: false) { s in
            try s.execute("DELETE FROM sign_in_users WHERE user_key = \(user)")
            try s.execute("""
                INSERT INTO sign_in_trusted (peer, at) VALUES (\(peer), \(at.storeValue))
                ON CONFLICT (peer) DO UPDATE SET at = excluded.at
                """)
        }
    }

    // MARK: OAuth sign-ins

    public func insertSignIn(_ p: PendingSignIn) throws {
        do {
            try pool.transaction(durable: false) { s in
                try s.execute("""
                    INSERT INTO oauth_sign_ins (id_hash, pending, sealed, expires_at)
                    VALUES (\(p.idHash), \(p.pending), \(ByteBuffer(bytes: p.sealed)), \(p.expiresAt.storeValue))
                    """)
            }
        } catch let e as StoreError where e.kind == .conflict {
            throw StoreError(.conflict, "the sign-in exists already")
        }
    }

    public func signIn(idHash: String, now: Date) throws -> PendingSignIn? {
        let found = try pool.with { s in
            try s.rows("SELECT id_hash, pending, sealed, expires_at FROM oauth_sign_ins WHERE id_hash = \(idHash)").first.map { row in
                PendingSignIn(
                    idHash: try row.get(0), pending: try row.get(1), sealed: Data((try row.get(2, ByteBuffer.self)).readableBytesView),
                    expiresAt: Date(storeValue: try row.get(3)))
            }
        }
        guard let found else { return nil }
        guard now < found.expiresAt else {
            try deleteSignIn(idHash: idHash)
            return nil
        }
        return found
    }

    public func replaceSignIn(_ p: PendingSignIn, ifPending: Bool) throws -> Bool {
        try pool.transaction(durable: false) { s in
            try s.execute("""
                UPDATE oauth_sign_ins SET pending = \(p.pending), sealed = \(ByteBuffer(bytes: p.sealed)), expires_at = \(p.expiresAt.storeValue)
                WHERE id_hash = \(p.idHash) AND pending = \(ifPending)
                """) == 1
        }
    }

    public func deleteSignIn(idHash: String) throws {
        try pool.transaction(durable: false) { s in try s.execute("DELETE FROM oauth_sign_ins WHERE id_hash = \(idHash)") }
    }

    // MARK: Setup code

    public func setupCode(creating candidate: String) throws -> String {
        try pool.transaction(durable: true) { s in
            try s.execute("INSERT INTO setup_code (singleton, code) VALUES (1, \(candidate)) ON CONFLICT (singleton) DO NOTHING")
            return try s.one("SELECT code FROM setup_code", as: String.self) ?? candidate
        }
    }

    public func deleteSetupCode() throws {
        try pool.transaction(durable: true) { s in try s.execute("DELETE FROM setup_code") }
    }

    // MARK: API tokens

    private static let tokenColumns = "token_id, name, token_hash, scope, created_by, created_at, last_used"

    public func apiTokens() throws -> [APIToken] {
        try pool.with { s in
            try s.rows("""
                SELECT \(unescaped: Self.tokenColumns) FROM api_tokens ORDER BY created_at DESC, token_id COLLATE "C" DESC
                """).map(Self.token)
        }
    }

    public func apiToken(hash: String) throws -> APIToken? {
        try pool.with { s in
            try s.rows("SELECT \(unescaped: Self.tokenColumns) FROM api_tokens WHERE token_hash = \(hash)").first.map(Self.token)
        }
    }

    public func insertAPIToken(_ t: APIToken) throws {
        do {
            try pool.transaction(durable: true) { s in
                try s.execute("""
                    INSERT INTO api_tokens (\(unescaped: Self.tokenColumns))
                    VALUES (\(t.id), \(t.name), \(t.tokenHash), \(t.scope.rawValue), \(t.createdBy), \(t.createdAt.storeValue),
                            \(t.lastUsed?.storeValue))
                    """)
            }
        } catch let e as StoreError where e.kind == .conflict {
            throw StoreError(.conflict, "API token \(t.id) exists already")
        }
    }

    public func deleteAPIToken(id: String) throws -> Bool {
        try pool.transaction(durable: true) { s in try s.execute("DELETE FROM api_tokens WHERE token_id = \(id)") == 1 }
    }

    public func touchAPIToken(id: String, at: Date) throws {
        try pool.transaction(durable: false) { s in
            try s.execute("UPDATE api_tokens SET last_used = \(at.storeValue) WHERE token_id = \(id)")
        }
    }

    private static func token(_ row: PostgresRandomAccessRow) throws -> APIToken {
        let id = try row.get(0, String.self), raw = try row.get(3, String.self)
        guard let scope = APITokenScope(rawValue: raw) else { throw StoreError(.corrupt, "API token \(id) has an unknown scope") }
        return APIToken(
            id: id, name: try row.get(1), tokenHash: try row.get(2), scope: scope, createdBy: try row.get(4),
            createdAt: Date(storeValue: try row.get(5)), lastUsed: try row.get(6, Double?.self).map { Date(storeValue: $0) })
    }

    // MARK: Sweep

    public func sweepWebState(now: Date, sessionsSeenBefore: Date, failuresBefore: Date) throws {
        let f = failuresBefore.storeValue
        try pool.transaction(durable: false) { s in
            try s.execute("DELETE FROM web_sessions WHERE last_seen < \(sessionsSeenBefore.storeValue)")
            try s.execute("DELETE FROM oauth_sign_ins WHERE expires_at <= \(now.storeValue)")
            try s.execute("DELETE FROM sign_in_users WHERE last_failure < \(f)")
            try s.execute("DELETE FROM sign_in_peer_failures WHERE at < \(f)")
        }
    }
}
