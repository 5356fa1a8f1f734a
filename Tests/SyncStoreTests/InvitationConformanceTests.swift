import Foundation
import SyncStore
import SyncStoreSQLite
import Testing

/// Invitations in every store: kept and found by id and by token hash, newest first, unique,
/// and replaced only from the state the caller read (one link accepted once).
struct InvitationConformanceTests {
    static func sample(_ id: String, hash: String, at t: Double) -> Invitation {
        Invitation(
            id: id, kind: .google, email: "\(id)@example.com", tokenHash: hash, organisation: "Example Ltd", createdBy: "admin",
            createdAt: at(t), expiresAt: at(t + 7 * 86400))
    }

    @Test(arguments: StoreKind.allCases)
    func keptFoundAndReplacedOnce(kind: StoreKind) throws {
        try kind.with { store in
            let invitations = try #require(store as? any InvitationStore)
            #expect(try invitations.invitations().isEmpty)
            let first = Self.sample("aaa", hash: "h1", at: 1), second = Self.sample("bbb", hash: "h2", at: 2)
            try invitations.insertInvitation(first)
            try invitations.insertInvitation(second)
            #expect(try invitations.invitations().map(\.id) == ["bbb", "aaa"])
            #expect(try invitations.invitation(id: "aaa") == first)
            #expect(try invitations.invitation(tokenHash: "h2") == second)
            #expect(try invitations.invitation(tokenHash: "nope") == nil)
            // Neither the id nor the token hash twice.
            #expect(throws: StoreError.self) { try invitations.insertInvitation(Self.sample("aaa", hash: "h3", at: 3)) }
            #expect(throws: StoreError.self) { try invitations.insertInvitation(Self.sample("ccc", hash: "h1", at: 3)) }

            var accepted = first
            accepted.state = .accepted
            accepted.acceptedAt = at(10)
            accepted.account = "aaa@example.com"
            accepted.settings = ["google.refreshToken": "enc:v1:sealed", "google.account": "aaa@example.com"]
            #expect(try invitations.replaceInvitation(accepted, ifState: .pending))
            // A second acceptance read the same pending state: it loses.
            #expect(try !invitations.replaceInvitation(accepted, ifState: .pending))
            #expect(try invitations.invitation(id: "aaa") == accepted)

            var revoked = accepted
            revoked.state = .revoked
            revoked.revokedAt = at(20)
            revoked.revokedBy = .invitee
            revoked.settings = nil
            #expect(try invitations.replaceInvitation(revoked, ifState: .accepted))
            #expect(try invitations.invitation(id: "aaa") == revoked)
            #expect(try !invitations.replaceInvitation(Self.sample("zzz", hash: "h9", at: 1), ifState: .pending))
        }
    }

    @Test func expiryIsReadNotStored() {
        let i = Self.sample("aaa", hash: "h", at: 0)
        #expect(i.status(at: at(7 * 86400 - 1)) == .pending)
        #expect(i.status(at: at(7 * 86400)) == .expired)
        var accepted = i
        accepted.state = .accepted
        #expect(accepted.status(at: at(30 * 86400)) == .accepted)
    }

    /// A database of every older schema gains the table (the migration only adds it).
    @Test(arguments: ["hub-before-hostile-engine.sqlite", "hub-before-listing-resume.sqlite", "hub-before-two-kinds.sqlite"])
    func olderDatabasesGainTheTable(_ fixture: String) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(fixture)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("invite-fixture-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hub.sqlite").path
        try FileManager.default.copyItem(atPath: source.path, toPath: path)
        let store = try SQLiteStore(path: path)
        #expect(try !store.hubs().isEmpty)
        #expect(try store.invitations().isEmpty)
        try store.insertInvitation(Self.sample("aaa", hash: "h", at: 1))
        #expect(try store.invitation(tokenHash: "h")?.id == "aaa")
    }
}
