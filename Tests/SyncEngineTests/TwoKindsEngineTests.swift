import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncCore
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// A calendar hub through the same engine as contacts: `MemoryItemSpoke<Event>` spokes, the
/// hub's object kind choosing `Pass<Event>`. Each feature the contact tests prove, once for events.
@Suite struct TwoKindsEngineTests {
    @Test(arguments: StoreKind.allCases)
    func aSeriesIsCopiedWholeAndASecondPassChangesNothing(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make())
        h.spokes[0].userUpsert(Cal.weekly("standup@example.com", "Standup"))
        h.spokes[0].userUpsert(Cal.single("lunch@example.com", "Lunch"))
        let run = try await h.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(h.stats(run, 1).pushedCreates == 2)
        try h.expectConverged()
        let copied = try #require(h.spokes[1].items.first { $0.uid == "standup@example.com" })
        #expect(copied.rule?.frequency == .weekly)
        #expect(copied.overrides.map(\.fields.summary) == ["Standup (moved)"])
        let quiet = try await h.sync()
        #expect(h.changes(quiet) == 0)
    }

    /// One side edits the whole series (its place), the other one instance (its title): both stay.
    @Test(arguments: StoreKind.allCases)
    func aSeriesEditAndAnInstanceEditBothSurvive(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make())
        h.spokes[0].userUpsert(Cal.weekly("standup@example.com", "Standup"))
        try await h.sync()
        h.spokes[0].edit("standup@example.com") { $0.master?.location = "Room 7" }
        h.clock.advance()
        h.spokes[1].edit("standup@example.com") { $0.overrides[0].fields.summary = "Standup (moved, with Ann)" }
        let run = try await h.sync()
        #expect(h.stats(run, 0).conflicts + h.stats(run, 1).conflicts == 0)
        try await h.sync()
        let hub = try #require(try h.events().first)
        #expect(hub.master?.location == "Room 7")
        #expect(hub.overrides.first?.fields.summary == "Standup (moved, with Ann)")
        try h.expectConverged()
    }

    /// Both sides retitle the series: the later edit wins, the conflict is journaled, and the
    /// admin can take the other value, or undo the run, which every spoke then gets.
    @Test(arguments: StoreKind.allCases)
    func aConflictIsJournaledAndTheOtherValueOrAnUndoSpreads(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make())
        h.spokes[0].userUpsert(Cal.single("review@example.com", "Review"))
        try await h.sync()
        h.spokes[0].edit("review@example.com") { $0.master?.summary = "Design review" }
        h.clock.advance()
        h.spokes[1].edit("review@example.com") { $0.master?.summary = "Code review" }
        let run = try await h.sync()
        try await h.sync()
        #expect(try h.events().first?.master?.summary == "Code review")
        let journal = try h.store.journal(Event.self, hub: h.hub, JournalQuery(run: run.id, limit: 100))
        let settled = try #require(journal.first { !$0.conflicts.isEmpty })
        #expect(settled.conflicts == [.summary])

        try h.engine.useOtherValue(Event.self, hub: h.hub, entry: settled.seq)
        try await h.sync()
        #expect(try h.events().first?.master?.summary == "Design review")
        try h.expectConverged()

        // Undo the run that brought the edits: the title before it comes back everywhere.
        #expect(try h.engine.undo(hub: h.hub, run: run.id) == 1)
        try await h.sync()
        #expect(try h.events().first?.master?.summary == "Review")
        #expect(h.spokes.allSatisfy { $0.items.map(\.master?.summary) == ["Review"] })
    }

    /// A first sync of two calendars that already share series: one hub event each, found by
    /// UID (or, without one in common, by the same start and title), and nothing created twice.
    @Test(arguments: StoreKind.allCases)
    func aFirstSyncMatchesByUIDThenByStartAndTitle(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make())
        h.spokes[0].userUpsert(Cal.weekly("standup@example.com", "Standup"))
        var other = Cal.weekly("standup@example.com", "Standup")
        other.master?.location = "Room 9"
        h.spokes[1].userUpsert(other)
        h.spokes[0].userUpsert(Cal.single("a-uid@one", "Offsite"))
        h.spokes[1].userUpsert(Cal.single("b-uid@two", "offsite"))
        let run = try await h.sync()
        #expect(h.stats(run, 1).matched == 2)
        #expect(h.stats(run, 0).pushedCreates + h.stats(run, 1).pushedCreates == 0)
        #expect(try h.events().count == 2)
        #expect(h.spokes.allSatisfy { $0.count == 2 })
    }

    /// A spoke filtered on a category gets only the events in it; the hub takes out what it put
    /// there when an event leaves the category, and nothing else anywhere.
    @Test(arguments: StoreKind.allCases)
    func aCategoryFilterDecidesWhatASpokeGets(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make(), options: [.init(), .init(filter: SpokeFilter(categories: ["team"]))])
        var team = Cal.single("team@example.com", "Team lunch")
        team.master?.categories = ["Team"]
        h.spokes[0].userUpsert(team)
        h.spokes[0].userUpsert(Cal.single("dentist@example.com", "Dentist"))
        try await h.sync()
        #expect(h.spokes[1].items.map(\.uid) == ["team@example.com"])
        h.spokes[0].edit("team@example.com") { $0.master?.categories = [] }
        try await h.sync()
        #expect(h.spokes[1].count == 0)
        #expect(h.spokes[0].count == 2)
        #expect(try h.events().count == 2)
    }

    /// Every event gone from a source at once is held, not spread; approved, it goes.
    @Test(arguments: StoreKind.allCases)
    func theDeletionGuardHoldsAMassDeletion(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make(), deletionGuard: DeletionGuard(percent: 20, minimum: 5))
        for i in 0..<10 { h.spokes[0].userUpsert(Cal.single("e\(i)@example.com", "Event \(i)", hour: 8 + i)) }
        try await h.sync()
        for id in h.spokes[0].entries.keys { h.spokes[0].userDelete(id) }
        let run = try await h.sync()
        #expect(h.stats(run, 0).heldDeletions == 10)
        #expect(try h.events().count == 10)
        #expect(h.spokes[1].count == 10)
        let hold = try #require(try h.store.pendingHolds(hub: h.hub).first)
        try h.engine.approveHold(hub: h.hub, spoke: hold.spoke)
        try await h.sync()
        #expect(try h.events().isEmpty)
        #expect(h.spokes[1].count == 0)
    }

    /// A crash after the source made the event and before the hub recorded it: the next pass
    /// finds it by its marker and links it; nothing is created twice.
    @Test(arguments: StoreKind.allCases)
    func aCrashBetweenCreateAndCommitDuplicatesNothing(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make())
        h.spokes[0].userUpsert(Cal.weekly("standup@example.com", "Standup"))
        h.spokes[1].setHook { op, phase in
            if phase == .after, case .write = op { throw Crash() }
        }
        await #expect(throws: Crash.self) { try await h.sync() }
        #expect(h.spokes[1].count == 1)
        h.spokes[1].setHook(nil)
        let run = try await h.sync()
        #expect(h.stats(run, 1).pushedCreates == 0)
        #expect(h.spokes[1].count == 1)
        #expect(try h.events().count == 1)
        try h.expectConverged()
        #expect(h.changes(try await h.sync()) == 0)
    }

    /// The calendar options: an event that has left the window is never deleted (in any
    /// source), and a spoke's busy copy of a private event never flows back.
    @Test(arguments: StoreKind.allCases)
    func outOfWindowIsNeverDeletedAndABusyCopyNeverFlowsBack(_ kind: StoreKind) async throws {
        let calendar = CalendarOptions(pastDays: 30, futureDays: 365, privateEvents: .busy)
        let h = try EventHub(store: kind.make(), options: [.init(), .init(calendar: calendar)])
        var secret = Cal.single("secret@example.com", "Doctor", hour: 15)
        secret.master?.classification = .private
        secret.master?.location = "Clinic"
        h.spokes[0].userUpsert(secret)
        h.spokes[0].userUpsert(Cal.single("old@example.com", "Kick-off"))
        try await h.sync()
        let busy = try #require(h.spokes[1].items.first { $0.uid == "secret@example.com" })
        #expect(busy.master?.summary == "Busy")
        #expect(busy.master?.location == nil)

        // What the spoke does to the busy copy stays there.
        h.spokes[1].edit("secret@example.com") { $0.master?.summary = "Busy (edited)" }
        try await h.sync()
        #expect(try h.events().first { $0.uid == "secret@example.com" }?.master?.summary == "Doctor")
        #expect(h.spokes[0].items.first { $0.uid == "secret@example.com" }?.master?.location == "Clinic")
        h.spokes[1].delete("secret@example.com")
        try await h.sync()
        #expect(try h.events().contains { $0.uid == "secret@example.com" })
        #expect(h.spokes[0].items.contains { $0.uid == "secret@example.com" })

        // A year on, the kick-off is long past: the spoke's server drops it from its listing.
        h.clock.advance(400 * 86400)
        h.spokes[1].delete("old@example.com")
        let run = try await h.sync()
        #expect(h.stats(run, 1).hubDeleted == 0)
        #expect(try h.events().contains { $0.uid == "old@example.com" })
        #expect(h.spokes[0].items.contains { $0.uid == "old@example.com" })
    }

    /// The contact spellings refuse a calendar hub plainly instead of misreading it.
    @Test func contactFormsRefuseACalendarHub() async throws {
        let h = try EventHub(store: MemoryStore())
        await #expect(throws: EngineError.self) { try await h.engine.sync(hub: h.hub, connectors: [:]) }
        #expect(throws: EngineError.self) { try h.engine.restore(hub: h.hub, entry: 1) }
    }
}

