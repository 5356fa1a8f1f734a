import Foundation
import PIMFormats
import SyncModel

/// The demo's team calendar: the shapes real shared calendars hold, dated around the day the
/// demo runs so they fall in the default window. A weekly team meeting with one instance moved
/// and one cancelled, the company holidays (all-day, yearly), a review on the last workday of
/// each month (so it crosses the DST changes), and a private doctor's appointment.
enum DemoCalendar {
    static let zone = EventZone.named("Europe/Berlin")

    static func at(_ d: CivilDate, _ hour: Int, _ minute: Int = 0) -> EventTime { .dateTime(CivilDateTime(d, hour, minute), zone) }

    static func events(today: CivilDate) -> [Event] {
        // The Monday of this week, and of eight weeks before (the meeting's first).
        let monday = today.adding(days: -((today.weekday.index + 6) % 7))
        let first = monday.adding(days: -56)
        var meeting = EventFields(start: at(first, 10), end: .duration(EventDuration(minutes: 45)), summary: "Team meeting")
        meeting.location = "Room Elbe"
        meeting.description = "Weekly round: what shipped, what is blocked, who needs help."
        meeting.categories = ["Team"]
        meeting.organizer = Participant(address: "mailto:ann.berger@example.com", params: [EventParameter(name: "CN", values: ["Ann Berger"])])
        meeting.attendees = ["bob.chen@example.com", "carla.diaz@example.com"].map {
            Participant(address: "mailto:\($0)", params: [EventParameter(name: "PARTSTAT", values: ["ACCEPTED"])])
        }
        var moved = meeting
        moved.start = at(monday.adding(days: 15), 14)
        moved.description = "Moved to Tuesday afternoon: Monday is the release."
        let weekly = Event(
            uid: "demo-team-meeting@hubsync.example", master: meeting, rule: EventRule(.weekly),
            exdates: [at(monday.adding(days: 21), 10)],
            overrides: [EventOverride(recurrenceID: at(monday.adding(days: 14), 10), fields: moved)])

        let holidays = [("New Year's Day", 1, 1), ("Labour Day", 5, 1), ("Christmas Day", 12, 25), ("Boxing Day", 12, 26)]
            .map { name, month, day in
                var f = EventFields(start: .date(CivilDate(today.year - 1, month, day)),
                                    end: .time(.date(CivilDate(today.year - 1, month, day).adding(days: 1))), summary: name)
                f.categories = ["Holiday"]
                f.transparency = .transparent
                let uid = "demo-holiday-\(name.lowercased().filter(\.isLetter))@hubsync.example"
                return Event(uid: uid, master: f, rule: EventRule(.yearly))
            }

        // Last workday of the month, 16:00 Berlin time: RRULE with BYSETPOS=-1 over Mon-Fri.
        var review = EventFields(start: at(lastWorkday(of: today, monthsBack: 5), 16),
                                 end: .duration(EventDuration(hours: 1)), summary: "Monthly review")
        review.categories = ["Team"]
        var rule = EventRule(.monthly)
        rule.byDay = [Weekday.monday, .tuesday, .wednesday, .thursday, .friday].map { EventRule.Day($0) }
        rule.bySetPos = [-1]
        let monthly = Event(uid: "demo-monthly-review@hubsync.example", master: review, rule: rule)

        var doctor = EventFields(start: at(today.adding(days: 3), 8, 30), end: .duration(EventDuration(minutes: 40)),
                                 summary: "Dr. Keller")
        doctor.classification = .private
        doctor.location = "Praxis Dr. Keller, Lindenstraße 4"
        doctor.description = "Bring the referral letter."
        let appointment = Event(uid: "demo-doctor@hubsync.example", master: doctor)

        return [weekly] + holidays + [monthly, appointment]
    }

    /// The last Monday-to-Friday day of the month `monthsBack` months before `d`'s.
    static func lastWorkday(of d: CivilDate, monthsBack: Int) -> CivilDate {
        let months = d.year * 12 + (d.month - 1) - monthsBack
        let (y, m) = (months / 12, months % 12 + 1)
        var day = CivilDate(y, m, CivilDate.daysIn(y, m))
        while day.weekday == .saturday || day.weekday == .sunday { day = day.adding(days: -1) }
        return day
    }

    /// Writes each series as one `.ics` file named after its UID (as the .ics folder spoke names
    /// what it creates). Returns how many were written.
    @discardableResult
    static func seed(_ directory: URL, today: CivilDate) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let list = events(today: today)
        for e in list {
            let name = ICalNames.baseName(uid: e.uid) + ".ics"
            try Data(ICalWriter.resource(e, stampIfMissing: CivilDateTime(today)).utf8)
                .write(to: directory.appendingPathComponent(name), options: .atomic)
        }
        return list.count
    }
}
