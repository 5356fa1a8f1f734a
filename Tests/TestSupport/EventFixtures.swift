import SyncModel

/// Series that touch every field of the event model: the fixtures of the codec's round trips,
/// the pinned bytes and hashes, and the merge's property tests.
public enum EventFixtures {
    public static let berlin = EventZone.named("Europe/Berlin")

    public static func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 9, _ min: Int = 0,
                          _ zone: EventZone = berlin) -> EventTime {
        .dateTime(CivilDateTime(CivilDate(y, m, d), h, min), zone)
    }

    /// Every field, parameter, kept property and component, on the master and on an override.
    public static let everything: Event = {
        var m = EventFields(start: at(2026, 3, 2), end: .time(at(2026, 3, 2, 9, 15)), summary: "Standup ünï 🧮")
        m.description = "Line 1\nLine 2"
        m.location = "Room 1; Floor 2"
        m.url = "https://example.com/standup"
        m.status = .confirmed
        m.transparency = .opaque
        m.classification = .other("X-TEAM")
        m.categories = ["Work", "Daily"]
        m.alarms = [
            EventAlarm(action: "DISPLAY", trigger: .relative(EventDuration(negative: true, minutes: 10), fromEnd: false),
                       description: "Soon", extra: [EventProperty(name: "X-WR-ALARMUID", value: "a1")]),
            EventAlarm(action: "AUDIO", trigger: .absolute(CivilDateTime(CivilDate(2026, 3, 2), 7, 30))),
        ]
        m.organizer = Participant(address: "mailto:boss@example.com", params: [EventParameter(name: "CN", values: ["The Boss"])])
        m.attendees = [
            Participant(address: "mailto:ann@example.com", params: [
                EventParameter(name: "PARTSTAT", values: ["ACCEPTED"]), EventParameter(name: "X-NUM", values: ["1", "2"]),
            ]),
            Participant(address: "mailto:bob@example.com"),
        ]
        m.sequence = 3
        m.stamp = CivilDateTime(CivilDate(2026, 2, 1), 12)
        m.created = CivilDateTime(CivilDate(2026, 1, 1), 8, 5, 9)
        m.lastModified = CivilDateTime(CivilDate(2026, 2, 1), 12, 0, 1)
        m.extra = [EventProperty(name: "X-MOZ-GENERATION", value: "4"),
                   EventProperty(name: "X-APPLE-TRAVEL", params: [EventParameter(name: "VALUE", values: ["DURATION"])], value: "PT5M")]
        m.extraParams = ["SUMMARY": [EventParameter(name: "LANGUAGE", values: ["de"])],
                         "LOCATION": [EventParameter(name: "ALTREP", values: ["http://x.example/r1"])]]
        m.components = [EventComponent(name: "X-THING", properties: [EventProperty(name: "X-A", value: "b")],
                                       components: [EventComponent(name: "X-INNER")])]
        var rule = EventRule(.monthly, interval: 2, end: .until(at(2027, 1, 1, 0, 0, .utc)))
        rule.byDay = [EventRule.Day(.monday, -1), EventRule.Day(.friday)]
        rule.byMonthDay = [-1, 15]
        rule.byMonth = [1, 3]
        rule.byYearDay = [100]
        rule.byWeekNo = [-2]
        rule.byHour = [9]
        rule.byMinute = [0, 30]
        rule.bySecond = [0]
        rule.bySetPos = [-1]
        rule.weekStart = .sunday
        rule.extra = [EventRule.Part("X-NAME", "v")]
        var moved = EventFields(start: at(2026, 5, 4, 10), end: .duration(EventDuration(weeks: 0, days: 0, hours: 1)),
                                summary: "Moved")
        moved.status = .other("X-ODD")
        moved.extra = [EventProperty(name: "X-OVERRIDE", value: "yes")]
        return Event(uid: "standup@example.com", master: m, rule: rule,
                     rdates: [at(2026, 3, 7), .date(CivilDate(2026, 3, 8)), at(2026, 3, 9, 9, 0, .floating)],
                     exdates: [at(2026, 4, 6)],
                     overrides: [EventOverride(recurrenceID: at(2026, 5, 4), thisAndFuture: true, fields: moved),
                                 EventOverride(recurrenceID: at(2026, 6, 1), fields: EventFields(start: at(2026, 6, 1)))])
    }()

    /// Overrides without their series, as Google's ICS feeds have them.
    public static let orphan = Event(uid: "orphan@example.com", master: nil,
                                     overrides: [EventOverride(recurrenceID: .date(CivilDate(2026, 7, 1)),
                                                               fields: EventFields(start: .date(CivilDate(2026, 7, 2))))])
}
