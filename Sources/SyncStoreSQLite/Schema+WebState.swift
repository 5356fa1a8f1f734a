import GRDB

extension Schema {
    /// The web servers' shared state (`WebStateStore`), not keyed by hub like `accounts`.
    /// Secrets are never stored as they are: a session and an API token by their SHA-256, an
    /// OAuth sign-in sealed with a key only its state gives. The setup code is kept as is: every
    /// server of the installation prints it until the first admin exists.
    static func fleetWebState(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE web_sessions (
                id_hash TEXT NOT NULL PRIMARY KEY,
                user TEXT NOT NULL,
                csrf TEXT NOT NULL,
                created_at REAL NOT NULL,
                last_seen REAL NOT NULL
            );
            CREATE INDEX web_sessions_seen ON web_sessions(last_seen);
            CREATE TABLE sign_in_users (
                user_key TEXT NOT NULL PRIMARY KEY,
                failures INTEGER NOT NULL,
                last_failure REAL NOT NULL
            );
            CREATE INDEX sign_in_users_last ON sign_in_users(last_failure);
            CREATE TABLE sign_in_peer_failures (
                peer TEXT NOT NULL,
                at REAL NOT NULL
            );
            CREATE INDEX sign_in_peer_failures_peer ON sign_in_peer_failures(peer, at);
            CREATE INDEX sign_in_peer_failures_at ON sign_in_peer_failures(at);
            CREATE TABLE sign_in_trusted (
                peer TEXT NOT NULL PRIMARY KEY,
                at REAL NOT NULL
            );
            CREATE TABLE oauth_sign_ins (
                id_hash TEXT NOT NULL PRIMARY KEY,
                pending INTEGER NOT NULL,
                sealed BLOB NOT NULL,
                expires_at REAL NOT NULL
            );
            CREATE INDEX oauth_sign_ins_expiry ON oauth_sign_ins(expires_at);
            CREATE TABLE setup_code (
                singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
                code TEXT NOT NULL
            );
            CREATE TABLE api_tokens (
                token_id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                scope TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at REAL NOT NULL,
                last_used REAL
            );
            """)
    }

    /// The web-state tables, for tests and tools that check an upgrade.
    static let webStateTables = ["web_sessions", "sign_in_users", "sign_in_peer_failures", "sign_in_trusted", "oauth_sign_ins", "setup_code", "api_tokens"]
}
