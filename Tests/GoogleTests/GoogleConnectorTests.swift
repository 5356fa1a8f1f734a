import ConnectorGoogle
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// The Google spoke against the People API emulator.
@Suite struct GoogleConnectorTests {
    func with(_ body: (Google) async throws -> Void) async throws {
        let g = try await Google.start()
        do { try await body(g) } catch { await g.stop(); throw error }
        await g.stop()
    }

    @Test func conformanceCreateListFind() async throws {
        try await with { try await ConnectorConformance.createThenListAndFind($0.spoke()) }
    }
    @Test func conformanceVersions() async throws {
        try await with { try await ConnectorConformance.updatesNeedTheCurrentVersion($0.spoke()) }
    }
    @Test func conformancePages() async throws {
        try await with { try await ConnectorConformance.pagesCoverEveryItemOnce($0.spoke(pageSize: 3, batch: 4)) }
    }
    @Test func conformanceFields() async throws {
        try await with { try await ConnectorConformance.everyFieldSurvives($0.spoke()) }
    }

    /// Google's free `type` holds custom label text, `sourcePrimary` the preferred value, the IM
    /// protocol the service; work, home and other faxes are types of their own.
    @Test func labelDetailsSurvive() async throws {
        try await with { g in
            let got = try await ConnectorConformance.labelDetailsSurvive(g.spoke())
            #expect(got?.phones.map(\.label) == [.workFax, .homeFax, .fax, .other])
            #expect(got?.phones.last?.customLabel == "Cottage")
            #expect(got?.emails.map(\.preferred) == [true, false])
            #expect(got?.emails.last?.customLabel == "Assistant")
            #expect(got?.addresses.first?.customLabel == "Summer house")
            #expect(got?.ims.map(\.value) == ["ada.lovelace", "ada@jabber.example", "ada.signal"])
            #expect(got?.ims.map(\.service) == ["skype", "jabber", "Signal"])
            let person = try #require(try g.contacts().first)
            #expect(person.fields["phoneNumbers"]?.array?.last?["type"] == "Boat")
            #expect(person.fields["imClients"]?.array?.first?["protocol"] == "skype")
        }
    }

    @Test func syncTokensGiveOnlyWhatChanged() async throws {
        try await with { g in
            let spoke = g.spoke()
            let a = try g.add("Ann"), b = try g.add("Ben")
            try g.add("Cat")
            let first = try await spoke.pull(since: nil, page: nil)
            #expect(first.mode == .full)
            #expect(first.changes.count == 3)
            let cursor = try #require(first.cursor)
            try g.emulator.updateContact(a.resourceName, in: Google.email) { $0["nicknames"] = [["value": "Annie"]] }
            try g.emulator.deleteContact(b.resourceName, in: Google.email)
            try g.add("Dan")
            let next = try await spoke.pull(since: cursor, page: nil)
            #expect(next.mode == .incremental)
            var upserted: [String] = []
            var deleted: [RemoteID] = []
            for change in next.changes {
                switch change {
                case .upsert(let r): upserted.append(r.contact.givenName ?? "")
                case .delete(let id): deleted.append(id)
                }
            }
            #expect(upserted.sorted() == ["Ann", "Dan"])
            #expect(deleted == [RemoteID(b.resourceName)])
            let before = g.emulator.requestCount("people.connections.list")
            let quiet = try await spoke.pull(since: next.cursor, page: nil)
            #expect(quiet.changes.isEmpty)
            #expect(g.emulator.requestCount("people.connections.list") == before + 1)
        }
    }

    @Test func anExpiredSyncTokenListsEverythingAndDeletesNothing() async throws {
        try await with { g in
            let spoke = g.spoke()
            for i in 0..<3 { try g.add("P\(i)") }
            let cursor = try #require(try await spoke.pull(since: nil, page: nil).cursor)
            g.emulator.expireSyncTokens()
            let after = try await spoke.pull(since: cursor, page: nil)
            #expect(after.mode == .full)
            #expect(after.changes.count == 3)
            #expect(after.cursor != nil)
        }
    }

