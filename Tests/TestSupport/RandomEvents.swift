import SyncModel

/// Random series for round trips and property tests: every part of the model, filled at random.
public enum RandomEvents {
    static let words = ["Standup", " Review ", "Ünï", "", "a,b;c\\d", "Line\nbreak"]
    static let zones: [EventZone] = [.floating, .utc, .named("Europe/Berlin"), .named("America/New_York")]

    public static func pick<T>(_ list: [T], _ rng: inout SeededRandom) -> T { list.randomElement(using: &rng)! }

    public static func time(_ rng: inout SeededRandom, allDay: Bool? = nil) -> EventTime {
        let d = CivilDate(Int.random(in: 2020...2030, using: &rng), Int.random(in: 1...12, using: &rng),
                          Int.random(in: 1...28, using: &rng))
        if allDay ?? rng.chance(0.3) { return .date(d) }
        return .dateTime(CivilDateTime(d, Int.random(in: 0...23, using: &rng), pick([0, 15, 30, 45], &rng)),
                         pick(zones, &rng))
    }

    public static func text(_ rng: inout SeededRandom) -> String? { rng.chance(0.3) ? nil : pick(words, &rng) }

    static func params(_ rng: inout SeededRandom) -> [EventParameter] {
        (0..<Int.random(in: 0...2, using: &rng)).map { _ in
            EventParameter(name: pick(["CN", "PARTSTAT", "X-P", "ROLE"], &rng),
                           values: (0..<Int.random(in: 0...2, using: &rng)).map { _ in pick(["a", "accepted", "B C"], &rng) })
        }
    }

    static func property(_ rng: inout SeededRandom) -> EventProperty {
        EventProperty(name: pick(["X-A", "X-B", "COMMENT"], &rng), params: params(&rng), value: pick(words, &rng))
    }

    public static func fields(_ rng: inout SeededRandom) -> EventFields {
        var f = EventFields(start: time(&rng), summary: text(&rng))
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: f.end = .time(time(&rng))
        case 1: f.end = .duration(EventDuration(negative: rng.chance(0.1), days: Int.random(in: 0...2, using: &rng),
                                                hours: Int.random(in: 0...3, using: &rng)))
        default: break
        }
        f.description = text(&rng)
        f.location = text(&rng)
        f.url = rng.chance(0.2) ? "https://x.example" : nil
        f.status = rng.chance(0.5) ? pick([.tentative, .confirmed, .cancelled, .other("X-S")], &rng) : nil
        f.transparency = rng.chance(0.5) ? pick([.opaque, .transparent, .other("x")], &rng) : nil
        f.classification = rng.chance(0.5) ? pick([.public, .private, .confidential, .other("X-C")], &rng) : nil
        f.categories = (0..<Int.random(in: 0...3, using: &rng)).map { _ in pick(["Work", "work", "Home", " "], &rng) }
        f.alarms = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
            EventAlarm(action: pick(["DISPLAY", "AUDIO"], &rng),
                       trigger: rng.chance(0.8) ? .relative(EventDuration(negative: true, minutes: pick([5, 10], &rng)), fromEnd: rng.chance(0.2))
                           : .absolute(time(&rng, allDay: false).wall),
                       description: text(&rng), extra: rng.chance(0.3) ? [property(&rng)] : [])
        }
        f.organizer = rng.chance(0.3) ? Participant(address: "mailto:boss@x.example", params: params(&rng)) : nil
        f.attendees = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            Participant(address: pick(["mailto:ann@x.example", "MAILTO:Ann@x.example", "mailto:bob@x.example"], &rng),
                        params: params(&rng))
        }
        f.sequence = rng.chance(0.5) ? Int.random(in: 0...5, using: &rng) : nil
        f.stamp = rng.chance(0.5) ? time(&rng, allDay: false).wall : nil
        f.created = rng.chance(0.2) ? time(&rng, allDay: false).wall : nil
        f.lastModified = rng.chance(0.2) ? time(&rng, allDay: false).wall : nil
        f.extra = (0..<Int.random(in: 0...2, using: &rng)).map { _ in property(&rng) }
        if rng.chance(0.3) { f.extraParams["SUMMARY"] = params(&rng) }
        if rng.chance(0.2) {
            f.components = [EventComponent(name: "X-C", properties: [property(&rng)],
                                           components: rng.chance(0.5) ? [EventComponent(name: "X-D")] : [])]
        }
        return f
    }

    public static func rule(_ rng: inout SeededRandom) -> EventRule {
        var r = EventRule(pick([.daily, .weekly, .monthly, .yearly], &rng), interval: Int.random(in: 1...3, using: &rng),
                          end: pick([nil, .count(Int.random(in: 1...20, using: &rng)), .until(time(&rng))], &rng))
        r.byDay = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
            EventRule.Day(pick(Weekday.allCases, &rng), rng.chance(0.3) ? pick([-1, 1, 2], &rng) : nil)
        }
        if rng.chance(0.3) { r.byMonthDay = [pick([-1, 1, 15, 29], &rng)] }
        if rng.chance(0.2) { r.bySetPos = [pick([-1, 1], &rng)] }
        if rng.chance(0.2) { r.weekStart = pick(Weekday.allCases, &rng) }
        return r
    }

    public static func event(_ rng: inout SeededRandom) -> Event {
        var e = Event(uid: pick(["u1", "u2@example.com", ""], &rng), master: rng.chance(0.9) ? fields(&rng) : nil)
        if rng.chance(0.5) { e.rule = rule(&rng) }
        e.rdates = (0..<Int.random(in: 0...2, using: &rng)).map { _ in time(&rng) }
        e.exdates = (0..<Int.random(in: 0...2, using: &rng)).map { _ in time(&rng) }
        e.overrides = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
            EventOverride(recurrenceID: time(&rng), thisAndFuture: rng.chance(0.1), fields: fields(&rng))
        }
        return e
    }
}
