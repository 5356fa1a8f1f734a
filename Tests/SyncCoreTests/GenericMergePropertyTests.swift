import Foundation
import Testing
import TestSupport
@testable import SyncCore
import SyncModel

/// The merge written once over an item type's schema, proven alike for contacts and events: the
/// hub and two spokes edit one agreed item concurrently; the hub pulls the spokes in order, merging
/// each and giving it the result, for two rounds. Then every side holds the same item, the second
/// round changed nothing and met no conflict, and a field only one side changed has that side's
/// value wherever it ends up (an event's instances moved along when another side moved its series).
@Suite struct GenericMergePropertyTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func contactsConverge(_ seed: UInt64) {
        let start = Contact(givenName: "Ada", familyName: "Lovelace", emails: [LabeledValue("ada@x.example")],
                            categories: ["VIP"], custom: ["Tier": "gold"]).normalized()
        Self.converge(start, seed: seed, edit: Self.editContact) { $0.normalized() }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func eventsConverge(_ seed: UInt64) {
        var master = EventFields(start: .dateTime(CivilDateTime(CivilDate(2026, 3, 2), 9), .named("Europe/Berlin")),
                                 end: .duration(EventDuration(minutes: 15)), summary: "Standup")
        master.attendees = [Participant(address: "mailto:ann@example.com")]
        let start = Event(uid: "standup@example.com", master: master,
                          rule: EventRule(.weekly))
        // A series moved differently on two sides: the start is a conflict, and the instances a
        // third side keyed by the old start move with the first move merged (EVENTS.md).
        let movedTwice = { (sides: [Event], agreed: Event) -> Set<EventField> in
            Set(sides.compactMap(\.master?.start).filter { $0 != agreed.master?.start }).count > 1 ? [.exdates, .overrides] : []
        }
        Self.converge(start, seed: seed, edit: Self.editEvent, unclaimed: movedTwice) { e in
            var e = e
            Event.schema.normalize(&e)
            return e
        }
    }

