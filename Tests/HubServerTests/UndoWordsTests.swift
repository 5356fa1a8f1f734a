import Foundation
import Hummingbird
import Testing
import ConnectorMemory
import SyncModel
@testable import HubServer

/// The question an undo asks before it deletes what it added everywhere comes as a template with
/// its count, so a French page asks it in French (the catalogs hold its plural forms).
struct UndoWordsTests {
    @Test func theUndoQuestionsCarryTheirTemplateAndCount() async throws {
        for people in [1, 3] {
            let fx = Fixture()
            try await fx.run { c in
                for i in 0..<people { fx.provider.book("a").userUpsert(SampleContacts.person(i)) }
                try await c.setUp()
                _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
                _ = try await c.call(.post, "/api/hubs/h/spokes", json: ["name": "a", "kind": "carddav", "form": ["password": "secret"], "folder": "a"])
                _ = try await c.call(.post, "/api/hubs/h/sync")
                await fx.app.waitForSync("h")
                let run = try #require(try await c.call(.get, "/api/hubs/h/runs").array.first?["id"] as? String)
                let ask = try await c.call(.post, "/api/hubs/h/runs/\(run)/undo")
                #expect(ask.status == .conflict && ask.object["field"] as? String == "confirm")
                #expect(ask.object["text"] as? String == APIWords.undoRunDeletes)
                #expect((ask.object["values"] as? [String: String])?["n"] == "\(people)")
                let english = try #require(ask.object["error"] as? String)
                #expect(english.hasPrefix(people == 1 ? "Undoing this sync deletes the contact it added" : "Undoing this sync deletes 3 contacts it added"))

                let entry = try #require((try await c.call(.get, "/api/hubs/h/journal?limit=1").object["entries"] as? [[String: Any]])?.first?["seq"] as? Int)
                let one = try await c.call(.post, "/api/hubs/h/journal/\(entry)/undo")
                #expect(one.status == .conflict && one.object["text"] as? String == APIWords.undoEntryDeletes)
            }
        }
    }
}
