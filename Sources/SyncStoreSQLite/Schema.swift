import GRDB

/// The database schema. Migrations only ever grow: a released migration is never edited, a change
/// is a new migration appended after it.
///
/// Conventions:
/// - every table is keyed by `hub_id` first, so one hub's rows form a contiguous key range and a hub
///   can later be moved to its own database (sharding) without changing queries;
/// - dates are REAL seconds since the reference date (2001), which round-trips a `Date` exactly;
/// - items (and link bases, intents, journal values) are their kind's `StoredItem` BLOBs
///   (`ContactCodec` for contacts, in the `contact` column whatever the kind; `items.kind` says
///   which), small config/stat structs JSON TEXT;
/// - child tables reference `hubs` with ON DELETE CASCADE as a safety net; `deleteHub` also
///   deletes explicitly, so correctness never depends on the foreign_keys pragma.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1", migrate: v1)
        m.registerMigration("v2 field times") { db in
            // FieldTimes as JSON; NULL for the common item whose fields all date from its creation.
            try db.execute(sql: "ALTER TABLE items ADD COLUMN field_times TEXT")
        }
        m.registerMigration("v3 web accounts") { db in
            try db.execute(sql: """
                CREATE TABLE accounts (
                    name TEXT NOT NULL PRIMARY KEY,
                    password_hash TEXT NOT NULL,
                    created_at REAL NOT NULL
                )
                """)
        }
        m.registerMigration("hostile_engine 1 hold decisions, unique versions", migrate: hostileEngine1)
        m.registerMigration("hostile_engine 2 listing resume page") { db in
            // NULL for every spoke not in the middle of a first listing.
            try db.execute(sql: "ALTER TABLE spoke_state ADD COLUMN resume_page TEXT")
        }
        m.registerMigration("engine 1 object kinds") { db in
            // Every hub before this one held contacts; items say their kind so a store can
            // decode them without asking the hub (old rows: contacts, in the `contact` column).
            try db.execute(sql: """
                ALTER TABLE hubs ADD COLUMN object_kind TEXT NOT NULL DEFAULT 'contacts';
                ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'contacts';
                """)
        }
        m.registerMigration("web 1 conflict index") { db in
            // The hub page's conflict count and the conflicts list: a few entries among many.
            // The reads repeat this WHERE (`SQLiteStore.settlesConflict`), or SQLite ignores the index.
            try db.execute(sql: """
                CREATE INDEX journal_conflicts ON journal(hub_id, seq) WHERE conflicts IS NOT NULL AND new IS NOT NULL
                """)
        }
        m.registerMigration("invite 1 invitations") { db in
            // Not keyed by hub, like `accounts`: an accepted invitation's account may join any hub.
            // The link's token is never stored, only its SHA-256; `settings` holds sealed secrets.
            try db.execute(sql: """
                CREATE TABLE invitations (
                    invitation_id TEXT NOT NULL PRIMARY KEY,
                    kind TEXT NOT NULL,
                    email TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    organisation TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    state TEXT NOT NULL,
                    accepted_at REAL,
                    revoked_at REAL,
                    revoked_by TEXT,
                    account TEXT,
                    settings TEXT
                )
                """)
        }
        m.registerMigration("fleet 1 hub leases") { db in
            // Which worker syncs a hub now, and a pass asked for (HubLeaseStore). A free lease
            // keeps its row (NULL owner) so a request can wait in it.
            try db.execute(sql: """
                CREATE TABLE hub_leases (
                    hub_id TEXT NOT NULL PRIMARY KEY REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    lease_owner TEXT,
                    lease_until REAL,
                    requested_at REAL
                )
                """)
        }
        m.registerMigration("fleet 2 web state", migrate: fleetWebState)
        return m
    }

    /// Holds remember the admin's decision, which held items are changes, and whether the hub
    /// itself would send the deletions; item versions
    /// become unique per hub, checked by the database. Versions two writers once handed out
    /// twice are renumbered above the hub's newest first, so every spoke is sent them again.
    private static func hostileEngine1(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE holds ADD COLUMN changes TEXT;
            ALTER TABLE holds ADD COLUMN decision TEXT NOT NULL DEFAULT 'pending';
            ALTER TABLE holds ADD COLUMN outgoing INTEGER NOT NULL DEFAULT 0;
            """)
        let duplicates = try Row.fetchAll(db, sql: """
            SELECT hub_id, item_id FROM items i
            WHERE EXISTS (SELECT 1 FROM items j
                          WHERE j.hub_id = i.hub_id AND j.version = i.version AND j.item_id < i.item_id)
            ORDER BY hub_id, version, item_id
            """)
        for row in duplicates {
            let hub: String = row[0], item: String = row[1]
            try db.execute(
                sql: """
                    UPDATE items SET version = (SELECT MAX(version) + 1 FROM items WHERE hub_id = ?)
                    WHERE hub_id = ? AND item_id = ?
                    """, arguments: [hub, hub, item])
        }
        try db.execute(sql: """
            DROP INDEX items_version;
            CREATE UNIQUE INDEX items_version ON items(hub_id, version);
            """)
    }

    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE hubs (
                    hub_id TEXT NOT NULL PRIMARY KEY,
                    config TEXT NOT NULL
                );
                CREATE TABLE spokes (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    spoke_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    config TEXT NOT NULL,
                    PRIMARY KEY (hub_id, spoke_id)
                );
                CREATE TABLE items (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    item_id TEXT NOT NULL,
                    contact BLOB NOT NULL,
                    hash INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    deleted INTEGER NOT NULL,
                    modified_at REAL NOT NULL,
                    PRIMARY KEY (hub_id, item_id)
                );
                -- changedAfter: a range scan in version order.
                CREATE INDEX items_version ON items(hub_id, version);
                -- liveItems / liveItemCount: tombstones pile up forever, so keep them out of the scan.
                CREATE INDEX items_live ON items(hub_id, item_id) WHERE deleted = 0;
                CREATE TABLE links (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    spoke_id TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    remote_version TEXT,
                    base BLOB NOT NULL,
                    hub_version_seen INTEGER NOT NULL,
                    created_by_hub INTEGER NOT NULL,
                    PRIMARY KEY (hub_id, spoke_id, item_id),
                    -- Enforces the (spoke, remote id) uniqueness of WriteBatch.links: a violating
                    -- commit fails on this constraint and its transaction rolls back.
                    UNIQUE (hub_id, spoke_id, remote_id)
                );
                CREATE TABLE intents (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    spoke_id TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    marker_hub TEXT NOT NULL,
                    marker_item TEXT NOT NULL,
                    base BLOB NOT NULL,
                    started_at REAL NOT NULL,
                    PRIMARY KEY (hub_id, spoke_id, item_id)
                );
                CREATE TABLE spoke_state (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    spoke_id TEXT NOT NULL,
                    cursor TEXT,
                    pushed_through INTEGER NOT NULL,
                    last_sync_at REAL,
                    last_error TEXT,
                    last_stats TEXT,
                    PRIMARY KEY (hub_id, spoke_id)
                );
                CREATE TABLE runs (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    finished_at REAL,
                    status TEXT NOT NULL,
                    stats TEXT NOT NULL,
                    errors TEXT NOT NULL,
                    PRIMARY KEY (hub_id, run_id)
                );
                CREATE INDEX runs_started ON runs(hub_id, started_at, run_id);
                CREATE TABLE journal (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    run_id TEXT,
                    item_id TEXT NOT NULL,
                    source TEXT NOT NULL,
                    at REAL NOT NULL,
                    kind TEXT NOT NULL,
                    old BLOB,
                    new BLOB,
                    conflicts TEXT,
                    PRIMARY KEY (hub_id, seq)
                );
                CREATE INDEX journal_item ON journal(hub_id, item_id, seq);
                CREATE INDEX journal_run ON journal(hub_id, run_id, seq);
                CREATE TABLE holds (
                    hub_id TEXT NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
                    spoke_id TEXT NOT NULL,
                    detected_at REAL NOT NULL,
                    items TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    PRIMARY KEY (hub_id, spoke_id)
                );
                """)
    }

    /// Child tables in deletion order (everything but `hubs`).
    static let hubTables = ["hub_leases", "journal", "holds", "runs", "spoke_state", "intents", "links", "items", "spokes"]
    /// Tables `deleteSpoke` clears for that spoke (the journal and runs stay as history).
    static let spokeTables = ["links", "intents", "spoke_state", "holds", "spokes"]
}
