import Foundation
import Testing
import Secrets
import Synchronization
import SyncModel
import SyncStore
import SyncStoreSQLite
@testable import HubCLI

/// `hubsync key rotate`: every sealed secret (a network spoke's password, an invitation's
/// token) opens with the new key and no longer with the old one; an interrupted rotation leaves
/// a working installation and finishes when run again.
@Suite struct KeyRotateTests {
    enum Database: String, CaseIterable, Sendable { case sqlite, postgres }
    let cli: CLI
    let keyFile: URL
    init() throws { try self.init(.sqlite) }
    init(_ database: Database) throws {
        cli = switch database {
        case .sqlite: try CLI()
        case .postgres: try PostgresCLITests.cli()
        }
        keyFile = cli.dir.appendingPathComponent("hubsync.key")
    }

    /// The store `cli` runs on, SQLite or PostgreSQL.
    func store() throws -> any SyncStore & AccountStore & SecretResealing {
        let opened = try GlobalOptions.parse(["--db", cli.db, "--key-file", keyFile.path]).openStore()
        return try #require(opened as? any SyncStore & AccountStore & SecretResealing)
    }

    /// A hub with a CardDAV spoke whose password is sealed, and an accepted invitation.
    func seed() async throws -> SecretBox {
        _ = await cli.run("hub create Team")
        let store = try store()
        let box = try SecretBox.load(keyFile: keyFile)
        try store.saveSpoke(SpokeConfig(
            id: "dav", hub: "team", name: "DAV", kind: .carddav, position: 0,
            settings: ["url": "https://dav.example/", "user": "ann", "password": try box.seal("s3cret-pw")]))
        try store.insertInvitation(Invitation(
            id: "inv1", kind: .google, email: "bo@example.com", tokenHash: "h1", organisation: "Ex", createdBy: "admin",
            createdAt: Date(), expiresAt: Date().addingTimeInterval(3600), state: .accepted,
            settings: ["google.refreshToken": try box.seal("refresh-1"), "google.account": "bo@example.com"]))
        return box
    }

    func stored() throws -> (password: String, token: String, account: String?) {
        let store = try store()
        let spoke = try #require(try store.spokes(hub: "team").first)
        let invitation = try #require(try store.invitation(id: "inv1"))
        return (spoke.settings["password"] ?? "", invitation.settings?["google.refreshToken"] ?? "", invitation.settings?["google.account"])
    }

    @Test(arguments: Database.allCases)
    func rotateResealsEverySecretAndKeepsTheOldKeyApart(_ database: Database) async throws {
        let t = try KeyRotateTests(database)
        try await t.rotatesEverySecret()
    }

    func rotatesEverySecret() async throws {
        let old = try await seed()
        let oldKey = try Data(contentsOf: keyFile)
        let r = await cli.run("key rotate")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("sealed 2 stored secrets with a new key"), "\(r.output)")

        let (password, token, account) = try stored()
        let now = try SecretBox.load(keyFile: keyFile)
        #expect(try now.open(password) == "s3cret-pw")
        #expect(try now.open(token) == "refresh-1")
        #expect(account == "bo@example.com", "a plain setting is left as it was")
        #expect(throws: SecretBox.Failure.self) { try old.open(password) }
        #expect(throws: SecretBox.Failure.self) { try old.open(token) }
        #expect(try Data(contentsOf: keyFile) != oldKey)
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyFile.path + ".old")) == oldKey)
        #expect(!FileManager.default.fileExists(atPath: keyFile.path + ".new"))
        for file in [keyFile.path, keyFile.path + ".old"] {
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        }
        // The database holds no secret in clear (a file to read on SQLite; PostgreSQL: the
        // stored settings, read above, are sealed).
        if cli.database == nil {
            let db = try Data(contentsOf: URL(fileURLWithPath: cli.db))
            #expect(db.range(of: Data("s3cret-pw".utf8)) == nil)
        } else {
            #expect(!password.contains("s3cret") && !token.contains("refresh-1"))
        }

        // A second rotation waits until the user lets the old key go.
        let again = await cli.run("key rotate")
        #expect("\(again.error.map { "\($0)" } ?? "")".contains("delete it once no backup needs it"))
        try FileManager.default.removeItem(atPath: keyFile.path + ".old")
        #expect(await cli.run("key rotate").error == nil)
        #expect(try SecretBox.load(keyFile: keyFile).open(try stored().password) == "s3cret-pw")
    }

    /// A crash after the store's transaction, before the key file was replaced: the secrets are
    /// sealed with the next key, which still sits beside the old one.
    @Test func aRotationStoppedMidwayStillOpensAndFinishesWhenRunAgain() async throws {
        let old = try await seed()
        let rotation = KeyRotation(keyFile: keyFile)
        let boxes = try rotation.prepare()
        let nextKey = try Data(contentsOf: rotation.pending)
        #expect(try store().resealSecrets(boxes.reseal) == 2)
        // Stopped here: a server started now still opens every secret.
        let meanwhile = try SecretBox.load(keyFile: keyFile)
        #expect(try meanwhile.open(try stored().password) == "s3cret-pw")
        #expect(throws: SecretBox.Failure.self) { try old.open(try stored().password) }

        let r = await cli.run("key rotate")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        let after = try SecretBox.load(keyFile: keyFile)
        #expect(try after.open(try stored().password) == "s3cret-pw")
        #expect(try after.open(try stored().token) == "refresh-1")
        // The rotation finished with the key it had written first: one key, not a third.
        #expect(try Data(contentsOf: keyFile) == nextKey)
    }
}

/// Processes starting together on a new installation (three workers) all end up with the same
/// key, and none reads a half-written one.
@Suite struct KeyCreationRaceTests {
    @Test func everyoneStartingTogetherGetsTheOneKey() throws {
        let cli = try CLI()
        defer { try? FileManager.default.removeItem(at: cli.dir) }
        let file = cli.dir.appendingPathComponent("hubsync.key")
        let boxes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let sealed = try? SecretBox.load(keyFile: file, environment: [:]).seal("x")
            boxes.withLock { $0.append(sealed ?? "failed") }
        }
        let key = try SecretBox.load(keyFile: file, environment: [:])
        let all = boxes.withLock { $0 }
        #expect(all.count == 16)
        #expect(all.allSatisfy { (try? key.open($0)) == "x" }, "\(all.filter { (try? key.open($0)) != "x" })")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.dir.path).filter { $0.hasPrefix("hubsync.key.") }
        #expect(leftovers.isEmpty, "drafts left: \(leftovers)")
    }
}
