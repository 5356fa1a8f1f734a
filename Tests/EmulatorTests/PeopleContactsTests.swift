import Emulators
import Foundation
import Testing

/// Connections paging and sync tokens, etag-checked writes and batches, raw HTTP.
@Suite struct PeopleContactsTests {
    typealias F = PeopleFixture
    let list = "/v1/people/me/connections"

    /// Every page of a listing: (people, pages, nextSyncToken).
    func listAll(_ fx: F, _ query: [(String, String)]) async throws -> ([JSONValue], [JSONResult], String?) {
        var people: [JSONValue] = [], pages: [JSONResult] = [], pageToken: String?
        repeat {
            let r = try await fx.api("GET", list, query + (pageToken.map { [("pageToken", $0)] } ?? []))
            try #require(r.status == 200, "\(r.body)")
            pages.append(r)
            people += r.json["connections"]?.array ?? []
            pageToken = r.json["nextPageToken"]?.string
        } while pageToken != nil
        return (people, pages, pages.last?.json["nextSyncToken"]?.string)
    }

    @Test func connectionsPagingAndSyncTokens() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let seeded = try fx.g.seedContacts(5, in: F.email)
        let (all, pages, token) = try await listAll(fx, [("personFields", "names,emailAddresses,metadata"), ("pageSize", "2"),
                                                         ("requestSyncToken", "true")])
        #expect(all.map { $0["resourceName"]?.string } == seeded.map(\.resourceName))
        #expect(pages.count == 3 && pages[0].json["totalPeople"]?.int == 5)
        #expect(pages.dropLast().allSatisfy { $0.json["nextSyncToken"] == nil })
        let syncToken = try #require(token)
        #expect(all[0]["metadata"]?["sources"]?.array?.first?["type"]?.string == "CONTACT")
        #expect(all[0]["resourceName"]?.string?.hasPrefix("people/c") == true)

        // Another client: update, delete, create.
        let updated = try fx.g.updateContact(seeded[1].resourceName, in: F.email) { $0["nicknames"] = [["value": "Two"]] }
        #expect(updated.etag != seeded[1].etag)
        try fx.g.deleteContact(seeded[2].resourceName, in: F.email)
        let created = try fx.g.createContact(in: F.email, givenName: "New", emailAddress: "new@example.org")

        let (changes, _, token2) = try await listAll(fx, [("personFields", "names,nicknames"), ("syncToken", syncToken),
                                                          ("requestSyncToken", "true")])
        #expect(changes.map { $0["resourceName"]?.string } == [seeded[1].resourceName, seeded[2].resourceName, created.resourceName])
        #expect(changes[0]["nicknames"]?.array?.first?["value"]?.string == "Two" && changes[0]["etag"]?.string == updated.etag)
        #expect(changes[1]["metadata"]?["deleted"]?.bool == true)
        #expect(changes[2].givenName == "New")
        let token2Value = try #require(token2)

        // Nothing changed since: no connections, a fresh token.
        let quiet = try await fx.api("GET", list, [("personFields", "names"), ("syncToken", token2Value), ("requestSyncToken", "true")])
        #expect(quiet.status == 200 && quiet.json["connections"] == nil && quiet.json["nextSyncToken"] != nil)

        // Expired tokens: FAILED_PRECONDITION with reason EXPIRED_SYNC_TOKEN.
        fx.g.expireSyncTokens()
        let expired = try await fx.api("GET", list, [("personFields", "names"), ("syncToken", token2Value)])
        #expect(expired.status == 400 && expired.errorStatus == "FAILED_PRECONDITION" && expired.errorReason == "EXPIRED_SYNC_TOKEN")
        #expect(expired.errorMessage == "Sync token is expired. Clear local cache and retry call without the sync token.")
        #expect(expired.json["error"]?["details"]?.array?.first?["@type"]?.string == "type.googleapis.com/google.rpc.ErrorInfo")