    /// An edit of the whole series on one side and of one instance on the other both survive;
    /// the same instance changed on both sides is one conflict, settled by the winner.
    @Test func seriesAndInstanceEditsBothSurvive() {
        let at9 = EventTime.dateTime(CivilDateTime(CivilDate(2026, 3, 9), 9), .named("Europe/Berlin"))
        let base = Event(uid: "u", master: EventFields(start: at9, summary: "Standup"), rule: EventRule(.weekly))
        var hub = base
        hub.master?.summary = "Daily standup"
        var spoke = base
        spoke.overrides = [EventOverride(recurrenceID: at9, fields: EventFields(start: at9, summary: "Moved"))]
        let out = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: .hub)
        #expect(out.conflicts.isEmpty)
        #expect(out.merged.master?.summary == "Daily standup")
        #expect(out.merged.overrides == spoke.overrides)
        var other = hub
        other.overrides = [EventOverride(recurrenceID: at9, fields: EventFields(start: at9, summary: "Cancelled"))]
        let clash = ThreeWayMerge.merge(base: base, hub: other, spoke: spoke, winner: .spoke)
        #expect(clash.conflicts == [.overrides])
        #expect(clash.merged.overrides == spoke.overrides)
        #expect(Event.schema.changes(from: base, to: clash.merged).map(\.field) == [.summary, .overrides])
    }

    /// Fields the edit did not touch compare equal; `changed` lists those it did.
    static func changed<Item: SyncItem>(_ a: Item, _ b: Item) -> Set<Item.Field> {
        Set(Item.schema.fields.filter { !$0.isMap && !$0.same(a, b) }.map(\.field))
    }

    static func converge<Item: SyncItem>(
        _ start: Item, seed: UInt64, rounds: Int = 200, edit: (inout Item, inout SeededRandom) -> Void,
        unclaimed: ([Item], Item) -> Set<Item.Field> = { _, _ in [] }, normalize: (Item) -> Item
    ) {
        var rng = SeededRandom(seed: seed)
        var sawConflict = false, sawChange = false
        for _ in 0..<rounds {
            var agreed = start
            for _ in 0..<3 { edit(&agreed, &rng) }
            agreed = normalize(agreed)
            func edited() -> Item {
                var x = agreed
                for _ in 0..<Int.random(in: 0...3, using: &rng) { edit(&x, &rng) }
                return normalize(x)
            }
            var hub = edited()
            var spokes = [edited(), edited()]
            let sides = [hub] + spokes
            var bases = [agreed, agreed]
            let winners: [Side] = [.hub, .spoke].shuffled(using: &rng)
            for round in 0..<2 {
                for i in spokes.indices {
                    let out = ThreeWayMerge.merge(base: bases[i], hub: hub, spoke: spokes[i], winner: winners[i])
                    if round == 1 {
                        #expect(out.conflicts.isEmpty)
                        #expect(out.merged == hub)
                    }
                    sawConflict = sawConflict || !out.conflicts.isEmpty
                    hub = out.merged
                    spokes[i] = hub
                    bases[i] = hub
                }
            }
            #expect(spokes.allSatisfy { $0 == hub })
            // A side as the merges re-keyed it against the result: an event's instances move with
            // a series another side moved (`Event.align`); nothing moves for contacts.
            func aligned(_ side: Item) -> Item {
                var (b, h, s) = (agreed, hub, side)
                Item.align(base: &b, hub: &h, spoke: &s)
                return s
            }
            // A field one side alone changed ends as that side has it.
            for spec in Item.schema.fields where !spec.isMap && !unclaimed(sides, agreed).contains(spec.field) {
                let changers = sides.filter { !spec.same($0, agreed) }
                if changers.count == 1 {
                    #expect(spec.same(hub, aligned(changers[0])), "\(spec.field)")
                    sawChange = true
                } else if changers.isEmpty {
                    #expect(spec.same(hub, aligned(agreed)), "\(spec.field)")
                }
            }
        }
        // The runs met both kinds of case, so the checks above were not vacuous.
        #expect(sawConflict)
        #expect(sawChange)
    }

    static let words = ["Ann", "Bob", "Cy", "Di"]

    static func editContact(_ c: inout Contact, _ rng: inout SeededRandom) {
        let w = words.randomElement(using: &rng)!
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: c.givenName = rng.chance(0.2) ? nil : w
        case 1: c.title = rng.chance(0.2) ? nil : w
        case 2: c.birthday = PartialDate(year: nil, month: Int.random(in: 1...12, using: &rng), day: 1)
        case 3: c.emails.append(LabeledValue("\(w.lowercased())@x.example", label: .work))
        case 4: if !c.emails.isEmpty { c.emails.remove(at: Int.random(in: 0..<c.emails.count, using: &rng)) }
        case 5: if !c.emails.isEmpty { c.emails[0].label = [.home, .work, .other].randomElement(using: &rng)! }
        case 6: c.categories = rng.chance(0.5) ? c.categories + [w] : Array(c.categories.dropFirst())
        case 7: c.custom[rng.chance(0.5) ? "Tier" : "Zone"] = rng.chance(0.2) ? nil : w
        default: c.phones = [LabeledValue("+1555010\(Int.random(in: 0...9, using: &rng))", label: .mobile)]
        }
    }

    static func editEvent(_ e: inout Event, _ rng: inout SeededRandom) {
        let w = words.randomElement(using: &rng)!
        let day = CivilDate(2026, 3, Int.random(in: 2...27, using: &rng))
        switch Int.random(in: 0..<10, using: &rng) {
        case 0:
            // The whole series moved, its own instances along (as calendar clients do).
            var (before, moved, own) = (e, e, e)
            moved.master?.start = .dateTime(CivilDateTime(day, Int.random(in: 8...17, using: &rng)), .named("Europe/Berlin"))
            Event.align(base: &before, hub: &moved, spoke: &own)
            (moved.exdates, moved.overrides) = (own.exdates, own.overrides)
            e = moved
        case 1: e.master?.summary = rng.chance(0.2) ? nil : "Standup \(w)"
        case 2: e.master?.location = rng.chance(0.2) ? nil : "Room \(w)"
        case 3: e.master?.status = [.confirmed, .tentative, .cancelled].randomElement(using: &rng)!
        case 4:
            let now = e.master?.categories ?? []
            e.master?.categories = rng.chance(0.5) ? now + [w] : []
        case 5:
            let ann = Participant(address: "mailto:\(w.lowercased())@example.com",
                                  params: [EventParameter(name: "PARTSTAT", values: [rng.chance(0.5) ? "ACCEPTED" : "DECLINED"])])
            e.master?.attendees.removeAll { $0.address == ann.address }
            if rng.chance(0.7) { e.master?.attendees.append(ann) }
        case 6: e.rule = rng.chance(0.3) ? nil : EventRule(rng.chance(0.5) ? .weekly : .daily)
        case 7:
            // Cancelled instances on odd days, overrides on even ones: a cancel beats an edit of
            // the same instance, which is EventMergeTests' to prove, not this generic property's.
            let odd = CivilDate(2026, 3, 3 + 2 * Int.random(in: 0...11, using: &rng))
            let t = EventTime.dateTime(CivilDateTime(odd, 9), .named("Europe/Berlin"))
            if e.exdates.contains(t) { e.exdates.removeAll { $0 == t } } else { e.exdates.append(t) }
        case 8:
            let even = CivilDate(2026, 3, 2 + 2 * Int.random(in: 0...12, using: &rng))
            let id = EventTime.dateTime(CivilDateTime(even, 9), .named("Europe/Berlin"))
            e.overrides.removeAll { $0.recurrenceID == id }
            if rng.chance(0.7) {
                e.overrides.append(EventOverride(recurrenceID: id, fields: EventFields(start: id, summary: "Moved \(w)")))
            }
        default: e.master?.transparency = rng.chance(0.5) ? .opaque : .transparent
        }
    }
}
