import Foundation
import Hummingbird
import Testing
import SyncModel
import SyncStore
import TestSupport
@testable import HubServer

/// Calendar hubs through the API: made with their object kind, offered in the catalog, and a
/// spoke's calendar options (window, private events, busy only) kept and checked.
struct CalendarAPITests {
    @Test func aCalendarHubAndItsSpokesCalendarOptions() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let objects = try await c.call(.get, "/api/objects").array
            #expect(objects.map { $0["id"] as? String } == ["contacts", "calendar"])
            let hub = try await c.call(.post, "/api/hubs", json: ["name": "Team", "objectKind": "calendar"])
            #expect(hub.status == .created && hub.object["objectKind"] as? String == "calendar")
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "Other", "objectKind": "tasks"]).status == .badRequest)
            #expect(try await c.call(.get, "/api/hubs").array.first?["objectKind"] as? String == "calendar")
            // A hub holds one kind of item: an address book has nothing to sync with a calendar hub.
            let book = try await c.call(.post, "/api/hubs/team/spokes", json: [
                "name": "Book A", "kind": "carddav", "form": ["password": "secret"], "folder": "a"])
            #expect(book.status == .badRequest && book.object["field"] as? String == "kind")
            #expect(book.object["text"] as? String == APIWords.sourceHoldsContacts && (book.object["values"] as? [String: String])?["kind"] == "carddav")
            let added = try await c.call(.post, "/api/hubs/team/spokes", json: [
                "name": "Book A", "kind": "caldav", "form": ["password": "secret"], "folder": "c"])
            #expect(added.status == .created)

            let filter: [String: Any] = ["categories": ["Team"], "companies": [], "emailDomains": [],
                                         "requireEmail": false, "requirePhone": false]
            let options: [String: Any] = ["twoWay": true, "categorizeAs": "Hub", "filter": filter, "fieldMappings": [],
                                          "calendar": ["pastDays": 7, "futureDays": 90, "privateEvents": "busy", "busyOnly": true]]
            let set = try await c.call(.patch, "/api/hubs/team/spokes/book-a", json: ["options": options])
            #expect(set.status == .ok)
            let calendar = (set.object["options"] as? [String: Any])?["calendar"] as? [String: Any]
            #expect(calendar?["pastDays"] as? Int == 7 && calendar?["privateEvents"] as? String == "busy")
            let stored = try #require(try fx.store.spokes(hub: HubID("team")).first)
            #expect(stored.options.calendar == CalendarOptions(pastDays: 7, futureDays: 90, privateEvents: .busy, busyOnly: true))
            #expect(stored.options.filter.categories == ["Team"] && stored.options.categorizeAs == "Hub")

            var wide = options
            wide["calendar"] = ["pastDays": -1]
            let bad = try await c.call(.patch, "/api/hubs/team/spokes/book-a", json: ["options": wide])
            #expect(bad.status == .badRequest && bad.object["field"] as? String == "calendar")
            // Upcoming events: a calendar hub's (none stored in a memory store), refused on a contact hub.
            let upcoming = try await c.call(.get, "/api/hubs/team/upcoming?days=30")
            #expect(upcoming.status == .ok && (upcoming.object["events"] as? [Any])?.isEmpty == true)
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "People"]).object["objectKind"] as? String == "contacts")
            #expect(try await c.call(.get, "/api/hubs/people/upcoming").status == .badRequest)
            let calendarOnContacts = try await c.call(.post, "/api/hubs/people/spokes", json: [
                "name": "Cal", "kind": "caldav", "form": ["password": "secret"], "folder": "c"])
            #expect(calendarOnContacts.status == .badRequest && calendarOnContacts.object["text"] as? String == APIWords.sourceHoldsEvents)
            wide["calendar"] = ["privateEvents": "hide"]
            #expect(try await c.call(.patch, "/api/hubs/team/spokes/book-a", json: ["options": wide]).status == .badRequest)
        }
    }

    /// A conflict on a calendar hub: the losing side's value is taken back through the same route
    /// as a contact's.
    @Test func useOtherValueOnACalendarConflict() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "Team", "objectKind": "calendar"])
            for (name, folder) in [("C", "c"), ("D", "d")] {
                let r = try await c.call(.post, "/api/hubs/team/spokes", json: [
                    "name": name, "kind": "caldav", "form": ["password": "secret"], "folder": folder])
                try #require(r.status == .created, "\(r.body)")
            }
            let cal = fx.provider.calendar("c"), other = fx.provider.calendar("d")
            let id = cal.userUpsert(EventConformance.single("standup@example.com", "Standup"))
            _ = try await c.call(.post, "/api/hubs/team/sync")
            await fx.app.waitForSync("team")
            let otherID = try #require(other.entries.first?.key)
            var mine = try #require(cal.item(id)), theirs = try #require(other.item(otherID))
            mine.master?.summary = "Standup (C)"
            theirs.master?.summary = "Standup (D)"
            _ = cal.userUpsert(mine, id: id)
            _ = other.userUpsert(theirs, id: otherID)
            _ = try await c.call(.post, "/api/hubs/team/sync")
            await fx.app.waitForSync("team")
            let conflict = try #require(try await c.call(.get, "/api/hubs/team/conflicts").array.first)
            let seq = try #require(conflict["seq"] as? Int)
            let won = try #require(try fx.store.liveItems(Event.self, hub: HubID("team")).first?.item.master?.summary)
            let used = try await c.call(.post, "/api/hubs/team/conflicts/\(seq)/use-other")
            #expect(used.status == .ok && used.object["restored"] as? Int == 1, "\(used.body)")
            let now = try #require(try fx.store.liveItems(Event.self, hub: HubID("team")).first?.item.master?.summary)
            #expect(Set([won, now]) == ["Standup (C)", "Standup (D)"])
            // The history is filtered by a series found by its summary.
            let found = try await c.call(.get, "/api/hubs/team/contacts?q=standup").object
            let series = try #require((found["contacts"] as? [[String: Any]])?.first)
            #expect(found["total"] as? Int == 1 && series["name"] as? String == now)
            let item = try #require(series["id"] as? String)
            let history = try #require(try await c.call(.get, "/api/hubs/team/journal?item=\(item)").object["entries"] as? [[String: Any]])
            #expect(!history.isEmpty && history.allSatisfy { $0["item"] as? String == item })
        }
    }
}
