import Foundation
import Testing
import TestSupport
@testable import SyncModel

@Suite struct EventCodecTests {
    static let samples: [(String, Event)] = [
        ("everything", EventFixtures.everything),
        ("empty", Event.empty),
        ("orphan", EventFixtures.orphan),
        ("all-day", Event(uid: "d", master: EventFields(start: .date(CivilDate(2024, 2, 29)),
                                                       end: .time(.date(CivilDate(2024, 3, 1)))))),
        ("odd numbers", Event(uid: "n", master: EventFields(
            start: .dateTime(CivilDateTime(CivilDate(-1, 0, 99), -5, 61, 60), .utc),
            end: .duration(EventDuration(weeks: Int.max, seconds: Int.min))),
            rule: EventRule(.secondly, interval: -3, end: .count(Int.max)))),
        ("empty strings", Event(uid: "e", master: EventFields(start: .date(CivilDate(2026, 1, 1)), summary: ""))),
    ]

    @Test(arguments: samples.indices)
    func roundTrip(_ i: Int) throws {
        let e = Self.samples[i].1
        let bytes = EventCodec.encode(e)
        #expect(try EventCodec.decode(bytes) == e, "\(Self.samples[i].0)")
        #expect(try EventCodec.decode(Data(bytes)) == e)
        #expect(try EventCodec.decode(([0xAA] + bytes).dropFirst()) == e)
    }

    /// Random series with every part filled at random, a few hundred of them.
    @Test func randomRoundTrips() throws {
        var rng = SeededRandom(seed: 16)
        for _ in 0..<300 {
            let e = RandomEvents.event(&rng)
            #expect(try EventCodec.decode(EventCodec.encode(e)) == e)
        }
    }

    /// Pinned: stored bytes must read back in every later release.
    @Test func encodingIsStable() {
        #expect(EventCodec.encode(.empty) == [1])
        #expect(EventCodec.encode(Event(uid: "u", master: nil)) == [1, 1, 1, 0x75])
        // A master block: length 6, start (tag 1) as a date 2026-03-02 (zigzag 4052 = 0xD4 0x1F, then 3 and 2 zigzagged).
        #expect(EventCodec.encode(Event(uid: "", master: EventFields(start: .date(CivilDate(2026, 3, 2)))))
            == [1, 2, 6, 1, 0, 0xD4, 0x1F, 6, 4])
        let timed = EventFields(start: .dateTime(CivilDateTime(CivilDate(2026, 3, 2), 9), .named("X")), summary: "A")
        #expect(EventCodec.encode(Event(uid: "", master: timed, rule: EventRule(.weekly), exdates: [.date(CivilDate(1970, 1, 1))]))
            == [1, 2, 14, 1, 3, 1, 0x58, 0xD4, 0x1F, 6, 4, 18, 0, 0, 4, 1, 0x41,
                3, 4, 1, 4, 2, 2, 5, 0, 0xE4, 0x1E, 2, 2])
        // The whole fixture, by digest: any change to a tag or a part's layout shows here.
        #expect(ContentHash(hashing: EventCodec.encode(EventFixtures.everything)).description == "fd9ae7fe8579c1b3")
    }

    /// Sizes against JSON, printed for the record (no timing here: tests do not measure speed).
    @Test func smallerThanJSON() throws {
        var rng = SeededRandom(seed: 3)
        let events = (0..<1000).map { _ in RandomEvents.event(&rng).normalized() }
        let codec = events.reduce(0) { $0 + EventCodec.encode($1).count }
        let json = try events.reduce(0) { $0 + (try JSONEncoder().encode($1)).count }
        let fixture = EventCodec.encode(EventFixtures.everything).count
        print("event codec: 1,000 random series \(codec) bytes, JSON \(json) bytes; the full fixture \(fixture) bytes")
        #expect(codec * 3 < json)
    }

    /// Equal series encode equally: extra parameters go by property name, not by dictionary order.
    @Test func equalSeriesEncodeEqually() {
        var a = EventFixtures.everything, b = a
        a.master!.extraParams = ["A": [], "B": [], "C": [EventParameter(name: "X", values: [])]]
        b.master!.extraParams = ["C": [EventParameter(name: "X", values: [])], "B": [], "A": []]
        #expect(EventCodec.encode(a) == EventCodec.encode(b))
    }

    static let garbage: [(String, [UInt8])] = [
        ("nothing", []),
        ("version 0", [0]),
        ("version 2", [2, 1, 1, 0x75]),
        ("tag 0", [1, 0]),
        ("tag 7", [1, 7, 0]),
        ("truncated uid", [1, 1, 5, 0x75]),
        ("block longer than the bytes", [1, 2, 40, 1, 0]),
        ("fields without a start", [1, 2, 2, 4, 0]),
        ("two starts", [1, 2, 7, 1, 0, 0, 0, 0, 1, 0]),
        ("bad time kind", [1, 4, 9, 0, 0, 0]),
        ("unknown field tag", [1, 2, 6, 1, 0, 0xA4, 0x1F, 6, 4, 99]),
        ("bad status index", [1, 2, 6, 1, 0, 0, 0, 0, 8, 7]),
        ("rule without frequency", [1, 3, 2, 2, 2]),
        ("bad frequency", [1, 3, 2, 1, 9]),
        ("huge count", [1, 2, 10, 1, 0, 0, 0, 0, 13, 1, 0x61, 0xFF, 0x7F]),
        ("bad override flag", [1, 6, 6, 0, 0, 0, 0, 2, 1]),
        ("alarm without trigger", [1, 2, 10, 1, 0, 0, 0, 0, 12, 3, 1, 1, 0x41]),
        ("bad varint", [1, 1] + [UInt8](repeating: 0xFF, count: 11)),
    ]

    @Test(arguments: garbage.indices)
    func rejectsGarbage(_ i: Int) {
        #expect(throws: EventCodec.DecodingError.self, "\(Self.garbage[i].0)") {
            try EventCodec.decode(Self.garbage[i].1)
        }
    }

    /// Damaged blobs (bytes flipped, cut short, spliced) end in an error or in some series, never
    /// in a trap or a huge allocation; whatever decodes also hashes and encodes again.
    @Test func damagedBlobsNeverTrap() {
        var rng = SeededRandom(seed: 99)
        let good = EventCodec.encode(EventFixtures.everything)
        var decoded = 0
        for _ in 0..<5000 {
            var b = good
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                for _ in 0..<Int.random(in: 1...4, using: &rng) { b[Int.random(in: 1..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            case 1: b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
            default:
                let i = Int.random(in: 1..<b.count, using: &rng)
                b.insert(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], at: i)
            }
            if let e = try? EventCodec.decode(b) {
                decoded += 1
                _ = e.contentHash
                _ = EventCodec.encode(e)
            }
        }
        print("event codec: \(decoded) of 5,000 damaged blobs still decoded")
        #expect(decoded < 5000)
    }

    /// Components nested deeper than the bound are refused, not followed.
    @Test func nestingIsBounded() throws {
        var c = EventComponent(name: "X")
        for _ in 0..<(EventCodec.maxDepth - 1) { c = EventComponent(name: "X", components: [c]) }
        var e = Event(uid: "", master: EventFields(start: .date(CivilDate(2026, 1, 1))))
        e.master!.components = [c]
        #expect(try EventCodec.decode(EventCodec.encode(e)) == e)
        e.master!.components = [EventComponent(name: "X", components: [c])]
        #expect(throws: EventCodec.DecodingError.self) { try EventCodec.decode(EventCodec.encode(e)) }
    }
}
