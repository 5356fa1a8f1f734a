import Foundation
import Testing
@testable import HubServer

/// The API's refusals carry their English template and its values beside the filled words, so
/// a French page shows them in French (the catalogs hold every template: CatalogTests).
struct APIWordsTests {
    @Test func refusalsCarryTheirTemplateAndValues() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "Team"])
            let twice = try await c.call(.post, "/api/hubs", json: ["name": "Team"])
            #expect(twice.status == .conflict)
            #expect(twice.object["text"] as? String == APIWords.hubExists)
            #expect(twice.object["error"] as? String == APIWords.hubExists)
            #expect(twice.object["values"] == nil)

            let long = try await c.call(.post, "/api/hubs", json: ["name": String(repeating: "x", count: 300)])
            #expect(long.status == .badRequest)
            #expect(long.object["text"] as? String == APIWords.nameLong("hub"))
            let values = try #require(long.object["values"] as? [String: String])
            #expect(values["count"] == "300")
            #expect(long.object["error"] as? String == "a hub name has at most \(values["limit"] ?? "?") characters (this one has 300)")

            let missing = try await c.call(.get, "/api/hubs/nowhere")
            #expect(missing.status == .notFound)
            #expect(missing.object["text"] as? String == APIWords.noHub)
            #expect((missing.object["values"] as? [String: String])?["id"] == "nowhere")
            #expect(missing.object["error"] as? String == "no hub nowhere")
        }
    }

    /// Options and sign-in refusals an admin meets in the wizard and on a source's options page.
    @Test func optionsAndSignInRefusalsCarryTheirTemplate() async throws {
        let fx = Fixture()
        try await fx.run { c in
            let anonymous = try await c.call(.get, "/api/hubs")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.object["text"] as? String == APIWords.signInFirst)

            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "Team"])
            let added = try await c.call(.post, "/api/hubs/team/spokes", json: [
                "name": "Book A", "kind": "carddav", "form": ["password": "secret"], "folder": "a"])
            #expect(added.status == .created)
            let filter: [String: Any] = ["categories": [], "companies": [], "emailDomains": [],
                                         "requireEmail": false, "requirePhone": false]
            func options(_ extra: [String: Any]) -> [String: Any] {
                ["options": ["twoWay": true, "filter": filter, "fieldMappings": []].merging(extra) { $1 }]
            }
            let mapping = try await c.call(.patch, "/api/hubs/team/spokes/book-a", json: options(
                ["fieldMappings": [["spokeField": "", "hubField": "title"]]]))
            #expect(mapping.status == .badRequest)
            #expect(mapping.object["text"] as? String == APIWords.mappingBothFields)
            #expect((mapping.object["values"] as? [String: String])?["hub"] == "title")

            let category = try await c.call(.patch, "/api/hubs/team/spokes/book-a", json: options(
                ["categorizeAs": String(repeating: "c", count: 101)]))
            #expect(category.status == .badRequest)
            #expect(category.object["text"] as? String == APIWords.categoryLimit)
        }
    }

    @Test func everyTemplateIsFilledOnlyWhereItSaysSo() {
        #expect(APIWords.fill("no source {id} in hub {hub}", ["id": "a", "hub": "b"]) == "no source a in hub b")
        #expect(APIWords.fill(APIWords.hubExists, [:]) == APIWords.hubExists)
        #expect(Set(APIWords.texts).count == APIWords.texts.count)
    }
}
