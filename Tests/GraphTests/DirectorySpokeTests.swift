@testable import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// The directory spoke against the Graph emulator's `/users/delta`: who is listed, the deltaLink
/// as the cursor, changes and deletions, an expired token, photos, and that it takes no writes.
@Suite struct DirectorySpokeTests {
    static func spoke(_ g: Graph, exclude: [String] = [], pageSize: Int = 200) -> DirectorySpoke {
        var s = g.settings(pageSize: pageSize)
        s.mailbox = nil
        let source = GraphTokenSource(refreshToken: nil, settings: s, http: HTTPClient(transport: AHCTransport.shared()))
        let http = HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: RetryPolicy(random: { 1 }),
                              sleep: Sleeps().sleeper)
        return DirectorySpoke(settings: s, http: http, excluding: exclude)
    }

    /// Every page of a pull from `cursor`.
    static func all(_ spoke: DirectorySpoke, since cursor: SpokeCursor?) async throws -> (pages: [PullPage], cursor: SpokeCursor?) {
        var pages: [PullPage] = []
        var page: PageToken?
        repeat {
            let p = try await spoke.pull(since: cursor, page: page)
            pages.append(p)
            page = p.next
        } while page != nil
        return (pages, pages.last?.cursor)
    }

    static func upserts(_ pages: [PullPage]) -> [RemoteItem] {
        pages.flatMap(\.changes).compactMap { if case .upsert(let i) = $0 { i } else { nil } }
    }
    static func deletes(_ pages: [PullPage]) -> [RemoteID] {
        pages.flatMap(\.changes).compactMap { if case .delete(let id) = $0 { id } else { nil } }
    }

    @Test func listsMembersLeavesOutGuestsDisabledAndUnmailedAndFollowsDelta() async throws {
        try await Graph.with { g in
            let e = g.emulator
            let bob = e.addUser(displayName: "Bob Ray", mailNickname: "bob", givenName: "Bob", surname: "Ray", jobTitle: "Pilot",
                                officeLocation: "B2", businessPhone: "+1 555 0100", mailbox: false)
            let guest = e.addUser(displayName: "Pat Guest", mailNickname: "pat", mailbox: false)
            try e.updateUser(guest.upn) { $0["userType"] = "Guest" }
            let room = e.addUser(displayName: "Room 1", mailNickname: "room1")
            try e.updateUser(room.upn) { $0["accountEnabled"] = false }
            let svc = e.addUser(displayName: "Service", mailNickname: "svc", mailbox: false)
            try e.updateUser(svc.upn) { $0["mail"] = .null }
            let boss = e.addUser(displayName: "The Boss", mailNickname: "boss", mailbox: false)
            try e.setUserPhoto(bob.upn, data: Data([0xFF, 0xD8, 0xFF, 0xD9]))
            let spoke = Self.spoke(g, exclude: [boss.upn], pageSize: 2)
            #expect(spoke.readOnly)

            let first = try await Self.all(spoke, since: nil)
            #expect(first.pages.allSatisfy { $0.mode == .full } && first.pages.count > 1)
            let listed = Self.upserts(first.pages)
            #expect(Set(listed.map(\.id.rawValue)) == [e.users.first!.id, bob.id])
            let b = try #require(listed.first { $0.id.rawValue == bob.id })
            #expect(b.contact.title == "Pilot" && b.contact.custom["OfficeLocation"] == "B2" && b.contact.photo?.data.count == 4)
            let cursor = try #require(first.cursor)
            #expect(cursor.rawValue.contains("deltatoken"))

            // Nothing changed: nothing comes.
            let idle = try await Self.all(spoke, since: cursor)
            #expect(idle.pages.allSatisfy { $0.mode == .incremental && $0.changes.isEmpty })

            // A rename, a user disabled, one deleted, one new.
            try e.updateUser(bob.upn) { $0["displayName"] = "Robert Ray"; $0["givenName"] = "Robert" }
            try e.updateUser(g.upn) { $0["accountEnabled"] = false }
            let cy = e.addUser(displayName: "Cy Dee", mailNickname: "cy", mailbox: false)
            let next = try await Self.all(spoke, since: idle.cursor)
            #expect(Set(Self.upserts(next.pages).map(\.id.rawValue)) == [bob.id, cy.id])
            #expect(Self.upserts(next.pages).first { $0.id.rawValue == bob.id }?.contact.givenName == "Robert")
            #expect(Self.deletes(next.pages).map(\.rawValue) == [e.users.first!.id])
            try e.removeUser(cy.upn)
            let after = try await Self.all(spoke, since: next.cursor)
            #expect(Self.deletes(after.pages).map(\.rawValue) == [cy.id])
        }
    }

    @Test func anExpiredTokenListsTheDirectoryWholeNeverAWipe() async throws {
        try await Graph.with { g in
            let e = g.emulator
            _ = e.addUser(displayName: "Bob Ray", mailNickname: "bob", mailbox: false)
            let spoke = Self.spoke(g)
            let first = try await Self.all(spoke, since: nil)
            e.expireDeltaTokens()
            let again = try await Self.all(spoke, since: first.cursor)
            #expect(again.pages.allSatisfy { $0.mode == .full })
            #expect(Self.upserts(again.pages).count == 2 && Self.deletes(again.pages).isEmpty)
        }
    }

    @Test func knownVersionsSkipUnchangedUsersAndTheirPhotos() async throws {
        try await Graph.with { g in
            let spoke = Self.spoke(g)
            let first = try await Self.all(spoke, since: nil)
            let held = Dictionary(uniqueKeysWithValues: Self.upserts(first.pages).map { ($0.id, $0.version!) })
            g.emulator.resetCounters()
            let p = try await spoke.pull(since: nil, page: nil, known: KnownVersions { ids in held.filter { ids.contains($0.key) } })
            #expect(p.changes.isEmpty && p.unchanged.count == held.count)
            #expect(g.emulator.requestCount("users.photo") == 0)
        }
    }

    @Test func itTakesNoWrites() async throws {
        try await Graph.with { g in
            let outcomes = try await Self.spoke(g).write([.delete(RemoteID("x"), nil)])
            guard case .failed? = outcomes.first else { Issue.record("a write went through: \(outcomes)"); return }
        }
    }
}
