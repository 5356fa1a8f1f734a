import Foundation
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import PIMFormats
import SyncModel
import TestSupport

/// The CalDAV client against real servers: discovery, sync-collection and its fallback,
/// multiget in batches, conditional writes, resources named after the UID.
@Suite(.serialized) struct CalDAVTests {
    /// The event as a calendar app sees it, without the scheduling flag HubSync adds.
    static func plain(_ e: Event) -> Event {
        func strip(_ f: EventFields) -> EventFields {
            var f = f
            func s(_ p: Participant) -> Participant { var p = p; p.params.removeAll { $0.name == "SCHEDULE-AGENT" }; return p }
            f.organizer = f.organizer.map(s)
            f.attendees = f.attendees.map(s)
            return f
        }
        var e = e
        e.master = e.master.map(strip)
        e.overrides = e.overrides.map { o in var o = o; o.fields = strip(o.fields); return o }
        return e
    }

    @Test(arguments: ServerKind.allCases) func discoveryFindsTheCalendarsThatHoldEvents(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let events = try await server.makeCalendar("events")
        _ = try await server.makeCalendar("tasks", components: ["VTODO"])
        let found = try await Discovery.calendars(at: server.base, http: server.client())
        let paths = found.map(\.url.path)
        #expect(paths.contains(events.path))
        #expect(!paths.contains { $0.hasSuffix("/tasks/") })
        // A task list is not a calendar of events: said so, not synced.
        let tasks = try server.calendar(server.calendarHome.appendingPathComponent("tasks/"))
        await #expect(throws: ConnectorError.self) { try await tasks.describe() }
    }

    @Test(arguments: ServerKind.allCases) func aSeriesGoesInUnderItsUIDAndComesBackWhole(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let cal = try server.calendar(url)
        // A UID a path cannot hold as it is.
        let uid = "040000008200E0/74C5B7101A82E008 ü+x@example.com"
        let event = try SampleEvents.event(uid: uid)
        let out = try await cal.write([.create(event)])
        guard case .created(let id, let version?) = out.first else { Issue.record("\(out)"); return }
        #expect(id == cal.resource(uid: uid))
        // No slash in a name (servers refuse even %2F): such a UID is named by its hash.
        #expect(id.rawValue.hasSuffix(".ics") && id.rawValue.split(separator: "/").count == url.path.split(separator: "/").count + 1)
        let (pages, cursor) = try await cal.pullAll()
        #expect(cursor != nil)
        let got = pages.flatMap(\.upserts)
        #expect(got.map(\.id) == [id])
        #expect(got.first?.version == version)
        #expect(got.first.map { Self.plain($0.event) } == event)
        // Nobody is invited: every participant carries SCHEDULE-AGENT=CLIENT on the server.
        let people = (got.first?.event.master?.attendees ?? []) + [got.first?.event.master?.organizer].compactMap { $0 }
        #expect(!people.isEmpty && people.allSatisfy { $0.param("SCHEDULE-AGENT") == "CLIENT" })
        let text = try #require(try await OtherClient(server).get(url.appendingPathComponent(String(id.rawValue.split(separator: "/").last!))))
        #expect(!text.text.contains("METHOD:"))
        // A create of the same series again (its answer lost): done, and linked without a version.
        let again = try await cal.write([.create(event)])
        #expect(again == [.created(id, nil)])
        // A UID a name can hold is the name, one id however the server spells it; any other is hashed.
        let plainUID = "Ann.meeting-1+x@example.com"
        #expect(cal.resource(uid: plainUID).rawValue.hasSuffix("/Ann.meeting-1%2Bx@example.com.ics"))
        #expect(cal.resource(uid: "Ann's meeting").rawValue.contains("/uid-"))
        let made = try await cal.write([.create(try SampleEvents.event(uid: plainUID))])
        #expect(made.first.map(\.name) == "created \(cal.resource(uid: plainUID))", "\(made)")
        let listed = try await cal.pullAll().pages.flatMap(\.upserts).map(\.id)
        #expect(Set(listed) == [id, cal.resource(uid: plainUID)])
    }

