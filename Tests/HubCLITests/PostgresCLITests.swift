import Foundation
import Testing
import TestSupport
import SyncStorePostgres
@testable import HubCLI

/// The CLI against PostgreSQL (`--db postgres://…`), on the tests' throwaway cluster: the same
/// commands as with a file, and the hub lock held in the database.
@Suite struct PostgresCLITests {
    static func cli() throws -> CLI {
        try OutsideTools.require(.postgresql)
        return try CLI(database: try PostgresCluster.running().newDatabase())
    }

    @Test func createAddSyncAndHistory() async throws {
        let cli = try Self.cli()
        let a = try cli.folder("a"), b = try cli.folder("b")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        try writeCard(person("Alan", "Turing", "alan@example.com"), "alan", in: a)
        var r = await cli.run("hub create Team")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        r = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        _ = await cli.run(["spoke", "add", "team", "--name", "B", "--path", b.path])
        r = await cli.run("sync team")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("push B: 2 items"), "\(r.output)")
        #expect(Set(try readCards(b).compactMap(\.givenName)) == ["Ada", "Alan"])
        r = await cli.run("history team")
        #expect(r.output.contains("created  Ada Lovelace"), "\(r.output)")
        #expect(r.output.contains("created  Alan Turing"))
        // Nothing changed: a second pass sends nothing.
        r = await cli.run("sync team")
        #expect(!r.output.contains("push B: 2 items"), "\(r.output)")
        // The database is named without its password (there is none here) and the key stays in
        // the test's directory, not the user's.
        #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("hub.sqlite").path))
    }

    /// The lock is the database's (a session advisory lock), so it keeps out processes on other
    /// machines too; it is free again once released.
    @Test func oneSyncOfAHubAtATime() async throws {
        let cli = try Self.cli()
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", try cli.folder("a").path])
        var held = try HubLock(database: cli.db, hub: "team")
        #expect(held != nil)
        #expect(try HubLock(database: cli.db, hub: "team") == nil)
        #expect(try HubLock(database: cli.db, hub: "other") != nil)
        let busy = await cli.run("sync team")
        #expect("\(busy.error.map { "\($0)" } ?? "")".contains("being synced by another process"))
        held = nil
        #expect(await cli.run("sync team").exitCode == 0)
    }

    @Test func aPasswordIsNeverShown() throws {
        let url = try PostgresURL("postgres://hub:s3cret@db.example.com:5433/hubs?sslmode=require")
        #expect(url.description == "postgres://hub:***@db.example.com:5433/hubs")
        #expect(url.password == "s3cret" && url.port == 5433 && url.database == "hubs" && url.sslMode == "require")
        let socket = try PostgresURL("postgresql://hub@/hubs?host=/tmp/pg")
        #expect(socket.host == "/tmp/pg" && socket.description == "postgres://hub@/hubs?host=/tmp/pg")
    }
}
