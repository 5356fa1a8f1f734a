import Foundation
import Hummingbird
import Testing
import ConnectorMemory
import SyncModel
import SyncStore
@testable import HubServer

/// The web app's second pass (issue 17) through the API: the next sync, held deletions per
/// source, conflicts with "use the other value", one contact in detail, the history's filters,
/// and failures in plain words.
struct SecondPassAPITests {
    func synced(_ fx: Fixture, _ c: Client, people n: Int) async throws {
        for i in 0..<n { fx.provider.book("a").userUpsert(SampleContacts.person(i)) }
        try await c.setUp()
        _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
        for book in ["a", "b"] {
            _ = try await c.call(.post, "/api/hubs/h/spokes", json: ["name": book, "kind": "carddav", "form": ["password": "secret"], "folder": book])
        }
        try await sync(fx, c)
    }

    func sync(_ fx: Fixture, _ c: Client) async throws {
        _ = try await c.call(.post, "/api/hubs/h/sync")
        await fx.app.waitForSync("h")
    }

    @Test func theNextSyncIsTheLastStartPlusTheSchedule() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        var hub = HubConfig(id: "h", name: "H", scheduleMinutes: nil)
        #expect(Schedule.next(hub, lastStarted: now, now: now) == nil)
        hub.scheduleMinutes = 15
        #expect(Schedule.next(hub, lastStarted: nil, now: now) == now)
        let zero: Schedule.Phase = { _, _ in 0 }
        let slot = Date(timeIntervalSince1970: Double(1_000_000 - 1_000_000 % 900))
        #expect(Schedule.next(hub, lastStarted: slot, now: slot.addingTimeInterval(60), phase: zero) == slot.addingTimeInterval(15 * 60))
        #expect(Schedule.next(hub, lastStarted: now.addingTimeInterval(-3600), now: now) == now)
    }

    @Test func networkAndTLSFailuresInPlainWords() {
        let refused = "the server at http://127.0.0.1:1 (PROPFIND /dav/): could not reach the server: the connection was refused (is the server running, and the port right?)"
        #expect(PlainProblem.of(refused) == ProblemDTO(
            summary: "Nothing answers at 127.0.0.1 port 1. Is the address right and the server running?", details: refused,
            text: PlainProblem.refused, place: "127.0.0.1 port 1"))
        let tls = "the server at https://dav.example:8443: its TLS certificate is not trusted (certificate verify failed); give the CA file or turn verification off explicitly"
        #expect(PlainProblem.of(tls).summary.hasPrefix("The server at dav.example port 8443 shows a security certificate"))
        #expect(PlainProblem.of("The server at http://127.0.0.1:1 (EWS GetFolder): could not reach the server: the connection was refused.").summary.hasPrefix("Nothing answers at 127.0.0.1 port 1."))
        #expect(PlainProblem.of(tls).details == tls)
        // A text no rule knows is shown as it is, with no details.
        #expect(PlainProblem.of("wrong user name or password") == ProblemDTO(summary: "wrong user name or password", details: nil))
    }

    @Test func aFilterSaysWhyItKeepsAContactOut() {
        let c = Contact(givenName: "Ann", organization: "Acme", emails: [LabeledValue("ann@acme.example")])
        #expect(HubApp.filterReasons(SpokeFilter(), c).isEmpty)
        #expect(HubApp.filterReasons(SpokeFilter(companies: ["Acme"], emailDomains: ["acme.example"]), c).isEmpty)
        #expect(HubApp.filterReasons(SpokeFilter(categories: ["VIP"], requirePhone: true), c)
            == ["it has no phone number", "it is in none of the categories VIP"])
    }

    @Test func aConflictShowsBothValuesAndTheOtherOneCanBeTaken() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await synced(fx, c, people: 2)
            let a = fx.provider.book("a"), b = fx.provider.book("b")
            let (ida, ca) = try #require(a.entries.sorted { $0.key < $1.key }.first.map { ($0.key, $0.value.contact) })
            let (idb, cb) = try #require(b.entries.first { $0.value.contact.formattedName == ca.formattedName }.map { ($0.key, $0.value.contact) })
            var ea = ca, eb = cb
            ea.organization = "From A"
            eb.organization = "From B"
            eb.title = "Title from B"  // no conflict: stays whichever side is taken
            _ = a.userUpsert(ea, id: ida)
            _ = b.userUpsert(eb, id: idb)
            try await sync(fx, c)
            #expect(try await c.call(.get, "/api/hubs/h").object["conflictCount"] as? Int == 1)
            let conflicts = try await c.call(.get, "/api/hubs/h/conflicts").array
            let conflict = try #require(conflicts.first)
            let field = try #require((conflict["fields"] as? [[String: Any]])?.first)
            #expect(field["field"] as? String == "organization")
            let values = Set([field["winner"] as? String, field["other"] as? String].compactMap { $0 })
            #expect(values == ["From A", "From B"])
            #expect(Set([conflict["winnerSource"] as? String, conflict["otherSource"] as? String].compactMap { $0 }) == ["a", "b"])
            let other = try #require(field["other"] as? String)

            let seq = try #require(conflict["seq"] as? Int)
            #expect(try await c.call(.post, "/api/hubs/h/conflicts/\(seq)/use-other").object["restored"] as? Int == 1)
            // Journaled like any change (an undo), then written everywhere by the next sync.
            let newest = try #require((try await c.call(.get, "/api/hubs/h/journal?limit=1").object["entries"] as? [[String: Any]])?.first)
            #expect(newest["kind"] as? String == "restored")
            try await sync(fx, c)
            #expect(a.contact(ida)?.organization == other && b.contact(idb)?.organization == other)
            #expect(a.contact(ida)?.title == "Title from B" && b.contact(idb)?.title == "Title from B")
            #expect(try await c.call(.get, "/api/hubs/h/journal?conflicts=1").object["entries"].map { ($0 as? [Any])?.count } == 1)
            #expect(try await c.call(.post, "/api/hubs/h/conflicts/999999/use-other").status == .notFound)
        }
    }

    @Test func oneContactWithItsSourcesAndHistory() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await synced(fx, c, people: 2)
            let contact = try #require(try await c.call(.get, "/api/hubs/h/contacts").object["contacts"] as? [[String: Any]]).first
            let id = try #require(contact?["id"] as? String)
            let detail = try await c.call(.get, "/api/hubs/h/contacts/\(id)").object
            let sources = try #require(detail["sources"] as? [[String: Any]])
            #expect(sources.map { $0["state"] as? String } == ["inSync", "inSync"])
            #expect(sources.allSatisfy { ($0["remoteID"] as? String)?.isEmpty == false })
            #expect((detail["history"] as? [[String: Any]])?.first?["kind"] as? String == "created")
            #expect((detail["fields"] as? [[String: Any]])?.contains { $0["field"] as? String == "organization" } == true)
            #expect(try await c.call(.get, "/api/hubs/h/contacts/nobody").status == .notFound)
        }
    }

    @Test func theHistoryFiltersBySourceAndKind() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await synced(fx, c, people: 3)
            let created = try #require(try await c.call(.get, "/api/hubs/h/journal?kind=created").object["entries"] as? [[String: Any]])
            #expect(created.count == 3)
            let fromA = try #require(try await c.call(.get, "/api/hubs/h/journal?source=spoke:a").object["entries"] as? [[String: Any]])
            #expect(fromA.count == 3)
            let fromB = try #require(try await c.call(.get, "/api/hubs/h/journal?source=spoke:b").object["entries"] as? [[String: Any]])
            #expect(fromB.isEmpty)
            let deleted = try await c.call(.get, "/api/hubs/h/journal?kind=deleted").object
            #expect((deleted["entries"] as? [Any])?.isEmpty == true && deleted["next"] == nil)
        }
    }

    @Test func heldDeletionsAreCountedOnTheHubListAndTheirSource() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await synced(fx, c, people: 10)
            let a = fx.provider.book("a")
            for id in a.entries.keys.sorted().prefix(6) { a.userDelete(id) }
            try await sync(fx, c)
            #expect(try await c.call(.get, "/api/hubs").array.first?["heldDeletions"] as? Int == 6)
            let spokes = try #require(try await c.call(.get, "/api/hubs/h").object["spokes"] as? [[String: Any]])
            let held = spokes.map { ($0["name"] as? String ?? "", ($0["status"] as? [String: Any])?["heldDeletions"] as? Int) }
            #expect(held.map(\.0) == ["a", "b"] && held.map(\.1) == [6, 0])
        }
    }

    @Test func theSyncStatusIsStreamedAsServerSentEvents() async throws {
        let fx = Fixture()  // its `sleep` returns at once: the stream's quiet time is up at once
        try await fx.run { c in
            try await synced(fx, c, people: 1)
            let r = try await c.call(.get, "/api/hubs/h/sync/events")
            #expect(r.status == .ok && r.headers[.contentType] == "text/event-stream")
            #expect(r.body.hasPrefix("retry: 2000\nevent: status\ndata: {"), "\(r.body)")
            let data = try #require(r.body.split(separator: "\n").first { $0.hasPrefix("data: ") }?.dropFirst(6))
            let status = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
            #expect(status["running"] as? Bool == false && (status["lastRun"] as? [String: Any])?["status"] as? String == "succeeded")
            #expect(try await c.call(.get, "/api/hubs/nope/sync/events").status == .notFound)
        }
    }
}