        // ... and by age.
        fx.g.syncTokenMaxAge = 3600
        let (_, _, fresh) = try await listAll(fx, [("personFields", "names"), ("requestSyncToken", "true")])
        #expect(try await fx.api("GET", list, [("personFields", "names"), ("syncToken", fresh!)]).status == 200)
        fx.g.advanceClock(by: 3601)
        #expect(try await fx.api("GET", list, [("personFields", "names"), ("syncToken", fresh!)], token: fx.g.issueTokens(for: F.email).access).errorReason == "EXPIRED_SYNC_TOKEN")
    }

    @Test func listingArgumentsChecked() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let noMask = try await fx.api("GET", list)
        #expect(noMask.status == 400 && noMask.errorStatus == "INVALID_ARGUMENT" && noMask.errorMessage?.hasPrefix("personFields mask is required") == true)
        #expect(try await fx.api("GET", list, [("personFields", "names,bogus")]).status == 400)
        #expect(try await fx.api("GET", list, [("personFields", "names"), ("pageSize", "1001")]).status == 400)
        #expect(try await fx.api("GET", list, [("personFields", "names"), ("sortOrder", "SIDEWAYS")]).status == 400)
        try fx.g.seedContacts(3, in: F.email)
        let sorted = try await fx.api("GET", list, [("personFields", "names"), ("sortOrder", "LAST_MODIFIED_DESCENDING")])
        #expect(sorted.json["connections"]?.array?.map(\.givenName) == ["Seed3", "Seed2", "Seed1"])
        #expect(sorted.json["connections"]?.array?.first?["names"]?.array?.first?["displayName"]?.string == "Seed3 Contact")
    }

    @Test func etagCheckedWritesAndBatches() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let create = try await fx.api("POST", "/v1/people:batchCreateContacts", json: [
            "contacts": .array((1...3).map { ["contactPerson": ["names": [["givenName": .string("B\($0)")]],
                                                                "emailAddresses": [["value": .string("b\($0)@example.org"), "type": "work"]]]] }),
            "readMask": "names,emailAddresses,memberships"])
        #expect(create.status == 200)
        let people = try #require(create.json["createdPeople"]?.array?.compactMap { $0["person"] })
        #expect(people.count == 3 && people[0]["emailAddresses"]?.array?.first?["formattedType"]?.string == "Work")
        #expect(people[0]["memberships"]?.array?.first?["contactGroupMembership"]?["contactGroupResourceName"]?.string == "contactGroups/myContacts")
        let names = people.compactMap { $0["resourceName"]?.string }

        // updateContact with the current etag, then with the stale one.
        let first = try await fx.api("PATCH", "/v1/\(names[0]):updateContact", [("updatePersonFields", "names")],
                                     json: ["etag": people[0]["etag"]!, "names": [["givenName": "B1x"]]])
        #expect(first.status == 200 && first.json.givenName == "B1x" && first.json["etag"] != people[0]["etag"])
        #expect(first.json["emailAddresses"]?.array?.count == 1)  // not in updatePersonFields: untouched
        let stale = try await fx.api("PATCH", "/v1/\(names[0]):updateContact", [("updatePersonFields", "names")],
                                     json: ["etag": people[0]["etag"]!, "names": [["givenName": "lost"]]])
        #expect(stale.status == 400 && stale.errorStatus == "FAILED_PRECONDITION")
        #expect(stale.errorMessage == "Request person.etag is different than the current person.etag. Clear local cache and get the latest person.")
        let noEtag = try await fx.api("PATCH", "/v1/\(names[0]):updateContact", [("updatePersonFields", "names")], json: ["names": [["givenName": "x"]]])
        #expect(noEtag.status == 400 && noEtag.errorStatus == "INVALID_ARGUMENT")
        let noMask = try await fx.api("PATCH", "/v1/\(names[0]):updateContact", json: ["etag": first.json["etag"]!])
        #expect(noMask.status == 400 && noMask.errorMessage?.hasPrefix("updatePersonFields mask is required") == true)

        // batchUpdateContacts: names[0] carries its stale etag; the others succeed.
        let batch = try await fx.api("POST", "/v1/people:batchUpdateContacts", json: [
            "contacts": .object(Dictionary(uniqueKeysWithValues: names.indices.map { i in
                (names[i], ["etag": people[i]["etag"]!, "names": [["givenName": .string("U\(i)")]]] as JSONValue)
            })),
            "updateMask": "names", "readMask": "names"])
        #expect(batch.status == 200)
        let results = try #require(batch.json["updateResult"])
        #expect(results[names[0]]?["httpStatusCode"]?.int == 400 && results[names[0]]?["status"]?["code"]?.int == 9)
        #expect(results[names[1]]?["person"]?.givenName == "U1" && results[names[2]]?["person"]?.givenName == "U2")
        #expect(fx.g.contact(names[0], in: F.email)?.givenName == "B1x")
        #expect(fx.g.contact(names[1], in: F.email)?.givenName == "U1")

        // Limits.
        let tooMany = try await fx.api("POST", "/v1/people:batchCreateContacts", json: [
            "contacts": .array(Array(repeating: ["contactPerson": ["names": [["givenName": "x"]]]], count: 201)), "readMask": "names"])
        #expect(tooMany.status == 400 && tooMany.errorStatus == "INVALID_ARGUMENT")

        // batchDeleteContacts, then the people are gone.
        let del = try await fx.api("POST", "/v1/people:batchDeleteContacts", json: ["resourceNames": [.string(names[1]), .string(names[2])]])
        #expect(del.status == 200 && del.json == [:])
        let gone = try await fx.api("GET", "/v1/\(names[1])", [("personFields", "names")])
        #expect(gone.status == 404 && gone.errorStatus == "NOT_FOUND")
        let got = try await fx.api("GET", "/v1/people:batchGet", [("resourceNames", names[0]), ("resourceNames", names[1]), ("personFields", "names")])
        #expect(got.json["responses"]?.array?.map { $0["httpStatusCode"]?.int } == [200, 404])
        #expect(try fx.g.contacts(in: F.email).count == 1)
        #expect(try await fx.api("DELETE", "/v1/\(names[0]):deleteContact").status == 200)
        #expect(try await fx.api("DELETE", "/v1/\(names[0]):deleteContact").status == 404)
    }

    @Test func photos() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let p = try fx.g.createContact(in: F.email, givenName: "Pic")
        let before = try await fx.api("GET", "/v1/\(p.resourceName)", [("personFields", "photos")])
        #expect(before.json["photos"]?.array?.first?["default"]?.bool == true)
        let bytes = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        let up = try await fx.api("PATCH", "/v1/\(p.resourceName):updateContactPhoto",
                                  json: ["photoBytes": .string(bytes.base64EncodedString()), "personFields": "photos"])
        #expect(up.status == 200)
        let url = try #require(up.json["person"]?["photos"]?.array?.first?["url"]?.string)
        #expect(up.json["person"]?["photos"]?.array?.first?["default"] == nil)
        let download = try await peopleHTTP("GET", URL(string: url)!, "", [], body: nil, headers: [])
        #expect(download.status == 200 && Data(download.body.utf8).count > 0)
        #expect(fx.g.contact(p.resourceName, in: F.email)?.photo == bytes)
        let del = try await fx.api("DELETE", "/v1/\(p.resourceName):deleteContactPhoto", [("personFields", "photos")])
        #expect(del.json["person"]?["photos"]?.array?.first?["default"]?.bool == true)
        #expect(fx.g.contact(p.resourceName, in: F.email)?.photo == nil)
    }
}
