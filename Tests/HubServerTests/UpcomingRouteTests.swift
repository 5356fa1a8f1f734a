import Foundation
import Testing
import SyncModel
import SyncStore
@testable import HubServer

/// The upcoming page reads the calendar hub's series from the store (as events, not contacts),
/// with the sources each is linked in, and leaves out deleted series.
struct UpcomingRouteTests {
    @Test func upcomingListsTheStoredSeriesWithTheirSources() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "Team", "objectKind": "calendar"]).status == .created)
            let hub = HubID("team")
            for (n, name) in ["Office", "Files"].enumerated() {
                try fx.store.saveSpoke(SpokeConfig(id: SpokeID(name.lowercased()), hub: hub, name: name, kind: .memory, position: n))
            }
            // The fixture's clock stands in May 2026: a weekly series from March has instances ahead.
            let berlin = EventZone.named("Europe/Berlin")
            let weekly = Event(uid: "w@example.com", master: EventFields(
                start: .dateTime(CivilDateTime(CivilDate(2026, 3, 2), 10), berlin), summary: "Weekly"), rule: EventRule(.weekly))
            let gone = Event(uid: "g@example.com", master: EventFields(
                start: .dateTime(CivilDateTime(CivilDate(2026, 3, 3), 10), berlin), summary: "Gone"), rule: EventRule(.weekly))
            var b = ItemWriteBatch<Event>()
            b.items = [HubRecord(id: "w", item: weekly, version: 1, modifiedAt: fx.clock.now),
                       HubRecord(id: "g", item: gone, version: 2, deleted: true, modifiedAt: fx.clock.now)]
            b.links = ["office", "files"].map {
                ItemLink(spoke: SpokeID($0), item: "w", remoteID: RemoteID("w-\($0)"), remoteVersion: nil, base: weekly,
                         hubVersionSeen: 1, createdByHub: false)
            }
            try fx.store.commit(hub: hub, batch: b)

            let page = try await c.call(.get, "/api/hubs/team/upcoming?days=20")
            #expect(page.status == .ok)
            let events = page.object["events"] as? [[String: Any]] ?? []
            #expect(events.count == 3, "\(page.body)")
            #expect(events.allSatisfy { $0["summary"] as? String == "Weekly" && $0["item"] as? String == "w" })
            #expect(events.first?["sources"] as? [String] == ["Office", "Files"])
        }
    }
}

/// A calendar hub's history pages read its journal as events: the hub page's counts, the
/// history with each change in words, the conflicts, a held deletion's names; the contact list
/// answers that the hub holds events.
struct CalendarHistoryRouteTests {
    @Test func historyConflictsAndHoldsOfACalendarHub() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "Team", "objectKind": "calendar"]).status == .created)
            let hub = HubID("team"), office = SpokeID("office")
            try fx.store.saveSpoke(SpokeConfig(id: office, hub: hub, name: "Office", kind: .memory, position: 0))
            let zone = EventZone.named("Europe/Berlin")
            let old = Event(uid: "w@example.com", master: EventFields(
                start: .dateTime(CivilDateTime(CivilDate(2026, 3, 2), 10), zone), summary: "Weekly"))
            var new = old
            new.master?.summary = "Weekly review"
            var b = ItemWriteBatch<Event>()
            b.items = [HubRecord(id: "w", item: new, version: 1, modifiedAt: fx.clock.now)]
            b.journal = [
                ItemJournalEntry(hub: hub, run: nil, item: "w", source: .spoke(office), at: fx.clock.now, kind: .created,
                                 old: nil, new: old),
                ItemJournalEntry(hub: hub, run: nil, item: "w", source: .spoke(office), at: fx.clock.now, kind: .updated,
                                 old: old, new: new, conflicts: [.summary]),
            ]
            b.holds = [DeletionHold(spoke: office, detectedAt: fx.clock.now, items: ["w"], reason: "many")]
            try fx.store.commit(hub: hub, batch: b)

            let detail = try await c.call(.get, "/api/hubs/team")
            #expect(detail.status == .ok && detail.object["conflictCount"] as? Int == 1, "\(detail.body)")
            let holds = detail.object["holds"] as? [[String: Any]]
            #expect(holds?.first?["sample"] as? [String] == ["Weekly review"])
            let journal = try await c.call(.get, "/api/hubs/team/journal")
            let entries = journal.object["entries"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["name"] as? String } == ["Weekly review", "Weekly"], "\(journal.body)")
            let change = (entries.first?["changes"] as? [[String: Any]])?.first
            #expect(change?["field"] as? String == "summary" && change?["new"] as? String == "Weekly review", "\(journal.body)")
            let conflicts = try await c.call(.get, "/api/hubs/team/conflicts")
            #expect(conflicts.array.first?["name"] as? String == "Weekly review", "\(conflicts.body)")
            let contacts = try await c.call(.get, "/api/hubs/team/contacts")
            // A calendar hub's item list is its series, by summary (the history's filter finds one there).
            let listed = (contacts.object["contacts"] as? [[String: Any]])?.map { $0["name"] as? String }
            #expect(contacts.status == .ok && listed == ["Weekly review"], "\(contacts.body)")
        }
    }
}