/// Events near the test clock's start (2023-11-14), so the default calendar window holds them.
enum Cal {
    static let zone = EventZone.named("Europe/Berlin")
    static func at(_ d: CivilDate, _ hour: Int) -> EventTime { .dateTime(CivilDateTime(d, hour), zone) }

    static func single(_ uid: String, _ summary: String, hour: Int = 9) -> Event {
        let day = CivilDate(2023, 11, 22)
        return Event(uid: uid, master: EventFields(start: at(day, hour), end: .time(at(day, hour + 1)), summary: summary))
    }

    /// Mondays from 2023-11-20, eight of them; the second moved to the afternoon.
    static func weekly(_ uid: String, _ summary: String) -> Event {
        var m = EventFields(start: at(CivilDate(2023, 11, 20), 10), end: .time(at(CivilDate(2023, 11, 20), 11)), summary: summary)
        m.location = "Room 4"
        var rule = EventRule(.weekly, end: .count(8))
        rule.byDay = [EventRule.Day(.monday)]
        let moved = EventFields(
            start: at(CivilDate(2023, 11, 27), 14), end: .time(at(CivilDate(2023, 11, 27), 15)), summary: summary + " (moved)")
        return Event(uid: uid, master: m, rule: rule,
                     overrides: [EventOverride(recurrenceID: at(CivilDate(2023, 11, 27), 10), fields: moved)])
    }
}

