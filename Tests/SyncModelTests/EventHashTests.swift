import Foundation
import Testing
import TestSupport
@testable import SyncModel

/// A named change to a series, for tables.
struct EventMutation: Sendable, CustomTestStringConvertible {
    let name: String
    let apply: @Sendable (inout Event) -> Void
    init(_ name: String, _ apply: @escaping @Sendable (inout Event) -> Void) { (self.name, self.apply) = (name, apply) }
    var testDescription: String { name }
}

@Suite struct EventHashTests {
    static let e = EventFixtures.everything
    static let at9 = EventFixtures.at(2026, 3, 2)

    /// Pinned values: the hash is stored, so it must never change between runs or releases.
    /// (Computed independently: FNV-1a 64 over tag, UTF-8, 0xFF per canonical text.) An end is
    /// hashed as the time it means since DTEND, DURATION and no end became one end (tag 2: the
    /// first series' next day, the second's start); no calendar hub had synced before, so no
    /// stored hash had the values before that.
    @Test func literalValues() {
        #expect(Event.empty.contentHash == ContentHash(0xcbf2_9ce4_8422_2325))
        #expect(Event(uid: "x", master: EventFields(start: .date(CivilDate(2026, 3, 2)), summary: "A")).contentHash
            == ContentHash(hex: "074341f2f60dd3f8"))
        var rule = EventRule(.weekly)
        rule.byDay = [EventRule.Day(.monday), EventRule.Day(.friday)]
        var m = EventFields(start: Self.at9, summary: "Standup")
        m.categories = ["Work", "daily"]
        #expect(Event(uid: "", master: m, rule: rule, exdates: [EventFixtures.at(2026, 3, 9)]).contentHash
            == ContentHash(hex: "cb27975efb4c9394"))
        #expect(Self.e.contentHash == ContentHash(hex: "ac4549e084e6bb46"))
    }

    /// Identity and bookkeeping are not content.
    @Test func bookkeepingIsNotContent() {
        var x = Self.e
        x.uid = "other"
        x.master!.sequence = 9
        x.master!.stamp = nil
        x.master!.created = nil
        x.master!.lastModified = CivilDateTime(CivilDate(2030, 1, 1))
        x.overrides[0].fields.sequence = 1
        #expect(x.contentHash == Self.e.contentHash)
    }

    /// Order is not content where the model is a set. Normalising sorts the times, overrides,
    /// rule parts and parameters; lists people read (categories, attendees, alarms, kept
    /// properties) keep the order a source wrote, as a contact's emails do, and hash alike.
    @Test func orderIsNotContent() {
        var x = Self.e
        x.master!.attendees[0].params.reverse()
        x.rdates.reverse()
        x.overrides.reverse()
        x.rule!.byDay.reverse()
        x.rule!.byMonthDay.reverse()
        #expect(x.normalized() == Self.e.normalized())
        x.master!.categories.reverse()
        x.master!.attendees.reverse()
        x.master!.alarms.reverse()
        x.master!.extra.reverse()
        #expect(x.contentHash == Self.e.contentHash)
        #expect(x.normalized() != Self.e.normalized())
    }

    static let changes: [EventMutation] = [
        EventMutation("start") { $0.master!.start = EventFixtures.at(2026, 3, 2, 10) },
        EventMutation("start zone") { $0.master!.start = EventFixtures.at(2026, 3, 2, 9, 0, .utc) },
        EventMutation("start all-day") { $0.master!.start = .date(CivilDate(2026, 3, 2)) },
        EventMutation("end") { $0.master!.end = nil },
        EventMutation("end as a longer duration") { $0.master!.end = .duration(EventDuration(minutes: 30)) },
        EventMutation("summary") { $0.master!.summary = "Other" },
        EventMutation("description") { $0.master!.description = nil },
        EventMutation("location") { $0.master!.location = "Room 2" },
        EventMutation("url") { $0.master!.url = "https://example.com/x" },
        EventMutation("status") { $0.master!.status = .cancelled },
        EventMutation("transparency") { $0.master!.transparency = .transparent },
        EventMutation("class") { $0.master!.classification = .private },
        EventMutation("category") { $0.master!.categories.append("Extra") },
        EventMutation("alarm") { $0.master!.alarms.removeLast() },
        EventMutation("alarm trigger") { $0.master!.alarms[0].trigger = .relative(EventDuration(minutes: 10), fromEnd: true) },
        EventMutation("organizer") { $0.master!.organizer = nil },
        EventMutation("attendee") { $0.master!.attendees.removeLast() },
        EventMutation("attendee status") { $0.master!.attendees[0].params[0].values = ["DECLINED"] },
        EventMutation("extra property") { $0.master!.extra[0].value = "5" },
        EventMutation("extra parameter") { $0.master!.extraParams["SUMMARY"] = nil },
        EventMutation("component") { $0.master!.components = [] },
        EventMutation("rule") { $0.rule!.interval = 3 },
        EventMutation("no rule") { $0.rule = nil },
        EventMutation("rdate") { $0.rdates.removeLast() },
        EventMutation("exdate") { $0.exdates.append(EventFixtures.at(2026, 4, 13)) },
        EventMutation("override removed") { $0.overrides.removeLast() },
        EventMutation("override summary") { $0.overrides[0].fields.summary = "Moved again" },
        EventMutation("override range") { $0.overrides[0].thisAndFuture = false },
        EventMutation("override extra") { $0.overrides[0].fields.extra = [] },
        EventMutation("orphaned") { $0.master = nil },
        // An exdate and an override's id name the same instance, but they are different content.
        EventMutation("exdate becomes override") { $0.exdates = [] },
    ]

    @Test(arguments: changes)
    func contentChangesTheHash(_ m: EventMutation) {
        var x = Self.e
        m.apply(&x)
        #expect(x.contentHash != Self.e.contentHash)
    }

    /// Two series written differently that say the same thing normalise to one series.
    @Test func equalSeriesWrittenDifferently() {
        var a = EventFields(start: Self.at9, summary: "Standup")
        a.status = .cancelled
        a.transparency = .transparent
        a.classification = .private
        a.categories = ["Work"]
        a.organizer = Participant(address: "mailto:boss@x.example")
        a.attendees = [Participant(address: "mailto:ann@x.example", params: [
            EventParameter(name: "CN", values: ["Ann"]), EventParameter(name: "PARTSTAT", values: ["ACCEPTED"]),
        ])]
        var b = a
        b.summary = "  Standup\n"
        b.description = " "
        b.status = .other("cancelled")
        b.transparency = .other(" Transparent")
        b.classification = .other("PRIVATE")
        b.categories = ["Work", " work ", ""]
        b.organizer = Participant(address: "MAILTO:boss@x.example ")
        b.attendees = [
            Participant(address: "MAILTO:ann@x.example", params: [
                EventParameter(name: "partstat", values: ["accepted"]), EventParameter(name: "CN", values: ["Ann"]),
            ]),
            Participant(address: "mailto:ANN@x.example"),
        ]
        var ra = EventRule(.weekly)
        ra.byDay = [EventRule.Day(.monday), EventRule.Day(.friday, -1)]
        ra.byMonth = [1, 2]
        var rb = ra
        rb.byDay = [EventRule.Day(.friday, -1), EventRule.Day(.monday), EventRule.Day(.monday)]
        rb.byMonth = [2, 1, 2]
        rb.interval = 0
        let ov = EventOverride(recurrenceID: EventFixtures.at(2026, 3, 9), fields: a)
        var ovb = ov
        ovb.fields = b
        let x = Event(uid: "u", master: a, rule: ra, exdates: [EventFixtures.at(2026, 3, 9), EventFixtures.at(2026, 3, 16)],
                      overrides: [ov])
        let y = Event(uid: " u ", master: b, rule: rb,
                      exdates: [EventFixtures.at(2026, 3, 16), EventFixtures.at(2026, 3, 9), EventFixtures.at(2026, 3, 16)],
                      overrides: [ovb, ovb])
        #expect(x.normalized() == y.normalized())
        #expect(x.contentHash == y.contentHash)
        #expect(EventCodec.encode(x.normalized()) == EventCodec.encode(y.normalized()))
        #expect(x.normalized().master == a)
    }

    /// Normalising twice changes nothing; a master normalises as an override's fields do; the hash
    /// is the same for any order of the sets.
    @Test func normalisationIsIdempotentAndOrderFree() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<300 {
            let e = RandomEvents.event(&rng)
            let n = e.normalized()
            #expect(n.normalized() == n)
            #expect(n.master == e.master?.normalized())
            var shuffled = e
            shuffled.rdates.shuffle(using: &rng)
            shuffled.exdates.shuffle(using: &rng)
            shuffled.overrides.shuffle(using: &rng)
            shuffled.master?.categories.shuffle(using: &rng)
            shuffled.master?.extra.shuffle(using: &rng)
            if shuffled.master?.attendees.count ?? 0 > 0 { shuffled.master!.attendees[0].params.shuffle(using: &rng) }
            // Duplicates keep the first seen, so shuffling them is a change; only duplicate-free sets shuffle freely.
            let free = Set(e.overrides.map { EventCanon.time($0.recurrenceID) }).count == e.overrides.count
                && Set((e.master?.categories ?? []).map { $0.lowercased() }).count == e.master?.categories.count ?? 0
                && Set((e.master?.attendees.first?.params ?? []).map(\.name)).count == e.master?.attendees.first?.params.count ?? 0
            if free { #expect(shuffled.contentHash == e.contentHash) }
        }
    }

    /// A normalised series stores and reads back as itself: what the store holds hashes as it did.
    @Test func storedSeriesKeepTheirHash() throws {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<200 {
            let n = RandomEvents.event(&rng).normalized()
            let back = try EventCodec.decode(EventCodec.encode(n))
            #expect(back.rawContentHash == n.contentHash)
        }
    }
}
