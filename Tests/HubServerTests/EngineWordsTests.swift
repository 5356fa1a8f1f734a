import Foundation
import Hummingbird
import Testing
import SyncEngine
import SyncModel
import SyncStore
@testable import HubServer

/// The engine's refusals reach the page as their template and values, which the page translates
/// (issue 17): each one is provoked (through the API where a request can reach it, else on the
/// engine the API runs), and French has each.
struct EngineWordsTests {
    /// Templates seen by the test, to prove every one of `EngineError.texts` was provoked.
    final class Seen: @unchecked Sendable { var templates: Set<String> = [] }

    /// The API's answer to a refusal: the template, its values, and the filled English words.
    func expectWords(_ answer: Answer, _ status: HTTPResponse.Status, _ template: String, _ values: [String: String], seen: Seen) {
        #expect(answer.status == status, "\(answer.body)")
        #expect(answer.object["text"] as? String == template, "\(answer.body)")
        #expect((answer.object["values"] as? [String: String]) ?? [:] == values, "\(answer.body)")
        #expect(answer.object["error"] as? String == APIWords.fill(template, values))
        seen.templates.insert(template)
    }

    /// An engine refusal as the API maps it, rendered as the answer the page gets.
    func answer(_ body: () async throws -> Void) async throws -> Answer {
        do {
            try await body()
        } catch let e as EngineError {
            let mapped = APIError(engine: e)
            return Answer(status: mapped.status, headers: [:], body: Self.json(mapped))
        }
        Issue.record("no refusal")
        return Answer(status: .ok, headers: [:], body: "{}")
    }

    static func json(_ e: APIError) -> String {
        let body = APIError.Body(error: e.message, field: e.field, details: e.details, text: e.text, place: e.place, values: e.values)
        return String(decoding: (try? JSONEncoder().encode(body)) ?? Data(), as: UTF8.self)
    }

    @Test func everyEngineRefusalReachesTheAPIWithItsTemplateAndValues() async throws {
        let fx = Fixture(), seen = Seen()
        try await fx.run { c in
            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
            for book in ["a", "b"] {
                _ = try await c.call(.post, "/api/hubs/h/spokes", json: ["name": book, "kind": "carddav", "form": ["password": "secret"], "folder": book])
            }
            // An empty first sync: a run that changed nothing.
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            let run = try #require(try await c.call(.get, "/api/hubs/h/runs").array.first?["id"] as? String)
            expectWords(try await c.call(.post, "/api/hubs/h/runs/\(run)/undo"), .notFound, EngineError.runChangedNothing,
                        ["run": run, "hub": "h"], seen: seen)
            expectWords(try await c.call(.post, "/api/hubs/h/journal/9999/undo"), .notFound, EngineError.noEntry,
                        ["entry": "9999", "hub": "h"], seen: seen)
            expectWords(try await c.call(.post, "/api/hubs/h/holds/a/approve"), .notFound, EngineError.noHeldDeletions, [:], seen: seen)
            expectWords(try await c.call(.post, "/api/hubs/h/conflicts/77/use-other"), .notFound, EngineError.noConflict,
                        ["entry": "77", "hub": "h"], seen: seen)

            // A conflict whose contact was deleted since.
            let a = fx.provider.book("a"), b = fx.provider.book("b")
            let ida = a.userUpsert(Contact(givenName: "Ann", familyName: "Lee"))
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            let idb = try #require(b.entries.first?.key)
            var ea = try #require(a.contact(ida)), eb = try #require(b.contact(idb))
            ea.organization = "From A"
            eb.organization = "From B"
            _ = a.userUpsert(ea, id: ida)
            _ = b.userUpsert(eb, id: idb)
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            let seq = try #require(try await c.call(.get, "/api/hubs/h/conflicts").array.first?["seq"] as? Int)
            a.userDelete(ida)
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            expectWords(try await c.call(.post, "/api/hubs/h/conflicts/\(seq)/use-other"), .conflict, EngineError.conflictItemGone,
                        [:], seen: seen)

            // Refusals no request reaches on this provider (a move to Microsoft 365, a pass on a
            // hub deleted meanwhile, a hold in the way), on the engine the API runs.
            let engine = fx.app.runner.engine
            let spokes = try fx.store.spokes(hub: "h")
            let spokeA = try #require(spokes.first { $0.name == "a" })
            expectWords(try await answer { _ = try await engine.sync(hub: "gone", connectors: [:]) }, .notFound,
                        EngineError.noHub, ["id": "gone"], seen: seen)
            var stranger = spokeA
            stranger.id = "nowhere"
            expectWords(try await answer {
                _ = try engine.switchConnector(hub: "h", ConnectorSwitch(spoke: stranger, translated: [:], asked: []))
            }, .notFound, EngineError.noSource, ["id": "nowhere", "hub": "h"], seen: seen)
            var moved = spokeA
            moved.position += 5
            expectWords(try await answer {
                _ = try engine.switchConnector(hub: "h", ConnectorSwitch(spoke: moved, translated: [:], asked: []))
            }, .unprocessableContent, EngineError.switchKeepsPlace, [:], seen: seen)
            // Asking a hub for the other kind of item than it holds (a caller's mistake).
            expectWords(try await answer { _ = try engine.restore(Event.self, hub: "h", entry: 1) }, .unprocessableContent,
                        EngineError.holdsContacts, ["hub": "h"], seen: seen)
            try fx.store.saveHub(HubConfig(id: "cal", name: "Cal", objectKind: .calendar))
            expectWords(try await answer { _ = try await engine.sync(hub: "cal", connectors: [:]) }, .unprocessableContent,
                        EngineError.holdsEvents, ["hub": "cal"], seen: seen)
            var held = WriteBatch()
            held.holds = [DeletionHold(spoke: spokeA.id, detectedAt: fx.clock.now, items: ["x"], reason: "test")]
            try fx.store.commit(hub: "h", held)
            expectWords(try await answer {
                _ = try engine.switchConnector(hub: "h", ConnectorSwitch(spoke: spokeA, translated: [:], asked: []))
            }, .conflict, EngineError.switchHeld, ["source": "a"], seen: seen)
        }
        // The guard's refusal is thrown in the middle of a pass or an undo; its mapping is the same.
        expectWords(Answer(status: .conflict, headers: [:], body: Self.json(APIError(engine: EngineError(EngineError.holdWaiting, ["source": "a"])))),
                    .conflict, EngineError.holdWaiting, ["source": "a"], seen: seen)
        #expect(seen.templates == Set(EngineError.texts), "not provoked: \(Set(EngineError.texts).subtracting(seen.templates))")
    }

    @Test func frenchHasEachEngineRefusal() throws {
        let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/HubServer/Web/i18n").standardizedFileURL
        for code in ["en", "fr"] {
            let catalog = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: web.appendingPathComponent("\(code).json"))) as? [String: Any])
            for text in EngineError.texts {
                let entry = catalog[text] as? String
                #expect(entry != nil, "\(code).json lacks \(text)")
                if code == "fr" { #expect(entry != text, "fr.json does not translate \(text)") }
                #expect(!text.contains("spoke"), "\(text)")
            }
        }
    }
}
