import Foundation
import PostgresNIO
import SyncStore

extension Schema {
    /// The web servers' shared state (`WebStateStore`): reference tables, not keyed by hub, like
    /// `accounts`. Secrets are never stored as they are: a session and an API token by their
    /// SHA-256, an OAuth sign-in sealed with a key only its state gives. The setup code is kept as
    /// is: every server of the installation prints it until the first admin exists.
    static let webStateTables: Set<String> = [
        "web_sessions", "sign_in_users", "sign_in_peer_failures", "sign_in_trusted", "oauth_sign_ins", "setup_code", "api_tokens",
    ]

    static let fleetWebState = """
        CREATE TABLE web_sessions (
            id_hash text NOT NULL PRIMARY KEY,
            user_name text NOT NULL,
            csrf text NOT NULL,
            created_at double precision NOT NULL,
            last_seen double precision NOT NULL
        );
        CREATE INDEX web_sessions_seen ON web_sessions (last_seen);
        CREATE TABLE sign_in_users (
            user_key text NOT NULL PRIMARY KEY,
            failures bigint NOT NULL,
            last_failure double precision NOT NULL
        );
        CREATE INDEX sign_in_users_last ON sign_in_users (last_failure);
        -- One row per failure within the window (the sweep and each new failure drop the rest).
        CREATE TABLE sign_in_peer_failures (
            failure_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            peer text NOT NULL,
            failed_at double precision NOT NULL
        );
        CREATE INDEX sign_in_peer_failures_peer ON sign_in_peer_failures (peer, failed_at);
        CREATE INDEX sign_in_peer_failures_at ON sign_in_peer_failures (failed_at);
        CREATE TABLE sign_in_trusted (
            peer text NOT NULL PRIMARY KEY,
            trusted_at double precision NOT NULL
        );
        CREATE TABLE oauth_sign_ins (
            id_hash text NOT NULL PRIMARY KEY,
            pending boolean NOT NULL,
            sealed bytea NOT NULL,
            expires_at double precision NOT NULL
        );
        CREATE INDEX oauth_sign_ins_expiry ON oauth_sign_ins (expires_at);
        CREATE TABLE setup_code (
            singleton integer NOT NULL PRIMARY KEY CHECK (singleton = 1),
            code text NOT NULL
        );
        CREATE TABLE api_tokens (
            token_id text NOT NULL PRIMARY KEY,
            name text NOT NULL,
            token_hash text NOT NULL UNIQUE,
            scope text NOT NULL,
            created_by text NOT NULL,
            created_at double precision NOT NULL,
            last_used double precision
        );
        """
}

/// The SQLite store's semantics. What two servers may do at once is one statement each (an
/// upsert, or an UPDATE whose WHERE is the expected state), so PostgreSQL's row locks decide.
extension PostgresStore: WebStateStore {
    // MARK: Sessions

    public func insertSession(_ w: WebSession) throws {
        try pool.with { s in
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
            try s.rows("SELECT id_hash, user_name, csrf, created_at, last_seen FROM web_sessions WHERE id_hash = \(idHash)")
                .first.map { row in
                    WebSession(
                        idHash: try row.get(0), user: try row.get(1), csrf: try row.get(2),
                        createdAt: Date(storeValue: try row.get(3)), lastSeen: Date(storeValue: try row.get(4)))
                }
        }
    }

    public func touchSession(idHash: String, at: Date) throws {
        try pool.with { s in
            try s.execute("UPDATE web_sessions SET last_seen = \(at.storeValue) WHERE id_hash = \(idHash)")
        }
    }

    public func deleteSession(idHash: String) throws {
        try pool.with { s in try s.execute("DELETE FROM web_sessions WHERE id_hash = \(idHash)") }
    }

    // MARK: Sign-in rate limit

    public func signInFailures(user: String, peer: String, since: Date) throws -> SignInFailures {
        let t = since.storeValue
        return try pool.with { s in
            // One statement: one snapshot and one round trip.
            guard let row = try s.rows("""
                SELECT u.failures, u.last_failure,
                    (SELECT COUNT(*) FROM sign_in_peer_failures WHERE peer = \(peer) AND failed_at > \(t)),
                    (SELECT MIN(failed_at) FROM sign_in_peer_failures WHERE peer = \(peer) AND failed_at > \(t)),
                    EXISTS (SELECT 1 FROM sign_in_trusted WHERE peer = \(peer))
                FROM (SELECT 1) AS one
                LEFT JOIN sign_in_users u ON u.user_key = \(user) AND u.last_failure > \(t)
                """).first
            else { return SignInFailures() }
            return SignInFailures(
                userFailures: Int(try row.get(0, Int64?.self) ?? 0),
                userLastFailure: try row.get(1, Double?.self).map { Date(storeValue: $0) },
                peerFailures: Int(try row.get(2, Int64.self)),
                peerOldestFailure: try row.get(3, Double?.self).map { Date(storeValue: $0) },
                peerTrusted: try row.get(4, Bool.self))
        }
    }

