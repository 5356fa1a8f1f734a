import Foundation
import Hummingbird
import Testing
import ConnectorMemory
import SyncModel
@testable import HubServer

/// The wizard's steps as API calls, through to a two-way sync.
struct WizardAPITests {
    @Test func catalogThenLiveValidationThenTwoSpokesThenSyncNow() async throws {
        let fx = Fixture()
        for i in 0..<3 { fx.provider.book("a").userUpsert(SampleContacts.person(i)) }
        for i in 10..<12 { fx.provider.book("b").userUpsert(SampleContacts.person(i)) }
        try await fx.run { c in
            try await c.setUp()
            let objects = try await c.call(.get, "/api/objects").array
            #expect(objects.map { $0["available"] as? Bool } == [true, true])
            let kinds = try await c.call(.get, "/api/spoke-kinds").array
            #expect(kinds.map { $0["kind"] as? String } == ["carddav", "caldav", "google", "graph"])
            #expect(try await c.call(.get, "/api/fields").object["text"].map { ($0 as? [String])?.contains("title") } == true)

            // Live validation names the field to fix.
            let bad = try await c.call(.post, "/api/spoke-kinds/carddav/discover", json: ["password": "wrong"])
            #expect(bad.status == .unprocessableContent && bad.object["field"] as? String == "password")
            #expect(try await c.call(.post, "/api/spoke-kinds/graph/discover", json: [:] as [String: Any]).status == .notFound)
            let found = try await c.call(.post, "/api/spoke-kinds/carddav/discover", json: ["password": "secret"])
            #expect((found.object["folders"] as? [[String: Any]])?.map { $0["count"] as? Int } == [3, 2])

            // The first spoke is named, then the hub; the hub is made first, then its spoke.
            let hub = try await c.call(.post, "/api/hubs", json: ["name": "Office contacts"])
            #expect(hub.status == .created && hub.object["id"] as? String == "office-contacts")
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "Office  Contacts"]).status == .conflict)
            let wrong = try await c.call(.post, "/api/hubs/office-contacts/spokes", json: [
                "name": "Book A", "kind": "carddav", "form": ["password": "wrong"], "folder": "a"])
            #expect(wrong.status == .unprocessableContent && wrong.object["field"] as? String == "password")
            let a = try await c.call(.post, "/api/hubs/office-contacts/spokes", json: [
                "name": "Book A", "kind": "carddav", "form": ["password": "secret"], "folder": "a"])
            #expect(a.status == .created && a.object["id"] as? String == "book-a")
            #expect((a.object["settings"] as? [String: String]) == ["book": "a"])  // never the password
            let b = try await c.call(.post, "/api/hubs/office-contacts/spokes", json: [
                "name": "Book B", "kind": "carddav", "form": ["password": "secret"], "folder": "b"])
            #expect(b.status == .created)

            // Sync options of B: categorize, a mapping.
            let options: [String: Any] = [
                "twoWay": true, "categorizeAs": " HubSync ",
                "filter": ["categories": [], "companies": [], "emailDomains": [], "requireEmail": false, "requirePhone": false],
                "fieldMappings": [["spokeField": "title", "hubField": "JobCode"]]]
            let set = try await c.call(.patch, "/api/hubs/office-contacts/spokes/book-b", json: ["options": options])
            #expect(set.status == .ok)
            #expect((set.object["options"] as? [String: Any])?["categorizeAs"] as? String == "HubSync")
            let badMap = try await c.call(.patch, "/api/hubs/office-contacts/spokes/book-b", json: ["options": [
                "twoWay": true, "filter": options["filter"]!, "fieldMappings": [["spokeField": "nonsense", "hubField": "X"]]]])
            #expect(badMap.status == .badRequest && badMap.object["field"] as? String == "fieldMappings")

            // Sync now, then the status of the finished run.
            let started = try await c.call(.post, "/api/hubs/office-contacts/sync")
            #expect(started.status == .accepted)
            await fx.app.waitForSync("office-contacts")
            let status = try await c.call(.get, "/api/hubs/office-contacts/sync").object
            #expect(status["running"] as? Bool == false)
            #expect((status["lastRun"] as? [String: Any])?["status"] as? String == "succeeded")

            #expect(fx.provider.book("a").count == 5 && fx.provider.book("b").count == 5)
            let written = fx.provider.book("b").contacts.filter { $0.categories.contains("HubSync") }
            #expect(written.count == 3)  // what the hub wrote there, not B's own

            let detail = try await c.call(.get, "/api/hubs/office-contacts").object
            #expect(detail["itemCount"] as? Int == 5)
            let spokes = try #require(detail["spokes"] as? [[String: Any]])
            #expect(spokes.map { ($0["status"] as? [String: Any])?["linked"] as? Int } == [5, 5])
            let stats = (spokes[1]["status"] as? [String: Any])?["lastStats"] as? [String: Any]
            #expect(stats?["pushedCreates"] as? Int == 3)
            let list = try await c.call(.get, "/api/hubs").array
            #expect(list.first?["itemCount"] as? Int == 5 && list.first?["spokeCount"] as? Int == 2)
            let contacts = try await c.call(.get, "/api/hubs/office-contacts/contacts?limit=2").object
            #expect(contacts["total"] as? Int == 5 && (contacts["contacts"] as? [Any])?.count == 2)
        }
    }

    @Test func aSpokeWhoseConnectorCannotBeMadeShowsWhy() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
            try fx.store.saveSpoke(SpokeConfig(id: "x", hub: "h", name: "X", kind: .carddav, position: 0, settings: ["book": "broken"]))
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            let spoke = try await c.call(.get, "/api/hubs/h/spokes/x").object
            let error = (spoke["status"] as? [String: Any])?["lastError"] as? String
            #expect(error?.contains("the stored password no longer works") == true)
        }
    }

    @Test func signInWithGoogleBelongsToTheSessionThatBeganIt() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let begun = try await c.call(.post, "/api/spoke-kinds/google/sign-in").object
            let id = try #require(begun["id"] as? String)
            let url = try #require(begun["url"] as? String)
            #expect(url.contains("state=\(id)") && url.contains("/oauth/google/callback"))
            #expect(try await c.call(.get, "/api/sign-ins/\(id)").object["status"] as? String == "pending")
            #expect(try await c.call(.post, "/api/spoke-kinds/carddav/sign-in").status == .badRequest)

            let back = try await c.call(.get, "/oauth/google/callback?state=\(id)&code=good")
            #expect(back.status == .ok && back.body.contains("/#/wizard/signed-in/\(id)"))
            #expect(try await c.call(.get, "/oauth/google/callback?state=\(id)&code=good").status == .badRequest)  // once
            let done = try await c.call(.get, "/api/sign-ins/\(id)").object
            #expect(done["status"] as? String == "done" && done["account"] as? String == "pat@example.com")

            // Another browser signed in as the admin cannot use it.
            let other = fx.newClient(like: c)
            _ = try await other.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"])
            #expect(try await other.call(.get, "/api/sign-ins/\(id)").status == .notFound)
            let stolen = try await other.call(.post, "/api/spoke-kinds/google/discover", json: ["signIn": id])
            #expect(stolen.status == .unprocessableContent && stolen.object["field"] as? String == "signIn")

            _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
            let found = try await c.call(.post, "/api/spoke-kinds/google/discover", json: ["signIn": id]).object
            #expect(found["account"] as? String == "pat@example.com")
            let spoke = try await c.call(.post, "/api/hubs/h/spokes", json: ["name": "Google", "kind": "google", "form": ["signIn": id]])
            #expect(spoke.status == .created)
            #expect(try fx.store.spokes(hub: "h").first?.settings["token"] == "sealed-refresh")
            // Denied: the status says so.
            let second = try await c.call(.post, "/api/spoke-kinds/google/sign-in").object["id"] as! String
            _ = try await c.call(.get, "/oauth/google/callback?state=\(second)&error=access_denied")
            #expect(try await c.call(.get, "/api/sign-ins/\(second)").object["error"] as? String == "access was not allowed")
        }
    }
}