    @Test func signInWithPKCEThenAnExpiredAccessTokenIsRefreshed() async throws {
        try await with { g in
            // The browser leg: the emulator approves and redirects to our loopback URI.
            let pkce = PKCE()
            let redirect = "http://127.0.0.1:9/oauth/google"
            let url = GoogleOAuth.authorizationURL(g.settings, redirectURI: redirect, state: "st-1", pkce: pkce,
                                                   loginHint: Google.email)
            let answer = try await Self.browse(HTTPRequest(.get, url))
            #expect([302, 303].contains(answer.status))
            let location = try #require(answer.header("Location").flatMap { URLComponents(string: $0) })
            let query = Dictionary(uniqueKeysWithValues: (location.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(query["state"] == "st-1")
            let code = try #require(query["code"])
            // A wrong verifier is refused; the right one gets tokens.
            await #expect(throws: ConnectorError.self) {
                _ = try await GoogleOAuth.exchange(code: code, pkce: PKCE(), redirectURI: redirect, g.settings, http: g.plainClient())
            }
            let code2 = try await Self.code(g, pkce, redirect)
            let tokens = try await GoogleOAuth.exchange(code: code2, pkce: pkce, redirectURI: redirect, g.settings, http: g.plainClient())
            let rotations = Rotations()
            let spoke = g.spoke(source: g.tokenSource(tokens, rotated: rotations))
            try g.add("Ann")
            #expect(try await spoke.pull(since: nil, page: nil).changes.count == 1)
            // Google ends the access token early: refused once, refreshed, and the pull goes on.
            g.emulator.expireAccessTokens()
            #expect(try await spoke.pull(since: nil, page: nil).changes.count == 1)
            #expect(g.emulator.requestCount("oauth.token.refresh_token") == 1)
            #expect(rotations.all.count == 1)
            // A revoked grant: the user must sign in again.
            g.emulator.revokeRefreshTokens(for: nil)
            g.emulator.expireAccessTokens()
            do {
                _ = try await spoke.pull(since: nil, page: nil)
                Issue.record("no error")
            } catch let e as ConnectorError {
                #expect(e.kind == .unauthorized)
            }
        }
    }

    /// One request as a browser sends it (redirects not followed), on a transport shut down on
    /// every path.
    static func browse(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withResource({ AHCTransport(followRedirects: false) }, close: { try await $0.shutdown() }) {
            try await $0.send(request)
        }
    }

    static func code(_ g: Google, _ pkce: PKCE, _ redirect: String) async throws -> String {
        let answer = try await browse(HTTPRequest(.get, GoogleOAuth.authorizationURL(
            g.settings, redirectURI: redirect, state: "s", pkce: pkce)))
        let location = URLComponents(string: answer.header("Location") ?? "")
        return location?.queryItems?.first { $0.name == "code" }?.value ?? ""
    }

    @Test func quotaAnswersAreWaitedOut() async throws {
        try await with { g in
            let waits = Sleeps()
            let spoke = g.spoke(waits: waits)
            try g.add("Ann")
            g.emulator.setQuota(requestsPerMinute: 1, answer: .resourceExhausted429, retryAfter: 61)
            _ = try await spoke.pull(since: nil, page: nil)
            _ = try await spoke.pull(since: nil, page: nil)
            #expect(waits.all.contains(.seconds(61)))
            g.emulator.setQuota(requestsPerMinute: 1, answer: .rateLimitExceeded403)
            _ = try await spoke.pull(since: nil, page: nil)
            _ = try await spoke.pull(since: nil, page: nil)
            #expect(g.emulator.throttledCount >= 2)
        }
    }

    @Test func aLostAnswerToACreateIsNotSentAgainAndTheMarkerFindsIt() async throws {
        try await with { g in
            let spoke = g.spoke()
            let m = CreateMarker(hub: HubID("h"), item: ItemID("lost"))
            g.emulator.faults.inject(.dropAnswer, count: 1, operation: "people.batchCreateContacts")
            await #expect(throws: ConnectorError.self) { _ = try await spoke.write([.create(Contact(givenName: "Lu"), m)]) }
            #expect(g.emulator.requestCount("people.batchCreateContacts") == 1)
            let stored = try g.contacts()
            #expect(stored.count == 1)
            let found = try await spoke.find(marker: m)
            #expect(found?.contact.givenName == "Lu")
        }
    }

    @Test func aBatchRefusedWholeIsSentContactByContact() async throws {
        try await with { g in
            g.emulator.faults.inject(.httpStatus(400), count: 1, operation: "people.batchCreateContacts")
            let ops = (0..<3).map { WriteOp.create(Contact(givenName: "B\($0)"), CreateMarker(hub: HubID("h"), item: ItemID("b\($0)"))) }
            let out = try await g.spoke().write(ops)
            #expect(out.allSatisfy { if case .created = $0 { true } else { false } })
            #expect(g.emulator.requestCount("people.createContact") == 3)
            #expect(try g.contacts().count == 3)
        }
    }

    @Test func serverErrorsAreRetried() async throws {
        try await with { g in
            let waits = Sleeps()
            try g.add("Ann")
            g.emulator.faults.inject(.httpStatus(503, retryAfter: 3), count: 2, operation: "people.connections.list")
            #expect(try await g.spoke(waits: waits).pull(since: nil, page: nil).changes.count == 1)
            #expect(waits.all == [.seconds(3), .seconds(3)])
        }
    }

    @Test func groupsAreCategoriesBothWays() async throws {
        try await with { g in
            let spoke = g.spoke()
            let m = CreateMarker(hub: HubID("h"), item: ItemID("g1"))
            guard case .created(let id, _) = try await spoke.write([.create(Contact(givenName: "Vi", categories: ["VIP"]), m)]).first
            else { Issue.record("not created"); return }
            let vip = try #require(try g.emulator.groups(in: Google.email).first { $0.name == "VIP" })
            #expect(vip.memberResourceNames == [id.rawValue])
            let friends = try g.emulator.createGroup(named: "Friends", in: Google.email)
            _ = try g.emulator.setGroups([vip.resourceName, friends.resourceName, "contactGroups/myContacts"], of: id.rawValue,
                                         in: Google.email)
            let fresh = g.spoke()
            #expect(try await fresh.fetch(id)?.contact.categories.sorted() == ["Friends", "VIP"])
        }
    }
}
