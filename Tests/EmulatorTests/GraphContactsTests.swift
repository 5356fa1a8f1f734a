import Emulators
import Foundation
import Testing

/// The Graph emulator's contacts, folders and delta, driven with raw HTTP (no connector code).
@Suite struct GraphContactsTests {
    typealias F = GraphFixture

    @Test func crudWithIfMatchAndCaps() async throws {
        let fx = try await F.start(contactsPerUser: 0)
        defer { Task { await fx.g.stop() } }
        let base = "/users/\(fx.adele)/contacts"
        let created = try await fx.api("POST", base, json: [
            "givenName": "Bo", "surname": "Lind", "@odata.type": "#microsoft.graph.contact",
            "emailAddresses": [["address": "bo@example.org", "name": "Bo"]], "categories": ["VIP"],
            "singleValueExtendedProperties": [["id": "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HubSyncItemId", "value": "hub-1"]],
        ])
        #expect(created.status == 201)
        let id = try #require(created.json["id"]?.string)
        let etag1 = try #require(created.json["@odata.etag"]?.string)
        #expect(etag1 == "W/\"\(created.json["changeKey"]?.string ?? "")\"")
        #expect(created.json["parentFolderId"]?.string == (try fx.g.defaultFolderID(of: fx.adele)))
        #expect(created.json["homePhones"] == [] && created.json["categories"] == ["VIP"])

        let patched = try await fx.api("PATCH", "\(base)/\(id)", json: ["jobTitle": "CTO"], headers: [("If-Match", etag1)])
        #expect(patched.status == 200 && patched.json["jobTitle"] == "CTO" && patched.json["givenName"] == "Bo")
        let etag2 = try #require(patched.json["@odata.etag"]?.string)
        #expect(etag2 != etag1)

        let stale = try await fx.api("PATCH", "\(base)/\(id)", json: ["jobTitle": "CEO"], headers: [("If-Match", etag1)])
        #expect(stale.status == 412 && stale.graphCode == "ErrorIrresolvableConflict")
        #expect(stale.json["error"]?["message"]?.string?.hasPrefix("The send or update operation could not be performed") == true)
        #expect(fx.g.contact(id, in: fx.adele)?.fields["jobTitle"] == "CTO")

        let four: JSONValue = .array((1...4).map { ["address": .string("a\($0)@x.org")] })
        let capped = try await fx.api("PATCH", "\(base)/\(id)", json: ["emailAddresses": four])
        #expect(capped.status == 400 && capped.graphCode == "ErrorInvalidArgument")
        #expect(capped.json["error"]?["message"] == "The multi value property EmailAddresses has 4 entries, that exceeds the max allowed value of 3")
        let phones = try await fx.api("POST", base, json: ["businessPhones": ["1", "2", "3"]])
        #expect(phones.json["error"]?["message"] == "The multi value property BusinessPhones has 3 entries, that exceeds the max allowed value of 2")
        let unknown = try await fx.api("POST", base, json: ["nope": "x"])
        #expect(unknown.status == 400 && unknown.graphCode == "RequestBodyRead")

        // The marker: $filter finds it, $expand reads it back.
        let marker = "singleValueExtendedProperties/Any(ep: ep/id eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HubSyncItemId' and ep/value eq 'hub-1')"
        let found = try await fx.api("GET", base, [("$filter", marker), ("$select", "givenName"),
                                                   ("$expand", "singleValueExtendedProperties($filter=id eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HubSyncItemId')")])
        let hit = try #require(found.json["value"]?.array?.first)
        #expect(found.json["value"]?.array?.count == 1 && hit["id"]?.string == id && hit["surname"] == nil)
        #expect(hit["singleValueExtendedProperties"]?.array?.first?["value"] == "hub-1")

        let gone = try await fx.api("DELETE", "\(base)/\(id)", headers: [("If-Match", etag2)])
        #expect(gone.status == 204)
        #expect(try await fx.api("GET", "\(base)/\(id)").graphCode == "ErrorItemNotFound")
        #expect(try await fx.api("GET", "\(base)/not-an-id").graphCode == "ErrorInvalidIdMalformed")
    }

