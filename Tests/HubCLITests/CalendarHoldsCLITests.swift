import Foundation
import Testing
import SyncModel
import SyncStore
import SyncStoreSQLite

/// `hubsync holds` names a calendar hub's held events by their summaries (read as events: the
/// store refuses a calendar hub's items as contacts).
@Suite struct CalendarHoldsCLITests {
    @Test func heldEventsAreNamedBySummary() async throws {
        let cli = try CLI()
        var r = await cli.run("hub create Team --object calendar")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        do {
            let store = try SQLiteStore(path: cli.db)
            let hub = HubID("team"), spoke = SpokeID("office")
            try store.saveSpoke(SpokeConfig(id: spoke, hub: hub, name: "Office", kind: .icsFolder, position: 0))
            let event = Event(uid: "s@example.com", master: EventFields(
                start: .date(CivilDate(2026, 5, 1)), summary: "Spring party"))
            var b = ItemWriteBatch<Event>()
            b.items = [HubRecord(id: "e1", item: event, version: 1, modifiedAt: Date())]
            b.holds = [DeletionHold(spoke: spoke, detectedAt: Date(), items: ["e1"], reason: "many deletions")]
            try store.commit(hub: hub, batch: b)
        }
        r = await cli.run("holds team")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("- Spring party  [item e1]"), "\(r.output)")
    }
}
