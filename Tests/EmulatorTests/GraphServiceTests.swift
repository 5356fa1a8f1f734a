import Emulators
import Foundation
import Testing

/// The Graph emulator's identity endpoints, `$batch`, directory and throttling, with raw HTTP.
@Suite struct GraphServiceTests {
    typealias F = GraphFixture
    static let redirect = "http://localhost:53682/callback"

    func tokenPath(_ fx: F) -> String { "/\(fx.g.tenantID)/oauth2/v2.0/token" }

    @Test func authorizationCodeWithPKCEAndRotatingRefresh() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let (verifier, challenge) = pkcePair()
        let q = [("client_id", F.clientID), ("redirect_uri", Self.redirect), ("response_type", "code"), ("state", "s1"),
                 ("scope", "offline_access openid Contacts.ReadWrite User.Read"), ("code_challenge", challenge),
                 ("code_challenge_method", "S256"), ("login_hint", fx.users[1].upn)]
        let auth = try await peopleHTTP("GET", fx.root, "/organizations/oauth2/v2.0/authorize", q, body: nil, headers: [])
        let items = queryItems(try #require(auth.header("Location").first))
        #expect(auth.status == 302 && items["state"] == "s1")
        let code = try #require(items["code"])
        let wrong = try await fx.form(tokenPath(fx), [("grant_type", "authorization_code"), ("code", code), ("client_id", F.clientID),
                                                      ("redirect_uri", Self.redirect), ("code_verifier", pkcePair().verifier)])
        #expect(wrong.status == 400 && wrong.json["error"] == "invalid_grant" && wrong.json["error_codes"] == [501481])

        let auth2 = try await peopleHTTP("GET", fx.root, "/organizations/oauth2/v2.0/authorize", q, body: nil, headers: [])
        let location2 = try #require(auth2.header("Location").first)
        let code2 = try #require(queryItems(location2)["code"])
        let token = try await fx.form(tokenPath(fx), [("grant_type", "authorization_code"), ("code", code2), ("client_id", F.clientID),
                                                      ("redirect_uri", Self.redirect), ("code_verifier", verifier)])
        #expect(token.status == 200 && token.json["token_type"] == "Bearer" && token.json["id_token"]?.string != nil)
        let access = try #require(token.json["access_token"]?.string), refresh = try #require(token.json["refresh_token"]?.string)
        let me = try await fx.api("GET", "/me", token: access)
        #expect(me.json["userPrincipalName"]?.string == fx.users[1].upn)
        #expect(try await fx.api("GET", "/me/contacts", token: access).json["value"]?.array?.count == 3)
        #expect(try await fx.api("GET", "/users/\(fx.adele)/contacts", token: access).graphCode == "ErrorAccessDenied")

        let r1 = try await fx.form(tokenPath(fx), [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", F.clientID)])
        let refresh2 = try #require(r1.json["refresh_token"]?.string)
        #expect(refresh2 != refresh)
        let reused = try await fx.form(tokenPath(fx), [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", F.clientID)])
        #expect(reused.status == 400 && reused.json["error"] == "invalid_grant")
        #expect(reused.json["error_description"]?.string?.hasPrefix("AADSTS70008:") == true && reused.json["trace_id"]?.string != nil)

        // Access tokens expire on the emulator's clock.
        fx.g.advanceClock(by: 4000)
        let expired = try await fx.api("GET", "/me/contacts", token: access)
        #expect(expired.status == 401 && expired.graphCode == "InvalidAuthenticationToken")
        #expect(try await fx.api("GET", "/me/contacts", token: "garbage").status == 401)
    }

    @Test func clientCredentials() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let ok = try await fx.form(tokenPath(fx), [("grant_type", "client_credentials"), ("client_id", F.clientID),
                                                   ("client_secret", F.secret), ("scope", GraphEmulator.defaultScope)])
        #expect(ok.status == 200 && ok.json["refresh_token"] == nil)
        let token = try #require(ok.json["access_token"]?.string)
        #expect(try await fx.api("GET", "/users", token: token).json["value"]?.array?.count == 4)
        #expect(try await fx.api("GET", "/me/contacts", token: token).json["error"]?["message"] == "/me request is only valid with delegated authentication flow.")
        let scoped = try await fx.form(tokenPath(fx), [("grant_type", "client_credentials"), ("client_id", F.clientID),
                                                       ("client_secret", F.secret), ("scope", "Contacts.ReadWrite")])
        #expect(scoped.status == 400 && scoped.json["error"] == "invalid_scope" && scoped.json["error_codes"] == [1002012])
        let badSecret = try await fx.form(tokenPath(fx), [("grant_type", "client_credentials"), ("client_id", F.clientID),
                                                          ("client_secret", "nope"), ("scope", GraphEmulator.defaultScope)])
        #expect(badSecret.status == 401 && badSecret.json["error"] == "invalid_client")
        let tenant = try await fx.form("/nowhere.example/oauth2/v2.0/token", [("grant_type", "client_credentials")])
        #expect(tenant.json["error_codes"] == [90002])
    }

    @Test func batchRules() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let u = "/users/\(fx.adele)/contacts"
        func req(_ id: String, _ method: String, _ url: String, body: JSONValue? = nil, dependsOn: [String] = []) -> JSONValue {
            var o: [String: JSONValue] = ["id": .string(id), "method": .string(method), "url": .string(url)]
            if let body { o["body"] = body; o["headers"] = ["Content-Type": "application/json"] }
            if !dependsOn.isEmpty { o["dependsOn"] = .array(dependsOn.map { .string($0) }) }
            return .object(o)
        }
        let tooMany = try await fx.api("POST", "/$batch", json: ["requests": .array((1...21).map { req("\($0)", "GET", u) })])
        #expect(tooMany.status == 400)
        #expect(try await fx.api("POST", "/$batch", json: ["requests": [req("a", "GET", u), req("A", "GET", u)]]).status == 400)
        #expect(try await fx.api("POST", "/$batch", json: ["requests": [req("1", "GET", "http://x/v1.0\(u)")]]).status == 400)

        fx.g.faults.inject(.httpStatus(429, retryAfter: 7), operation: "contacts.create")
        let r = try await fx.api("POST", "/$batch", json: ["requests": [
            req("1", "POST", u, body: ["givenName": "One"]), req("2", "POST", u, body: ["givenName": "Two"]),
            req("3", "GET", "\(u)/missing-but-malformed", dependsOn: []),
            req("4", "PATCH", "\(u)/\(try fx.g.contacts(in: fx.adele)[0].id)", body: ["surname": "X"], dependsOn: ["1"]),
        ]])
        #expect(r.status == 200)
        let byID = Dictionary(uniqueKeysWithValues: (r.json["responses"]?.array ?? []).map { ($0["id"]?.string ?? "", $0) })
        #expect(byID["1"]?["status"] == 429 && byID["1"]?["headers"]?["Retry-After"] == "7")
        #expect(byID["2"]?["status"] == 201 && byID["3"]?["status"] == 400 && byID["4"]?["status"] == 424)
        #expect(fx.g.requestCount("contacts.create") == 2 && fx.g.requestCount("batch") == 4)
    }

    @Test func directoryUsersDeltaAndGroups() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let page = try await fx.api("GET", "/users", [("$top", "3"), ("$select", "displayName,jobTitle")])
        #expect(page.json["value"]?.array?.count == 3 && page.json["value"]?.array?.first?["mail"] == nil)
        let rest = try await fx.api("GET", try #require(page.json["@odata.nextLink"]?.string))
        #expect(rest.json["value"]?.array?.count == 1)
        let first = try await fx.deltaRound("/users/delta()", query: [("$select", "displayName,mail")], pageSize: 2)
        #expect(first.items.count == 4 && first.pages == 2)
        try fx.g.updateUser(fx.users[1].upn) { $0["jobTitle"] = "Director" }
        try fx.g.removeUser(fx.users[2].upn)
        let second = try await fx.deltaRound(first.deltaLink)
        #expect(second.items.count == 2 && second.items.contains { $0["@removed"] != nil })
        let latest = try await fx.api("GET", "/users/delta", [("$deltatoken", "latest")])
        #expect(latest.json["value"] == [] && latest.json["@odata.deltaLink"]?.string != nil)
        let members = try await fx.api("GET", "/groups/\(fx.groupID)/members")
        #expect(members.json["value"]?.array?.count == 2)
        #expect(try await fx.api("GET", "/groups").json["value"]?.array?.first?["displayName"] == "All Company")
    }

    @Test func concurrencyLimitAndBudgetPerMailbox() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        // Hold contact listings at the fault hook until four are running; the fifth is refused.
        let held = HeldRequests(parking: 4)
        fx.g.faults.setHook { op in if op == "contacts.list" { await held.arrive() } }
        let path = "/users/\(fx.adele)/contacts"
        async let a = fx.api("GET", path), b = fx.api("GET", path), c = fx.api("GET", path), d = fx.api("GET", path)
        await held.waitFor(4)
        let fifth = try await fx.api("GET", path)
        #expect(fifth.status == 429 && fifth.graphCode == "ApplicationThrottled")
        #expect(fifth.json["error"]?["message"] == "Application is over its MailboxConcurrency limit.")
        #expect(try await fx.api("GET", "/users/\(fx.users[1].upn)/contacts").status != 429)
        await held.releaseAll()
        let statuses = try await [a, b, c, d].map(\.status)
        #expect(statuses == [200, 200, 200, 200] && fx.g.peakConcurrency(mailbox: fx.adele) == 4)
        fx.g.faults.setHook(nil)

        fx.g.setRequestBudget(2, retryAfter: 30)
        _ = try await fx.api("GET", path); _ = try await fx.api("GET", path)
        let over = try await fx.api("GET", path)
        #expect(over.status == 429 && over.graphCode == "TooManyRequests" && over.header("Retry-After") == ["30"])
        fx.g.advanceClock(by: 601)
        #expect(try await fx.api("GET", path).status == 200)
    }

    @Test func lostAnswerAppliesTheWrite() async throws {
        let fx = try await F.start(contactsPerUser: 0)
        defer { Task { await fx.g.stop() } }
        fx.g.faults.inject(.dropAnswer, operation: "contacts.create")
        await #expect(throws: (any Error).self) { try await fx.api("POST", "/users/\(fx.adele)/contacts", json: ["givenName": "Lost"]) }
        #expect(try fx.g.contacts(in: fx.adele).map(\.givenName) == ["Lost"])
        fx.g.faults.inject(.httpStatus(503), operation: "contacts.list")
        #expect(try await fx.api("GET", "/users/\(fx.adele)/contacts").status == 503)
    }
}

/// Requests parked at the fault hook until the test lets them go (no sleeps).
actor HeldRequests {
    /// How many requests to park; later ones pass.
    let parking: Int
    init(parking: Int) { self.parking = parking }
    private var arrived = 0
    private var parked: [CheckedContinuation<Void, Never>] = []
    private var waiters: [(Int, CheckedContinuation<Void, Never>)] = []
    func arrive() async {
        arrived += 1
        for w in waiters where w.0 <= arrived { w.1.resume() }
        waiters.removeAll { $0.0 <= arrived }
        if arrived <= parking { await withCheckedContinuation { parked.append($0) } }
    }
    func waitFor(_ n: Int) async {
        if arrived >= n { return }
        await withCheckedContinuation { waiters.append((n, $0)) }
    }
    func releaseAll() { parked.forEach { $0.resume() }; parked = [] }
}
