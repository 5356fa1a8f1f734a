import SyncModel
import TestSupport

/// Random series from a seed, in the shapes real calendars hold: every frequency, intervals,
/// COUNT and UNTIL, weekday sets, ordinals, negative month days, BYSETPOS, three DST zones plus
/// UTC, floating and all-day, early-morning times that fall in DST gaps and overlaps, and a few
/// EXDATEs and moved or cancelled instances. DTSTART is moved onto the rule's first instance,
/// since RFC 5545 and dateutil count a DTSTART outside the rule differently.
struct CorpusGenerator {
    var rng: SeededRandom
    let expander = RecurrenceExpander()

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    mutating func series(_ count: Int) -> [CorpusSeries] {
        var out: [CorpusSeries] = []
        var i = 0
        while out.count < count {
            i += 1
            if let e = one("r\(i)") { out.append(CorpusSeries(name: "r\(i)", event: e)) }
        }
        return out
    }

    private mutating func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &rng)] }
    private mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    private mutating func chance(_ p: Double) -> Bool { rng.chance(p) }

    private mutating func subset<T>(_ xs: [T], _ n: ClosedRange<Int>) -> [T] {
        var pool = xs, out: [T] = []
        for _ in 0..<int(n) where !pool.isEmpty { out.append(pool.remove(at: int(0...(pool.count - 1)))) }
        return out
    }

    mutating func one(_ uid: String) -> Event? {
        let zones: [EventZone?] = [Build.berlin, Build.newYork, Build.sydney, .utc, .floating, nil]
        let zone = pick(zones)
        let date = CivilDate(int(2023...2025), int(1...12), int(1...28))
        let hour = chance(0.25) ? pick([1, 2, 3]) : int(6...21)
        let start: EventTime = zone.map { .dateTime(CivilDateTime(date, hour, pick([0, 15, 30, 45])), $0) } ?? .date(date)
        let freq = pick([EventRule.Frequency.daily, .weekly, .weekly, .monthly, .monthly, .yearly])
        var r = EventRule(freq, interval: chance(0.7) ? 1 : int(2...4))
        let days = Weekday.allCases
        switch freq {
        case .daily:
            if chance(0.3) { r.byDay = subset(days, 1...5).map { EventRule.Day($0) } }
            if chance(0.2) { r.byMonth = subset(Array(1...12), 1...4) }
        case .weekly:
            if chance(0.7) { r.byDay = subset(days, 1...5).map { EventRule.Day($0) } }
            if chance(0.2) { r.weekStart = .sunday }
        case .monthly:
            switch int(0...3) {
            case 0: r.byMonthDay = subset([1, 2, 10, 15, 28, 29, 30, 31, -1, -2, -7], 1...2)
            case 1: r.byDay = [EventRule.Day(pick(days), pick([1, 2, 3, 4, -1, -2]))]
            case 2:
                r.byDay = chance(0.5) ? Build.weekdays : subset(days, 2...3).map { EventRule.Day($0) }
                r.bySetPos = subset([1, 2, 3, -1, -2], 1...2)
            default: break
            }
        default:
            switch int(0...3) {
            case 0: r.byMonth = subset(Array(1...12), 1...2); r.byDay = [EventRule.Day(pick(days), pick([1, 2, 4, -1]))]
            case 1: r.byMonth = subset(Array(1...12), 1...2); r.byMonthDay = [pick([1, 13, 29, 31, -1])]
            case 2: r.byYearDay = subset([1, 60, 100, 256, -1, -100], 1...2)
            default: break
            }
        }
        // Move DTSTART onto the rule's first instance (from a provisional start, that instance excluded).
        let probe = Event(uid: uid, master: EventFields(start: start), rule: r, exdates: [start])
        let clock = expander.resolver
        let from = clock.instant(start)
        guard let first = (try? expander.occurrences(of: probe, from: from, to: from + 6 * 366 * 86400))?.first else { return nil }
        let aligned = first.start
        switch int(0...9) {
        case 0...3: r.end = .count(int(1...40))
        case 4...6:
            let span = int(20...900)
            switch aligned {
            case .date(let d): r.end = .until(.date(d.adding(days: span)))
            case .dateTime(let w, .floating):
                r.end = .until(.dateTime(CivilDateTime(secondsSinceEpoch: w.secondsSinceEpoch + span * 86400), .floating))
            case .dateTime:
                r.end = .until(.dateTime(CivilDateTime(secondsSinceEpoch: clock.instant(aligned) + span * 86400 + int(-3...3) * 3600), .utc))
            }
        default: break
        }
        var e = Build.series(uid, aligned, hours: int(1...3), r, summary: "S \(uid)")
        let base = clock.instant(aligned)
        let instances = (try? expander.occurrences(of: e, from: base, to: base + 3 * 366 * 86400)) ?? []
        guard instances.count > 1 else { return e }
        for _ in 0..<int(0...2) { e.exdates.append(pick(instances).recurrenceID) }
        var taken = Set(e.exdates)
        for n in 0..<int(0...2) {
            let rid = pick(instances).recurrenceID
            guard taken.insert(rid).inserted else { continue }
            let to: EventTime
            switch rid {
            case .date(let d): to = .date(d.adding(days: int(-2...3)))
            case .dateTime(let w, let z):
                to = .dateTime(CivilDateTime(secondsSinceEpoch: w.secondsSinceEpoch + int(-6...30) * 3600), z)
            }
            e.overrides.append(Build.moved(rid, to: to, summary: "moved \(n)", cancelled: chance(0.2)))
        }
        return e
    }
}
