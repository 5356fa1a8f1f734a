import Foundation
import PostgresNIO
import SyncStore

/// The PostgreSQL schema: one list of migrations, applied in order and recorded by name in
/// `schema_migrations`. Migrations only ever grow: a released one is never edited, a change is a
/// new one appended to `migrations`.
///
/// Conventions (the same records as the SQLite store, in PostgreSQL's types):
/// - every table of a hub's data has `hub_id` first in its primary key, in every UNIQUE
///   constraint and in every foreign key, so hubs can be distributed by hub id (Citus) without a
///   redesign; `SchemaCatalogTests` reads the catalog and checks it;
/// - the reference tables, not keyed by hub, are listed in `referenceTables`: the web accounts and
///   invitations (an admin manages every hub; an accepted invitation may join any hub) and the
///   migration bookkeeping;
/// - dates are double precision seconds since the reference date (2001), which round-trips a
///   `Date` exactly (timestamptz keeps microseconds only);
/// - items (and link bases, intents, journal values) are their kind's `StoredItem` bytes (bytea),
///   the same bytes as SQLite's BLOBs; small config/stat structs are JSON text.
enum Schema {
    /// Tables not keyed by hub (Citus reference tables, or local ones).
    static let referenceTables: Set<String> = [
        "schema_migrations", "accounts", "invitations",
        // The web servers' shared state (`WebStateStore`).
        "web_sessions", "sign_in_users", "sign_in_peer_failures", "sign_in_trusted", "oauth_sign_ins", "setup_code", "api_tokens",
    ]

    /// (name, statements): append only.
    static let migrations: [(name: String, sql: String)] = [
        ("pg 1 hubs", v1),
        ("pg 2 accounts and invitations", accounts),
        ("pg 3 web state", webState),
        // Which worker syncs a hub now, and a pass asked for (HubLeaseStore). A free lease keeps
        // its row (NULL owner) so a request can wait in it.
        ("pg 4 hub leases", """
            CREATE TABLE hub_leases (
                hub_id text NOT NULL PRIMARY KEY REFERENCES hubs(hub_id) ON DELETE CASCADE,
                lease_owner text,
                lease_until double precision,
                requested_at double precision
            )
            """),
    ]

    /// Child tables in deletion order (everything of a hub but `hubs`).
    static let hubTables = ["hub_leases", "journal", "holds", "runs", "spoke_state", "intents", "links", "items", "spokes"]
    /// Tables `deleteSpoke` clears for that spoke (the journal and runs stay as history).
    static let spokeTables = ["links", "intents", "spoke_state", "holds", "spokes"]

    /// Applies the migrations not applied yet, each in its own transaction, under a transaction
    /// lock so two processes starting at once do not both migrate.
    static func migrate(_ pool: ConnectionPool) throws {
        try pool.transaction(durable: true) { s in
            // A migration's work grows with the data (an index over every item): not bounded
            // by the statement limit of everyday work.
            _ = try s.execute("SET LOCAL statement_timeout = 0")
            _ = try s.execute("SELECT pg_advisory_xact_lock(hashtextextended('hubsync:migrate', 0))")
            _ = try s.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let done = Set(try s.rows("SELECT name FROM schema_migrations").map { try $0.get(0, String.self) })
            for m in migrations where !done.contains(m.name) {
                // One statement per query: the extended protocol takes no more.
                for statement in m.sql.components(separatedBy: ";\n") {
                    let sql = statement.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
                    if !sql.isEmpty { _ = try s.execute(PostgresQuery(unsafeSQL: sql)) }
                }
                _ = try s.execute("INSERT INTO schema_migrations (name) VALUES (\(m.name))")
            }
        }
    }