/// A calendar hub with memory spokes on a store, and the engine to sync it.
struct EventHub {
    let store: any SyncStore
    let hub = HubID("cal")
    let spokes: [MemoryItemSpoke<Event>]
    let configs: [SpokeConfig]
    let clock = TestClock()
    let engine: SyncEngine

    init(store: any SyncStore, options: [SpokeOptions] = [.init(), .init()], deletionGuard: DeletionGuard = .init()) throws {
        self.store = store
        try store.saveHub(HubConfig(id: hub, name: "Team calendar", deletionGuard: deletionGuard, objectKind: .calendar))
        var spokes: [MemoryItemSpoke<Event>] = []
        var configs: [SpokeConfig] = []
        for (i, o) in options.enumerated() {
            let config = SpokeConfig(id: SpokeID("c\(i)"), hub: hub, name: "calendar \(i)", kind: .memory, position: i, options: o)
            try store.saveSpoke(config)
            configs.append(config)
            spokes.append(MemoryItemSpoke<Event>(name: "c\(i)", pageSize: 3, maxBatch: 2, clock: clock.closure))
        }
        (self.spokes, self.configs) = (spokes, configs)
        let ids = Counter(prefix: "ev")
        engine = SyncEngine(store: store, clock: clock.closure, newID: { ids.next() }, batchSize: 4)
    }

    var connectors: [SpokeID: any ItemConnector<Event>] {
        Dictionary(uniqueKeysWithValues: zip(configs.map(\.id), spokes.map { $0 as any ItemConnector<Event> }))
    }

    @discardableResult
    func sync() async throws -> RunRecord {
        clock.advance()
        return try await engine.sync(hub: hub, connectors: .calendar(connectors))
    }

    func events() throws -> [Event] { try store.liveItems(Event.self, hub: hub).map(\.item) }

    func stats(_ run: RunRecord, _ i: Int) -> SpokeRunStats { run.stats[configs[i].id] ?? SpokeRunStats() }

    /// Everything a pass changed, in the hub and in the spokes.
    func changes(_ run: RunRecord) -> Int {
        run.stats.values.reduce(0) {
            $0 + $1.hubCreated + $1.hubUpdated + $1.hubDeleted + $1.pushedCreates + $1.pushedUpdates + $1.pushedDeletes
        }
    }

    /// Every spoke holds what the hub holds (by content: stamps and sequence are not content).
    func expectConverged(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let hub = Set(try events().map(\.itemHash))
        for s in spokes {
            #expect(Set(s.items.map(\.itemHash)) == hub, "\(s.name) differs from the hub", sourceLocation: sourceLocation)
        }
    }
}

extension MemoryItemSpoke where Item == Event {
    func id(_ uid: String) -> RemoteID? { entries.first { $0.value.item.uid == uid }?.key }

    /// A person edits the series `uid` in this calendar.
    func edit(_ uid: String, sourceLocation: SourceLocation = #_sourceLocation, _ change: (inout Event) -> Void) {
        guard let id = id(uid), var e = item(id) else {
            Issue.record("no \(uid) in \(name)", sourceLocation: sourceLocation)
            return
        }
        change(&e)
        userUpsert(e, id: id)
    }

    func delete(_ uid: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let id = id(uid) else {
            Issue.record("no \(uid) in \(name)", sourceLocation: sourceLocation)
            return
        }
        userDelete(id)
    }
}
