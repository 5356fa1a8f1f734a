import Foundation
import Testing
import Secrets
import SyncModel
import SyncStore
import SyncStoreSQLite
@testable import HubCLI

/// `hubsync key rotate`: every sealed secret (a network spoke's password, an invitation's
/// token) opens with the new key and no longer with the old one; an interrupted rotation leaves
/// a working installation and finishes when run again.
@Suite struct KeyRotateTests {
    let cli: CLI
    let keyFile: URL
    init() throws {
        cli = try CLI()
        keyFile = cli.dir.appendingPathComponent("hubsync.key")
    }

    /// A hub with a CardDAV spoke whose password is sealed, and an accepted invitation.
    func seed() async throws -> SecretBox {
        _ = await cli.run("hub create Team")
        let store = try SQLiteStore(path: cli.db)
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
        let store = try SQLiteStore(path: cli.db)
        let spoke = try #require(try store.spokes(hub: "team").first)
        let invitation = try #require(try store.invitation(id: "inv1"))
        return (spoke.settings["password"] ?? "", invitation.settings?["google.refreshToken"] ?? "", invitation.settings?["google.account"])
    }

    @Test func rotateResealsEverySecretAndKeepsTheOldKeyApart() async throws {
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
        // The database holds no secret in clear.
        let db = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        #expect(db.range(of: Data("s3cret-pw".utf8)) == nil)

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
        #expect(try SQLiteStore(path: cli.db).resealSecrets(boxes.reseal) == 2)
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
