import Foundation
import PIMFormats
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncStoreSQLite
import Testing
import TestSupport
@testable import HubCLI

/// `hubsync migrate --to postgres://…` moves a working SQLite installation: afterwards a sync on
/// PostgreSQL finds nothing to create, change or send, and the history reads the same.
@Suite struct PostgresMigrateCLITests {
    @Test func aWorkingInstallationMovesAndTheNextSyncSendsNothing() async throws {
        try OutsideTools.require(.postgresql)
        let cli = try CLI()
        let a = try cli.folder("a"), b = try cli.folder("b")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        try writeCard(person("Alan", "Turing", "alan@example.com"), "alan", in: a)
        try writeCard(person("Grace", "Hopper", "grace@example.com"), "grace", in: b)
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run(["spoke", "add", "team", "--name", "B", "--path", b.path])
        #expect(await cli.run("sync team").exitCode == 0)
        // A second pass with an edit, so there is more than creations to move.
        let grace = try #require(try FileManager.default.contentsOfDirectory(atPath: a.path)
            .first { try readCardsFile(a.appendingPathComponent($0)).givenName == "Grace" })
        var card = try VCardParser.parse(data: Data(contentsOf: a.appendingPathComponent(grace)))
        card.contact.title = "Rear Admiral"
        try Data(VCardWriter.write(card).utf8).write(to: a.appendingPathComponent(grace))
        #expect(await cli.run("sync team").exitCode == 0)
        let sqlite = try SQLiteStore(path: cli.db)
        let admin = AdminAccount(name: "admin", passwordHash: "$2b$04$abcdefghijklmnopqrstuv", createdAt: Date(timeIntervalSinceReferenceDate: 800_000_000.25))
        try sqlite.saveAccount(admin)
        let invitation = Invitation(
            id: "inv1", kind: .google, email: "x@example.com", tokenHash: "h1", organisation: "Example", createdBy: "admin",
            createdAt: Date(timeIntervalSinceReferenceDate: 800_000_001), expiresAt: Date(timeIntervalSinceReferenceDate: 800_600_000),
            state: .accepted, account: "x@example.com", settings: ["google.refreshToken": "enc:v1:sealed"])
        try sqlite.insertInvitation(invitation)
        let token = APIToken(
            id: "tok1", name: "monitoring", tokenHash: "th1", scope: .read, createdBy: "admin",
            createdAt: Date(timeIntervalSinceReferenceDate: 800_000_002.5), lastUsed: Date(timeIntervalSinceReferenceDate: 800_000_003))
        try sqlite.insertAPIToken(token)
        let historyBefore = await cli.run("history team").output
        #expect(historyBefore.contains("created  Ada Lovelace") && historyBefore.contains("'Rear Admiral'"), "\(historyBefore)")
        let runsBefore = try sqlite.runs(hub: "team", limit: 100)
        let files = try Self.snapshot([a, b])

        let url = try PostgresCluster.running().newDatabase()
        var r = await cli.run(["migrate", "--to", url])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("hub team: 3 items"), "\(r.output)")
        #expect(r.output.contains("1 web accounts, 1 invitations, 1 API tokens"), "\(r.output)")
        // Only into an empty database.
        r = await cli.run(["migrate", "--to", url])
        #expect("\(r.error.map { "\($0)" } ?? "")".contains("only into an empty database"))

        let pg = try CLI(database: url)
        #expect(await pg.run("history team").output == historyBefore)
        r = await pg.run("sync team")
        #expect(r.exitCode == 0, "\(r.output)")
        let store = try PostgresStore(PostgresURL(url))
        let runs = try store.runs(hub: "team", limit: 100)
        #expect(runs.count == runsBefore.count + 1)
        #expect(Array(runs.dropFirst()) == runsBefore)
        let last = try #require(runs.first)
        #expect(last.status == .succeeded)
        for (spoke, stats) in last.stats {
            #expect(stats.hubCreated + stats.hubUpdated + stats.hubDeleted == 0, "\(spoke): \(stats)")
            #expect(stats.pushedCreates + stats.pushedUpdates + stats.pushedDeletes == 0, "\(spoke): \(stats)")
        }
        #expect(try Self.snapshot([a, b]) == files)
        #expect(await pg.run("history team").output == historyBefore)
        #expect(try store.account(named: "admin") == admin)
        #expect(try store.invitations() == [invitation])
        #expect(try store.apiTokens() == [token])
        #expect(try store.spokes(hub: "team") == sqlite.spokes(hub: "team"))
    }

    /// Every file's name and bytes.
    static func snapshot(_ folders: [URL]) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for folder in folders {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                out[folder.lastPathComponent + "/" + name] = try Data(contentsOf: folder.appendingPathComponent(name))
            }
        }
        return out
    }
}
