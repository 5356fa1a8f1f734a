import Foundation
import Testing
import ConnectorKit
import SyncModel

/// Every series of a full listing, following pages.
public func listAllEvents(_ c: any ItemConnector<Event>) async throws -> [Remote<Event>] {
    var page: PageToken?
    var items: [Remote<Event>] = []
    repeat {
        let p = try await c.pull(since: nil, page: page)
        #expect(p.mode == .full)
        for case .upsert(let r) in p.changes { items.append(r) }
        page = p.next
    } while page != nil
    return items
}

/// The checks every calendar connector must pass (the contact `ConnectorConformance`, for
/// events); each test target runs them against its connectors.
public enum EventConformance {
    static let berlin = EventZone.named("Europe/Berlin")
    static let stamp = CivilDateTime(CivilDate(2026, 12, 1), 9)

    static func at(_ d: CivilDate, _ h: Int) -> EventTime { .dateTime(CivilDateTime(d, h), berlin) }

    public static func single(_ uid: String, _ summary: String) -> Event {
        var f = EventFields(start: at(CivilDate(2026, 12, 9), 9), end: .time(at(CivilDate(2026, 12, 9), 10)), summary: summary)
        f.stamp = stamp
        return Event(uid: uid, master: f)
    }

    /// Weekly on Mondays, the 14th moved to Tuesday afternoon, the 21st cancelled; people,
    /// an alarm, categories and a property nobody maps.
    public static func series(_ uid: String = "series-1@example.com") -> Event {
        var m = EventFields(start: at(CivilDate(2026, 12, 7), 10), end: .time(at(CivilDate(2026, 12, 7), 11)), summary: "Standup")
        m.stamp = stamp
        m.location = "Room 4"
        m.description = "Daily, but weekly.\nBring coffee; and notes, too."
        m.categories = ["Team", "Work"]
        m.classification = .private
        m.transparency = .opaque
        m.organizer = Participant(address: "mailto:ann@example.com", params: [EventParameter(name: "CN", values: ["Ann"])])
        m.attendees = [Participant(address: "mailto:bob@example.com", params: [
            EventParameter(name: "CN", values: ["Bob"]), EventParameter(name: "PARTSTAT", values: ["ACCEPTED"]),
        ])]
        m.alarms = [EventAlarm(action: "DISPLAY", trigger: .relative(EventDuration(negative: true, minutes: 15), fromEnd: false), description: "Standup")]
        m.extra = [EventProperty(name: "X-OTHER-APP-COLOR", value: "teal")]
        m.sequence = 2
        var moved = EventFields(start: at(CivilDate(2026, 12, 15), 14), end: .time(at(CivilDate(2026, 12, 15), 15)), summary: "Standup (moved)")
        moved.stamp = stamp
        var rule = EventRule(.weekly, end: .count(10))
        rule.byDay = [EventRule.Day(.monday)]
        return Event(
            uid: uid, master: m, rule: rule,
            exdates: [at(CivilDate(2026, 12, 21), 10)],
            overrides: [EventOverride(recurrenceID: at(CivilDate(2026, 12, 14), 10), fields: moved)])
    }

    /// The series as a calendar app reads it: without the scheduling flag a CalDAV write adds
    /// (PROTOCOLS §3.5), in canonical form.
    public static func plain(_ e: Event) -> Event {
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
        return e.canonical()
    }

    static let marker = CreateMarker(hub: HubID("h"), item: ItemID("e1"))

    public static func createThenListAndFetch(_ c: any ItemConnector<Event>) async throws {
        let event = series()
        let out = try await c.write([.create(event, marker)])
        guard case .created(let id, let version) = out.first else { Issue.record("\(out)"); return }
        let all = try await listAllEvents(c)
        #expect(all.map(\.id) == [id])
        #expect(all.first?.version == version)
        #expect(all.first.map { plain($0.item) } == plain(event))
        #expect(try await c.fetch(id).map { plain($0.item) } == plain(event))
        // The hub's marker is the source's, not the series': found by it after a crash mid-create.
        #expect(all.first?.marker == marker)
        #expect(try await c.find(marker: marker)?.id == id)
        #expect(try await c.find(marker: marker).map { plain($0.item) } == plain(event))
        #expect(try await c.find(marker: CreateMarker(hub: HubID("h"), item: ItemID("other"))) == nil)
        // A create retried after its answer was lost lands on the same item, not a second one.
        let again = try await c.write([.create(event, marker)])
        guard case .created(let id2, _)? = again.first else { Issue.record("\(again)"); return }
        #expect(id2 == id)
        #expect(try await listAllEvents(c).count == 1)
    }

    public static func updatesNeedTheCurrentVersion(_ c: any ItemConnector<Event>) async throws {
        let event = series("update-1@example.com")
        guard case .created(let id, let v1?)? = try await c.write([.create(event, marker)]).first else {
            Issue.record("create failed"); return
        }
        var edited = event
        edited.overrides[0].fields.summary = "Standup (moved, room 5)"
        edited.exdates.append(at(CivilDate(2026, 12, 28), 10))
        let out = try await c.write([.update(id, v1, edited)])
        guard case .updated(let v2) = out.first else { Issue.record("\(out)"); return }
        #expect(v2 != v1)
        #expect(try await c.fetch(id).map { plain($0.item) } == plain(edited))
        // An update keeps the marker (what the hub did not write).
        #expect(try await c.find(marker: marker)?.id == id)
        // The old version is stale now: both writes are refused, and nothing changes.
        #expect(try await c.write([.update(id, v1, event)]) == [.conflict])
        #expect(try await c.write([.delete(id, v1)]) == [.conflict])
        #expect(try await c.fetch(id).map { plain($0.item) } == plain(edited))
        let current = try await c.fetch(id)?.version
        #expect(try await c.write([.delete(id, current)]) == [.deleted])
        #expect(try await c.fetch(id) == nil)
        #expect(try await c.write([.update(id, current, event), .delete(id, current)]) == [.notFound, .notFound])
        #expect(try await listAllEvents(c).isEmpty)
    }

    public static func pagesCoverEveryItemOnce(_ c: any ItemConnector<Event>) async throws {
        let ops = (0..<10).map { i in
            ItemWriteOp<Event>.create(single("p\(i)@example.com", "P\(i)"), CreateMarker(hub: HubID("h"), item: ItemID("p\(i)")))
        }
        let out = try await c.write(ops)
        #expect(out.allSatisfy { if case .created = $0 { true } else { false } })
        let all = try await listAllEvents(c)
        #expect(all.count == 10)
        #expect(Set(all.map(\.id)).count == 10)
        #expect(Set(all.compactMap(\.item.master?.summary)) == Set((0..<10).map { "P\($0)" }))
    }

    /// Each check against a fresh, empty calendar from `make`.
    public static func all(_ make: () async throws -> any ItemConnector<Event>) async throws {
        try await createThenListAndFetch(make())
        try await updatesNeedTheCurrentVersion(make())
        try await pagesCoverEveryItemOnce(make())
    }
}