    private static let v1 = """
        CREATE TABLE hubs (
            hub_id text NOT NULL PRIMARY KEY,
            config text NOT NULL,
            object_kind text NOT NULL
        );
        CREATE TABLE spokes (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            spoke_id text NOT NULL,
            position integer NOT NULL,
            config text NOT NULL,
            PRIMARY KEY (hub_id, spoke_id)
        );
        CREATE TABLE items (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            item_id text NOT NULL,
            kind text NOT NULL,
            bytes bytea NOT NULL,
            hash bigint NOT NULL,
            version bigint NOT NULL,
            deleted boolean NOT NULL,
            modified_at double precision NOT NULL,
            field_times text,
            PRIMARY KEY (hub_id, item_id),
            -- changedAfter is a range scan of this index; the engine relies on unique versions.
            CONSTRAINT items_version UNIQUE (hub_id, version)
        );
        -- liveItems / liveItemCount: tombstones pile up forever, so keep them out of the scan.
        CREATE INDEX items_live ON items (hub_id, item_id) WHERE NOT deleted;
        CREATE TABLE links (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            spoke_id text NOT NULL,
            item_id text NOT NULL,
            remote_id text NOT NULL,
            remote_version text,
            base bytea NOT NULL,
            hub_version_seen bigint NOT NULL,
            created_by_hub boolean NOT NULL,
            PRIMARY KEY (hub_id, spoke_id, item_id),
            -- The (spoke, remote id) uniqueness of WriteBatch.links: a violating commit fails on
            -- this constraint and its transaction rolls back.
            CONSTRAINT links_remote UNIQUE (hub_id, spoke_id, remote_id)
        );
        CREATE TABLE intents (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            spoke_id text NOT NULL,
            item_id text NOT NULL,
            marker_hub text NOT NULL,
            marker_item text NOT NULL,
            base bytea NOT NULL,
            started_at double precision NOT NULL,
            PRIMARY KEY (hub_id, spoke_id, item_id)
        );
        CREATE TABLE spoke_state (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            spoke_id text NOT NULL,
            cursor text,
            pushed_through bigint NOT NULL,
            last_sync_at double precision,
            last_error text,
            last_stats text,
            resume_page text,
            PRIMARY KEY (hub_id, spoke_id)
        );
        CREATE TABLE runs (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            run_id text NOT NULL,
            started_at double precision NOT NULL,
            finished_at double precision,
            status text NOT NULL,
            stats text NOT NULL,
            errors text NOT NULL,
            PRIMARY KEY (hub_id, run_id)
        );
        CREATE INDEX runs_started ON runs (hub_id, started_at, run_id);
        CREATE TABLE journal (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            seq bigint NOT NULL,
            run_id text,
            item_id text NOT NULL,
            source text NOT NULL,
            at double precision NOT NULL,
            kind text NOT NULL,
            old bytea,
            new bytea,
            conflicts text,
            PRIMARY KEY (hub_id, seq)
        );
        CREATE INDEX journal_item ON journal (hub_id, item_id, seq);
        CREATE INDEX journal_run ON journal (hub_id, run_id, seq);
        -- The hub page's conflict count and the conflicts list: a few entries among many.
        CREATE INDEX journal_conflicts ON journal (hub_id, seq) WHERE conflicts IS NOT NULL AND new IS NOT NULL;
        CREATE TABLE holds (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            spoke_id text NOT NULL,
            detected_at double precision NOT NULL,
            items text NOT NULL,
            reason text NOT NULL,
            changes text,
            decision text NOT NULL DEFAULT 'pending',
            outgoing boolean NOT NULL DEFAULT false,
            PRIMARY KEY (hub_id, spoke_id)
        );
        """

    /// Reference tables: not keyed by hub (see `referenceTables`).
    /// As SQLite's "fleet 2 web state": secrets only as SHA-256 or sealed; the setup code as is
    /// until the first admin exists.
    private static let webState = """
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
        CREATE TABLE sign_in_peer_failures (
            peer text NOT NULL,
            at double precision NOT NULL
        );
        CREATE INDEX sign_in_peer_failures_peer ON sign_in_peer_failures (peer, at);
        CREATE INDEX sign_in_peer_failures_at ON sign_in_peer_failures (at);
        CREATE TABLE sign_in_trusted (
            peer text NOT NULL PRIMARY KEY,
            at double precision NOT NULL
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
        )
        """

    private static let accounts = """
        CREATE TABLE accounts (
            name text NOT NULL PRIMARY KEY,
            password_hash text NOT NULL,
            created_at double precision NOT NULL
        );
        -- The link's token is never stored, only its SHA-256; `settings` holds sealed secrets.
        CREATE TABLE invitations (
            invitation_id text NOT NULL PRIMARY KEY,
            kind text NOT NULL,
            email text NOT NULL,
            token_hash text NOT NULL UNIQUE,
            organisation text NOT NULL,
            created_by text NOT NULL,
            created_at double precision NOT NULL,
            expires_at double precision NOT NULL,
            state text NOT NULL,
            accepted_at double precision,
            revoked_at double precision,
            revoked_by text,
            account text,
            settings text
        );
        """
}