    public func recordSignInFailure(user: String, peer: String, at: Date, since: Date) throws {
        let now = at.storeValue, t = since.storeValue
        // One transaction: failures on two servers at once both count (the upsert adds to the
        // row as it is once locked).
        try pool.transaction(durable: false) { s in
            try s.execute("""
                INSERT INTO sign_in_users (user_key, failures, last_failure) VALUES (\(user), 1, \(now))
                ON CONFLICT (user_key) DO UPDATE SET
                    failures = CASE WHEN sign_in_users.last_failure > \(t) THEN sign_in_users.failures + 1 ELSE 1 END,
                    last_failure = excluded.last_failure
                """)
            try s.execute("INSERT INTO sign_in_peer_failures (peer, failed_at) VALUES (\(peer), \(now))")
            // What left the window is dropped here, for every address: the table holds one window.
            try s.execute("DELETE FROM sign_in_peer_failures WHERE failed_at <= \(t)")
        }
    }

    public func recordSignInSuccess(user: String, peer: String, at: Date) throws {
        try pool.transaction(durable: true) { s in
            try s.execute("DELETE FROM sign_in_users WHERE user_key = \(user)")
            try s.execute("""
                INSERT INTO sign_in_trusted (peer, trusted_at) VALUES (\(peer), \(at.storeValue))
                ON CONFLICT (peer) DO UPDATE SET trusted_at = excluded.trusted_at
                """)
        }
    }

    // MARK: OAuth sign-ins

    public func insertSignIn(_ p: PendingSignIn) throws {
        do {
            try pool.with { s in
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
        try pool.with { s in
            guard let row = try s.rows("SELECT id_hash, pending, sealed, expires_at FROM oauth_sign_ins WHERE id_hash = \(idHash)").first
            else { return nil }
            let found = PendingSignIn(
                idHash: try row.get(0), pending: try row.get(1), sealed: Data(try row.get(2, ByteBuffer.self).readableBytesView),
                expiresAt: Date(storeValue: try row.get(3)))
            guard now < found.expiresAt else {
                // Only if still expired: another server may have replaced it meanwhile.
                try s.execute("DELETE FROM oauth_sign_ins WHERE id_hash = \(idHash) AND expires_at <= \(now.storeValue)")
                return nil
            }
            return found
        }
    }

    public func replaceSignIn(_ p: PendingSignIn, ifPending: Bool) throws -> Bool {
        try pool.with { s in
            try s.execute("""
                UPDATE oauth_sign_ins SET pending = \(p.pending), sealed = \(ByteBuffer(bytes: p.sealed)),
                    expires_at = \(p.expiresAt.storeValue)
                WHERE id_hash = \(p.idHash) AND pending = \(ifPending)
                """) == 1
        }
    }

    public func deleteSignIn(idHash: String) throws {
        try pool.with { s in try s.execute("DELETE FROM oauth_sign_ins WHERE id_hash = \(idHash)") }
    }

    // MARK: Setup code

    public func setupCode(creating candidate: String) throws -> String {
        try pool.with { s in
            if let code = try s.one("SELECT code FROM setup_code", as: String.self) { return code }
            // Of servers inserting at once one wins; the others' inserts wait for it and do
            // nothing, and their next statement (a new snapshot) reads the winner's code.
            try s.execute("INSERT INTO setup_code (singleton, code) VALUES (1, \(candidate)) ON CONFLICT (singleton) DO NOTHING")
            return try s.one("SELECT code FROM setup_code", as: String.self) ?? candidate
        }
    }

    public func deleteSetupCode() throws {
        try pool.with { s in try s.execute("DELETE FROM setup_code") }
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
            try pool.with { s in
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
        try pool.with { s in try s.execute("DELETE FROM api_tokens WHERE token_id = \(id)") == 1 }
    }

    public func touchAPIToken(id: String, at: Date) throws {
        try pool.with { s in try s.execute("UPDATE api_tokens SET last_used = \(at.storeValue) WHERE token_id = \(id)") }
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
            try s.execute("DELETE FROM sign_in_peer_failures WHERE failed_at < \(f)")
        }
    }
}
