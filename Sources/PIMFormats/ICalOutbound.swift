import SyncModel

/// What HubSync writes where a server or a person could act on it: never an invitation or a
/// cancellation (PROTOCOLS.md §3.5). No METHOD (RFC 4791 §4.1 forbids it in a calendar
/// resource, and an imported .ics with METHOD:REQUEST is a meeting request), and every
/// ORGANIZER and ATTENDEE with SCHEDULE-AGENT=CLIENT, so an RFC 6638 server (Nextcloud/Sabre,
/// Fastmail, SOGo, iCloud) schedules nothing on PUT; Sabre honours only CLIENT, not NONE.
public enum ICalOutbound {
    /// Scheduling parameters a writer replaces: SCHEDULE-FORCE-SEND would make a server send.
    static let schedulingParams: Set<String> = ["SCHEDULE-AGENT", "SCHEDULE-FORCE-SEND", "SCHEDULE-STATUS"]

    /// The series with every organizer and attendee (master and overrides) marked for no
    /// server scheduling; nothing else changes.
    public static func quiet(_ e: Event) -> Event {
        var e = e
        if let m = e.master { e.master = quiet(m) }
        for i in e.overrides.indices { e.overrides[i].fields = quiet(e.overrides[i].fields) }
        return e
    }

    static func quiet(_ f: EventFields) -> EventFields {
        var f = f
        f.organizer = f.organizer.map(quiet)
        f.attendees = f.attendees.map(quiet)
        return f
    }

    static func quiet(_ p: Participant) -> Participant {
        var params = p.params.filter { !schedulingParams.contains($0.name) }
        params.append(EventParameter(name: "SCHEDULE-AGENT", values: ["CLIENT"]))
        return Participant(address: p.address, params: params)
    }

    /// A calendar as it may be written out: without METHOD, every series quieted; the rest
    /// (X-WR-CALNAME, kept time zones and components) as read.
    public static func prepare(_ cal: ICalendar) -> ICalendar {
        var cal = cal
        cal.properties.removeAll { $0.name == "METHOD" }
        cal.events = cal.events.map(quiet)
        return cal
    }
}

extension ICalWriter {
    /// One series as a CalDAV resource (or one file of an `.ics` folder): no METHOD, nobody
    /// scheduled by the server.
    public static func resource(_ event: Event, stampIfMissing: CivilDateTime? = nil) -> String {
        write(ICalOutbound.prepare(ICalendar(events: [event])), stampIfMissing: stampIfMissing)
    }

    /// A whole calendar as one `.ics` (export): one VCALENDAR, every series, the VTIMEZONEs they
    /// use, the calendar's own properties (a name) but no METHOD, nobody scheduled on import.
    public static func export(_ events: [Event], properties: [EventProperty] = [],
                              stampIfMissing: CivilDateTime? = nil) -> String {
        write(ICalOutbound.prepare(ICalendar(properties: properties, events: events)), stampIfMissing: stampIfMissing)
    }
}
