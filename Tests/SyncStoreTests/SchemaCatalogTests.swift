import Foundation
import SyncStorePostgres
import Testing
import TestSupport

/// The PostgreSQL schema can be distributed by hub id (Citus, PROTOCOLS.md §5.3) without a
/// redesign: read from the catalog, every table but the reference tables below has `hub_id` first
/// in its primary key and in every unique key, and every foreign key between hub tables carries
/// it on both sides.
struct SchemaCatalogTests {
    /// Not keyed by hub, on purpose: the web accounts and invitations (an admin manages every hub,
    /// an accepted invitation may join any hub), the web servers' shared state (sessions, sign-in
    /// counters, OAuth sign-ins, the setup code, API tokens) and the migrations' bookkeeping. A
    /// new table that is not per hub must be added here, deliberately.
    static let referenceTables = [
        "schema_migrations", "accounts", "invitations", "web_sessions", "sign_in_users", "sign_in_peer_failures",
        "sign_in_trusted", "oauth_sign_ins", "setup_code", "api_tokens",
    ]

    @Test func everyKeyOfEveryHubTableCarriesTheHubID() throws {
        try OutsideTools.require(.postgresql)
        let cluster = try PostgresCluster.running()
        let url = try cluster.newDatabase()
        _ = try PostgresStore(PostgresURL(url))
        let database = try #require(url.split(separator: "?").first?.split(separator: "/").last.map(String.init))
        let tables = try cluster.psql(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        #expect(tables.split(separator: "\n").count >= 12, "\(tables)")
        #expect(try Self.violations(cluster, database) == [])
    }

    /// The check finds what it is for: tables made without the hub id in their keys.
    @Test func theCheckFlagsKeysWithoutTheHubID() throws {
        try OutsideTools.require(.postgresql)
        let cluster = try PostgresCluster.running()
        let url = try cluster.newDatabase()
        _ = try PostgresStore(PostgresURL(url))
        let database = try #require(url.split(separator: "?").first?.split(separator: "/").last.map(String.init))
        _ = try cluster.psql(database, """
            CREATE TABLE bad_pk (id text PRIMARY KEY, hub_id text NOT NULL);
            CREATE TABLE bad_order (item text, hub_id text, PRIMARY KEY (item, hub_id));
            CREATE TABLE bad_unique (hub_id text, x text, y text, PRIMARY KEY (hub_id, x), UNIQUE (y));
            CREATE TABLE bad_index (hub_id text, x text, PRIMARY KEY (hub_id, x));
            CREATE UNIQUE INDEX bad_index_x ON bad_index (x);
            CREATE TABLE bad_fk (hub_id text, x text, PRIMARY KEY (hub_id, x), FOREIGN KEY (x) REFERENCES bad_pk (id));
            CREATE TABLE no_pk (hub_id text);
            """)
        let found = try Self.violations(cluster, database)
        for table in ["bad_pk", "bad_order", "bad_unique", "bad_index", "bad_fk", "no_pk"] {
            #expect(found.contains { $0.hasPrefix(table + "|") }, "\(table) not flagged: \(found)")
        }
        #expect(found.allSatisfy { $0.hasPrefix("bad_") || $0.hasPrefix("no_pk") }, "\(found)")
    }

    /// One line per key that would stop distribution by hub id: `table|what`.
    static func violations(_ cluster: PostgresCluster, _ database: String) throws -> [String] {
        let reference = "ARRAY[" + referenceTables.map { "'\($0)'" }.joined(separator: ",") + "]::text[]"
        let output = try cluster.psql(database, """
            WITH t AS (
                SELECT c.oid, c.relname::text AS name,
                       (SELECT attnum FROM pg_attribute WHERE attrelid = c.oid AND attname = 'hub_id') AS hub
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname::text <> ALL(\(reference)))
            SELECT name || '|no primary key' FROM t
                WHERE NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = t.oid AND contype = 'p')
            UNION ALL
            SELECT t.name || '|primary key ' || i.indexrelid::regclass::text || ' does not start with hub_id'
                FROM t JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary
                WHERE t.hub IS NULL OR i.indkey[0] <> t.hub
            UNION ALL
            SELECT t.name || '|unique key ' || i.indexrelid::regclass::text || ' without hub_id'
                FROM t JOIN pg_index i ON i.indrelid = t.oid AND i.indisunique
                WHERE t.hub IS NULL OR NOT (t.hub = ANY(i.indkey::int2[]))
            UNION ALL
            SELECT t.name || '|foreign key ' || co.conname || ' without hub_id on both sides'
                FROM t JOIN pg_constraint co ON co.conrelid = t.oid AND co.contype = 'f'
                WHERE co.confrelid::regclass::text <> ALL(\(reference)) AND (
                    t.hub IS NULL OR NOT (t.hub = ANY(co.conkey))
                    OR NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = co.confrelid AND a.attname = 'hub_id'
                                   AND a.attnum = ANY(co.confkey)))
            ORDER BY 1
            """)
        return output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }
}