    @Test func pagingPhotosFoldersAndTranslate() async throws {
        let fx = try await F.start(contactsPerUser: 25)
        defer { Task { await fx.g.stop() } }
        var next = "/users/\(fx.adele)/contacts", seen: [String] = [], pages = 0
        var query = [("$top", "10"), ("$select", "givenName")]
        while true {
            let r = try await fx.api("GET", next, query)
            pages += 1
            seen += r.json["value"]?.array?.compactMap { $0["givenName"]?.string } ?? []
            query = []
            guard let link = r.json["@odata.nextLink"]?.string else { break }
            next = link
        }
        #expect(pages == 3 && seen.count == 25 && Set(seen).count == 25)

        let c = try fx.g.contacts(in: fx.adele)[0]
        #expect(try await fx.api("GET", "/users/\(fx.adele)/contacts/\(c.id)/photo/$value").status == 404)
        let put = try await peopleHTTP("PUT", fx.root, "/v1.0/users/\(fx.adele)/contacts/\(c.id)/photo/$value", [], body: [0xFF, 0xD8, 1, 2],
                                       headers: [("Authorization", "Bearer \(fx.app)"), ("Content-Type", "image/jpeg")])
        #expect(put.status == 204)
        let photo = try await fx.api("GET", "/users/\(fx.adele)/contacts/\(c.id)/photo/$value")
        #expect(photo.status == 200 && photo.header("Content-Type").first == "image/jpeg" && !photo.body.isEmpty)
        #expect(fx.g.contact(c.id, in: fx.adele)?.photo == Data([0xFF, 0xD8, 1, 2]))
        #expect(fx.g.contact(c.id, in: fx.adele)?.changeKey != c.changeKey)

        let folder = try await fx.api("POST", "/users/\(fx.adele)/contactFolders", json: ["displayName": "Company Directory"])
        #expect(folder.status == 201)
        let fid = try #require(folder.json["id"]?.string)
        #expect(try await fx.api("POST", "/users/\(fx.adele)/contactFolders", json: ["displayName": "Company Directory"]).status == 409)
        let child = try await fx.api("POST", "/users/\(fx.adele)/contactFolders/\(fid)/childFolders", json: ["displayName": "Sub"])
        #expect(child.json["parentFolderId"]?.string == fid)
        let inFolder = try await fx.api("POST", "/users/\(fx.adele)/contactFolders/\(fid)/contacts", json: ["givenName": "Dir"])
        #expect(inFolder.json["parentFolderId"]?.string == fid)
        let listed = try await fx.api("GET", "/users/\(fx.adele)/contactFolders")
        #expect(listed.json["value"]?.array?.compactMap { $0["displayName"]?.string } == ["Company Directory"])

        let ews = try #require(GraphEmulator.ewsID(fromGraphId: c.id))
        let translated = try await fx.api("POST", "/users/\(fx.adele)/translateExchangeIds",
                                          json: ["inputIds": [.string(ews)], "sourceIdType": "ewsId", "targetIdType": "restImmutableEntryId"])
        #expect(translated.json["value"]?.array?.first?["targetId"]?.string == c.id)
    }

    @Test(arguments: ["delta", "delta()", "microsoft.graph.delta()"])
    func deltaRoundsInEveryURLForm(_ form: String) async throws {
        let fx = try await F.start(contactsPerUser: 7)
        defer { Task { await fx.g.stop() } }
        let folder = try fx.g.defaultFolderID(of: fx.adele)
        let first = try await fx.deltaRound("/users/\(fx.adele)/contactFolders/\(folder)/contacts/\(form)",
                                            query: [("$select", "givenName,surname")], pageSize: 3)
        #expect(first.items.count == 7 && first.pages == 3 && first.deltaLink.contains("$deltatoken="))
        #expect(first.items.allSatisfy { $0["emailAddresses"] == nil && $0["givenName"] != nil })

        // Nothing changed: an empty round; the deltaLink can be replayed.
        #expect(try await fx.deltaRound(first.deltaLink).items.isEmpty)
        let contacts = try fx.g.contacts(in: fx.adele)
        try fx.g.updateContact(contacts[1].id, in: fx.adele) { $0["surname"] = "Changed" }
        try fx.g.deleteContact(contacts[2].id, in: fx.adele)
        let second = try await fx.deltaRound(first.deltaLink)
        #expect(second.items.count == 2)
        #expect(second.items.contains { $0["id"]?.string == contacts[1].id && $0["surname"] == "Changed" && $0["mobilePhone"] == nil })
        #expect(second.items.contains { $0["id"]?.string == contacts[2].id && $0["@removed"]?["reason"] == "deleted" })
        #expect(try await fx.deltaRound(first.deltaLink).items.count == 2)

        // The default folder has the same cursor without its id.
        #expect(try await fx.deltaRound("/users/\(fx.adele)/contacts/\(form)").items.count == 6)

        fx.g.expireDeltaTokens()
        let expired = try await fx.api("GET", second.deltaLink)
        #expect(expired.status == 410 && expired.header("Location").first?.contains("/contacts/") == true)
        fx.g.deltaExpiry = .syncStateNotFound
        #expect(try await fx.api("GET", second.deltaLink).graphCode == "syncStateNotFound")

        // As on real Graph, delta takes no `$expand`.
        let expanded = try await fx.api("GET", "/users/\(fx.adele)/contacts/\(form)", [("$expand", "singleValueExtendedProperties")])
        #expect(expanded.status == 500)
    }
}

extension GraphContactsTests {
    @Test func replaysAndFolderDeletion() async throws {
        let fx = try await F.start(contactsPerUser: 0)
        defer { Task { await fx.g.stop() } }
        let folder = try fx.g.createFolder(named: "Company Directory", in: fx.adele)
        try fx.g.seedContacts(3, in: fx.adele, folder: folder)
        fx.g.replayInDelta = true
        let path = "/users/\(fx.adele)/contactFolders/\(folder)/contacts/delta()"
        let round = try await fx.deltaRound(path)
        #expect(round.items.count == 4 && round.items.first?["id"] == round.items.last?["id"])
        // A lost last page can be fetched again: its skip token stays valid.
        let first = try await fx.api("GET", path, headers: [("Prefer", "odata.maxpagesize=2")])
        let next = try #require(first.json["@odata.nextLink"]?.string)
        let again1 = try await fx.api("GET", next), again2 = try await fx.api("GET", next)
        #expect(again1.json["value"] == again2.json["value"] && again2.json["@odata.deltaLink"]?.string != nil)

        fx.g.replayInDelta = false
        #expect(try await fx.api("DELETE", "/users/\(fx.adele)/contactFolders/\(folder)").status == 204)
        #expect(try fx.g.contacts(in: fx.adele).isEmpty)
        #expect(try await fx.api("GET", round.deltaLink).status == 404)
        let root = try fx.g.defaultFolderID(of: fx.adele)
        #expect(try await fx.api("DELETE", "/users/\(fx.adele)/contactFolders/\(root)").status == 403)
    }
}
