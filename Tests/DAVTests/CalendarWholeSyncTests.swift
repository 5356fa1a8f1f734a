import Foundation
import Logging
import PIMFormats
import Synchronization
import Testing
import ConnectorDAV
import ConnectorFolder
import ConnectorKit
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport

/// Whole syncs of a calendar hub through `SyncEngine`: a calendar on Radicale, a folder of .ics
/// files and a calendar on Xandikos, edited behind the spokes' backs by other clients.
@Suite struct CalendarWholeSyncTests {
    /// The sample series are in December 2026: the hub's clock is a few days before, so they
    /// are in every spoke's window whatever day the test runs.
    static let now = Date(timeIntervalSince1970: 1_796_428_800)  // 2026-12-05T00:00Z

    struct Hub {
        let store: any SyncStore
        let engine: SyncEngine
        let id = HubID("cal")
        var connectors: [SpokeID: any ItemConnector<Event>] = [:]
        let clock = Clock()

        final class Clock: Sendable {
            private let seconds = Mutex(0.0)
            func advance() { seconds.withLock { $0 += 60 } }
            var closure: @Sendable () -> Date { { [self] in CalendarWholeSyncTests.now.addingTimeInterval(seconds.withLock { $0 }) } }
        }

        init() throws {
            store = try SQLiteStore.inMemory()
            try store.saveHub(HubConfig(id: id, name: "Team calendar", objectKind: .calendar))
            let ids = Counter(prefix: "e")
            engine = SyncEngine(store: store, clock: clock.closure, newID: { ids.next() },
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        }

        mutating func add(_ name: String, _ kind: SpokeKind, _ connector: any ItemConnector<Event>) throws {
            let spoke = SpokeConfig(id: SpokeID(name), hub: id, name: name, kind: kind, position: connectors.count)
            try store.saveSpoke(spoke)
            connectors[spoke.id] = connector
        }

        func sync() async throws -> RunRecord {
            clock.advance()
            return try await engine.sync(hub: id, connectors: .calendar(connectors))
        }
    }

    /// The series each spoke lists, by UID, as a calendar app reads them.
    static func series(_ c: any ItemConnector<Event>) async throws -> [String: Event] {
        Dictionary(uniqueKeysWithValues: try await listAllEvents(c).map { ($0.item.uid, EventConformance.plain($0.item)) })
    }

    @Test func aSeriesGoesEverywhereUnchangedAnEditAndADeletionComeBackAndAResyncWritesNothing() async throws {
        let radicale = try await DAVServer.start(.radicale)
        let xandikos = try await DAVServer.start(.xandikos)
        defer {
            radicale.process.stop()
            xandikos.process.stop()
        }
        let rCal = try await radicale.makeCalendar(), xCal = try await xandikos.makeCalendar()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("whole-cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Another app's calendar on Radicale: a weekly series with a moved and a cancelled
        // instance, and a one-off review.
        let r = OtherClient(radicale), x = OtherClient(xandikos)
        try await r.put(rCal, "standup.ics", SampleEvents.text(uid: "standup-1"), type: "text/calendar")
        let review = SampleEvents.single(uid: "review-1", summary: "Review", day: CivilDate(2026, 12, 16))
        try await r.put(rCal, "review.ics", ICalWriter.resource(review), type: "text/calendar")

        var hub = try Hub()
        try hub.add("radicale", .caldav, try CalDAVCalendarSpoke(settings: CalDAVSettings(url: rCal), http: radicale.client()))
        try hub.add("folder", .icsFolder, ICSFolderSpoke(directory: dir, now: hub.clock.closure))
        try hub.add("xandikos", .caldav, try CalDAVCalendarSpoke(settings: CalDAVSettings(url: xCal), http: xandikos.client()))

        // 1. The first sync copies both series everywhere, unchanged (the moved and the cancelled
        //    instance with them).
        let first = try await hub.sync()
        #expect(first.status == .succeeded, "\(first.errors)")
        let standup = EventConformance.plain(try SampleEvents.event(uid: "standup-1"))
        for (id, c) in hub.connectors {
            let there = try await Self.series(c)
            #expect(Set(there.keys) == ["standup-1", "review-1"], "\(id)")
            #expect(there["standup-1"] == standup, "\(id)")
            #expect(there["standup-1"]?.overrides.count == 1 && there["standup-1"]?.exdates.count == 1, "\(id)")
            #expect(there["review-1"]?.master?.summary == "Review", "\(id)")
        }

        // 2. A second sync is a no-op: nothing written anywhere, nothing changed in the hub.
        let again = try await hub.sync()
        #expect(again.status == .succeeded, "\(again.errors)")
        for (id, s) in again.stats {
            #expect(s.pushedCreates + s.pushedUpdates + s.pushedDeletes == 0 && s.hubCreated + s.hubUpdated + s.hubDeleted == 0,
                    "\(id): \(s)")
        }

        // 3. Edited on Xandikos by another client: the place changes; Radicale and the folder follow.
        let onX = try #require(try await x.cards(xCal).first { $0.value.contains("UID:standup-1") })
        #expect(onX.value.contains("LOCATION:Room 4"))
        try await x.put(xCal, onX.key.lastPathComponent, onX.value.replacingOccurrences(of: "LOCATION:Room 4", with: "LOCATION:Room 9"),
                        type: "text/calendar")
        let edit = try await hub.sync()
        #expect(edit.status == .succeeded, "\(edit.errors)")
        var moved = standup
        moved.master?.location = "Room 9"
        for (id, c) in hub.connectors {
            let there = try await Self.series(c)
            #expect(there["standup-1"]?.master?.location == "Room 9", "\(id)")
            // Only the place changed: the rule, the moved and the cancelled instance are as they were.
            #expect(there["standup-1"] == moved.canonical(), "\(id)")
        }

        // 4. Deleted from the folder: gone from both calendars.
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.contains("review-1") })
        try FileManager.default.removeItem(at: dir.appendingPathComponent(file))
        let deletion = try await hub.sync()
        #expect(deletion.status == .succeeded, "\(deletion.errors)")
        for (id, c) in hub.connectors {
            #expect(Set(try await Self.series(c).keys) == ["standup-1"], "\(id)")
        }
        #expect(try hub.store.liveItems(Event.self, hub: hub.id).map(\.item.uid) == ["standup-1"])

        // 5. And the sync after that writes nothing.
        let last = try await hub.sync()
        for (id, s) in last.stats {
            #expect(s.pushedCreates + s.pushedUpdates + s.pushedDeletes == 0, "\(id): \(s)")
        }
    }
}