    @Test(arguments: ServerKind.allCases) func changesComeBySyncTokenAndWritesAreConditional(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let cal = try server.calendar(url, batch: 2)
        let other = OtherClient(server)
        for i in 1...5 { try await other.put(url, "e\(i).ics", SampleEvents.text(uid: "e\(i)", summary: "Event \(i)"), type: "text/calendar") }
        let first = try await cal.pullAll()
        #expect(first.pages.count == 3)  // five objects, two per multiget
        #expect(first.pages.flatMap(\.upserts).count == 5)
        #expect(first.pages.allSatisfy { $0.mode == .full })
        let byID = Dictionary(uniqueKeysWithValues: first.pages.flatMap(\.upserts).map { ($0.id, $0) })
        let e1 = try #require(byID.values.first { $0.event.uid == "e1" })
        let e2 = try #require(byID.values.first { $0.event.uid == "e2" })

        // Another client edits one and deletes one: the next pull says exactly that.
        try await other.put(url, "e3.ics", SampleEvents.text(uid: "e3", summary: "Event 3 renamed"), type: "text/calendar")
        try await other.delete(url.appendingPathComponent("e4.ics"))
        let known = KnownVersions { ids in Dictionary(uniqueKeysWithValues: ids.compactMap { id in byID[id].flatMap { o in o.version.map { (id, $0) } } }) }
        let next = try await cal.pullAll(since: first.cursor, known: known)
        #expect(next.pages.allSatisfy { $0.mode == .incremental })
        #expect(next.pages.flatMap(\.upserts).map(\.event.master?.summary) == ["Event 3 renamed"])
        #expect(next.pages.flatMap(\.deleted).map { $0.rawValue.hasSuffix("/e4.ics") } == [true])

        // An update on a stale version is a conflict (412), and so is a delete.
        try await other.put(url, "e1.ics", SampleEvents.text(uid: "e1", summary: "Edited elsewhere"), type: "text/calendar")
        var changed = e1.event
        changed.master?.summary = "Edited here"
        #expect(try await cal.write([.update(e1.id, e1.version, changed)]) == [.conflict])
        #expect(try await cal.write([.delete(e1.id, e1.version)]) == [.conflict])
        // On the current version both go through; what the hub does not hold stays.
        var e2changed = e2.event
        e2changed.master?.summary = "Event 2 edited"
        guard case .updated(let v2)? = try await cal.write([.update(e2.id, e2.version, e2changed)]).first else {
            Issue.record("update failed"); return
        }
        let stored = try #require(try await other.get(url.appendingPathComponent("e2.ics")))
        #expect(stored.text.contains("PRODID:-//Other App//EN") && stored.text.contains("X-OTHER-APP-COLOR:teal"))
        #expect(try await cal.write([.delete(e2.id, v2)]) == [.deleted])
        #expect(try await cal.write([.delete(e2.id, v2)]) == [.notFound])
    }

    @Test(arguments: ServerKind.allCases) func aRefusedTokenFallsBackToTheWindowAndDeletesNothing(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let now = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01
        let cal = try server.calendar(url, window: DAVTimeWindow(pastDays: 30, futureDays: 60), now: { now })
        let inside = SampleEvents.single(uid: "inside", summary: "In the window", day: CivilDate(2026, 12, 10))
        let outside = SampleEvents.single(uid: "outside", summary: "Long ago", day: CivilDate(2024, 3, 1))
        let versions = try await cal.created([inside, outside])
        #expect(versions.count == 2)
        // A token the server does not know (expired, or from before a restore), after a window
        // listing (one without, see CalDAVWindowTests, lists the whole calendar).
        let name = String(cal.resource(uid: "inside").rawValue.split(separator: "/").last!)
        let stale = SpokeCursor("sync:" + (kind == .radicale ? "http://radicale.org/ns/sync/0000" : "http://xandikos.org/bogus") + "\n" + name)
        let known = KnownVersions.holding(versions)
        let page = try await cal.pullAll(since: stale, known: known)
        // Not a full listing: the event outside the window is not there, and not deleted.
        #expect(page.pages.allSatisfy { $0.mode == .incremental })
        #expect(page.pages.flatMap(\.deleted).isEmpty)
        #expect(page.pages.flatMap(\.unchanged) == [cal.resource(uid: "inside")])
        #expect(page.cursor?.rawValue.hasPrefix("sync:") == true && page.cursor != stale)
    }

    @Test(arguments: ServerKind.allCases) func conformance(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        try await EventConformance.all {
            try CalDAVCalendarSpoke(settings: CalDAVSettings(url: try await server.makeCalendar(), multigetBatch: 3), http: server.client())
        }
    }

    static let python = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python")

    /// What HubSync writes, read back by another CalDAV client (Python `caldav`), which expands
    /// the series itself: the moved instance moved, the cancelled one gone, nobody invited.
    @Test(arguments: ServerKind.allCases) func anotherClientReadsWhatHubSyncWrites(_ kind: ServerKind) async throws {
        try OutsideTools.require(.caldav)
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let spoke = try CalDAVCalendarSpoke(settings: CalDAVSettings(url: url), http: server.client())
        let out = try await spoke.write([
            .create(EventConformance.series("series-1@example.com"), CreateMarker(hub: HubID("h"), item: ItemID("1"))),
            .create(EventConformance.single("one-off/1 ü", "Review"), CreateMarker(hub: HubID("h"), item: ItemID("2"))),
        ])
        #expect(out.allSatisfy { if case .created = $0 { true } else { false } })
        let json = try await PythonScript.run(
            "caldav_read.py", in: Self.python, [url.absoluteString, server.user, server.password, "20261201T000000Z", "20261231T000000Z"],
            needs: [.caldav])
        struct Seen: Decodable, Equatable { var summary: String?; var occurrences: [[String]] }
        let seen = try JSONDecoder().decode([String: Seen].self, from: Data(json.utf8))
        #expect(seen["series-1@example.com"] == Seen(summary: "Standup", occurrences: [
            ["20261207T090000Z", "Standup"], ["20261215T130000Z", "Standup (moved)"], ["20261228T090000Z", "Standup"],
        ]))
        #expect(seen["one-off/1 ü"] == Seen(summary: "Review", occurrences: [["20261209T080000Z", "Review"]]))
        #expect(seen.count == 2)
    }
}
