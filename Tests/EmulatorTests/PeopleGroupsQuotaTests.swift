import Emulators
import Foundation
import Testing

/// Contact groups, the per-account quota and the shared fault plan on the People emulator.
@Suite struct PeopleGroupsQuotaTests {
    typealias F = PeopleFixture

    @Test func contactGroups() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let a = try fx.g.createContact(in: F.email, givenName: "A"), b = try fx.g.createContact(in: F.email, givenName: "B")
        let created = try await fx.api("POST", "/v1/contactGroups", json: ["contactGroup": ["name": "Friends"]])
        #expect(created.status == 200 && created.json["groupType"]?.string == "USER_CONTACT_GROUP")
        let group = try #require(created.json["resourceName"]?.string)
        #expect(try await fx.api("POST", "/v1/contactGroups", json: ["contactGroup": ["name": "Friends"]]).status == 409)

        let listed = try await fx.api("GET", "/v1/contactGroups")
        #expect(listed.json["contactGroups"]?.array?.compactMap { $0["resourceName"]?.string }
                == ["contactGroups/myContacts", "contactGroups/starred", group])
        #expect(listed.json["contactGroups"]?.array?.first?["groupType"]?.string == "SYSTEM_CONTACT_GROUP")
        #expect(listed.json["contactGroups"]?.array?.first?["memberCount"]?.int == 2)

        let modify = try await fx.api("POST", "/v1/\(group)/members:modify",
                                      json: ["resourceNamesToAdd": [.string(a.resourceName), .string(b.resourceName), "people/c1"]])
        #expect(modify.status == 200 && modify.json["notFoundResourceNames"] == ["people/c1"])
        let got = try await fx.api("GET", "/v1/\(group)", [("maxMembers", "10")])
        #expect(got.json["memberCount"]?.int == 2 && got.json["memberResourceNames"]?.array?.count == 2)
        let person = try await fx.api("GET", "/v1/\(a.resourceName)", [("personFields", "memberships")])
        #expect(person.json["memberships"]?.array?.compactMap { $0["contactGroupMembership"]?["contactGroupResourceName"]?.string }
                == ["contactGroups/myContacts", group])
        #expect(fx.g.contact(a.resourceName, in: F.email)!.etag != a.etag)  // membership changes are contact changes

        // Removing a contact's last group is refused.
        let only = try await fx.api("POST", "/v1/contactGroups/myContacts/members:modify", json: ["resourceNamesToRemove": [.string(b.resourceName)]])
        #expect(only.json["canNotRemoveLastContactGroupResourceNames"] == nil)  // still in Friends
        _ = try await fx.api("POST", "/v1/\(group)/members:modify", json: ["resourceNamesToRemove": [.string(b.resourceName)]])
        #expect(try await fx.api("POST", "/v1/\(group)/members:modify", json: ["resourceNamesToAdd": [.string(b.resourceName)]]).status == 200)

        // Rename with the current etag (membership changes gave the group new ones); a stale etag is refused.
        let current = try await fx.api("GET", "/v1/\(group)")
        #expect(current.json["etag"] != got.json["etag"])
        let renamed = try await fx.api("PUT", "/v1/\(group)", json: ["contactGroup": ["resourceName": .string(group), "etag": current.json["etag"]!, "name": "Close friends"]])
        #expect(renamed.status == 200 && renamed.json["name"]?.string == "Close friends")
        let stale = try await fx.api("PUT", "/v1/\(group)", json: ["contactGroup": ["etag": got.json["etag"]!, "name": "x"]])
        #expect(stale.status == 400 && stale.errorStatus == "FAILED_PRECONDITION")
        #expect(try await fx.api("DELETE", "/v1/contactGroups/myContacts").status == 400)

        // Deleting the group keeps the contacts, without the membership.
        #expect(try await fx.api("DELETE", "/v1/\(group)").status == 200)
        #expect(fx.g.contact(a.resourceName, in: F.email)?.groups == ["contactGroups/myContacts"])
        #expect(try await fx.api("GET", "/v1/\(group)").status == 404)
        #expect(try fx.g.groups(in: F.email).map(\.name) == ["myContacts", "starred"])
    }

    @Test func quota429AndRateLimit403() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        fx.g.setQuota(requestsPerMinute: 3, retryAfter: 7)
        for _ in 0..<3 { #expect(try await fx.api("GET", "/v1/contactGroups").status == 200) }
        let refused = try await fx.api("GET", "/v1/people/me/connections", [("personFields", "names")])
        #expect(refused.status == 429 && refused.errorStatus == "RESOURCE_EXHAUSTED" && refused.errorReason == "RATE_LIMIT_EXCEEDED")
        #expect(refused.json["error"]?["code"]?.int == 429 && refused.header("Retry-After") == ["7"])
        #expect(fx.g.throttledCount == 1)
        fx.g.advanceClock(by: 60)  // next minute window
        #expect(try await fx.api("GET", "/v1/contactGroups").status == 200)

        fx.g.setQuota(requestsPerMinute: 0, answer: .userRateLimitExceeded403)
        let r403 = try await fx.api("GET", "/v1/contactGroups")
        #expect(r403.status == 403 && r403.json["error"]?["errors"]?.array?.first?["reason"]?.string == "userRateLimitExceeded")
        fx.g.setQuota(requestsPerMinute: nil)
        #expect(try await fx.api("GET", "/v1/contactGroups").status == 200)
    }

    @Test func sharedFaults() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        fx.g.faults.inject(.httpStatus(503, retryAfter: 2), count: 1, operation: "people.connections.list")
        fx.g.faults.inject(.dropConnection, count: 1, operation: "contactGroups.list")
        let r = try await fx.api("GET", "/v1/people/me/connections", [("personFields", "names")])
        #expect(r.status == 503 && r.errorStatus == "UNAVAILABLE" && r.header("Retry-After") == ["2"])
        await #expect(throws: (any Error).self) { try await fx.api("GET", "/v1/contactGroups") }
        // dropAnswer: the write happens, the answer is lost.
        fx.g.faults.inject(.dropAnswer, count: 1, operation: "people.createContact")
        await #expect(throws: (any Error).self) {
            try await fx.api("POST", "/v1/people:createContact", json: ["names": [["givenName": "Lost"]]])
        }
        #expect(try fx.g.contacts(in: F.email).map(\.givenName) == ["Lost"])
        fx.g.faults.inject(.httpStatus(500), count: 1, operation: "oauth.token")
        let token = try await fx.form("/token", [("grant_type", "refresh_token"), ("refresh_token", fx.refresh),
                                                 ("client_id", F.clientID), ("client_secret", F.secret)])
        #expect(token.status == 500)
        #expect(fx.g.faults.injectedCount == 4)
        #expect(fx.g.requestCount("people.connections.list") == 1 && fx.g.requestCount("people.createContact") == 1)
    }
}
