/// A calendar item in the hub: one whole series under one UID (PROTOCOLS.md §3.1). The master
/// carries the rule; each changed instance is an override keyed by its RECURRENCE-ID, with its
/// own fields. A one-off event is a series with no rule and no overrides.
public struct Event: Hashable, Sendable, Codable {
    public var uid: String
    /// Nil when a source holds overrides without their series (Google ICS feeds): kept as orphans.
    public var master: EventFields?
    public var rule: EventRule?
    /// Extra instances (RDATE), by start.
    public var rdates: [EventTime]
    /// Cancelled instances (EXDATE), by their original start.
    public var exdates: [EventTime]
    public var overrides: [EventOverride]

    public init(uid: String, master: EventFields?, rule: EventRule? = nil, rdates: [EventTime] = [],
                exdates: [EventTime] = [], overrides: [EventOverride] = []) {
        (self.uid, self.master, self.rule, self.rdates, self.exdates, self.overrides) =
            (uid, master, rule, rdates, exdates, overrides)
    }

    public var isRecurring: Bool { rule != nil || !rdates.isEmpty }
}

/// One instance changed on its own (moved, retitled, cancelled with STATUS:CANCELLED).
public struct EventOverride: Hashable, Sendable, Codable {
    /// The instance's original start, in the master's zone.
    public var recurrenceID: EventTime
    /// RANGE=THISANDFUTURE: kept as data; the expander applies it to this instance only.
    public var thisAndFuture: Bool
    public var fields: EventFields

    public init(recurrenceID: EventTime, thisAndFuture: Bool = false, fields: EventFields) {
        (self.recurrenceID, self.thisAndFuture, self.fields) = (recurrenceID, thisAndFuture, fields)
    }
}

/// DTEND, or a DURATION as written.
public enum EventEnd: Hashable, Sendable, Codable {
    case time(EventTime)
    case duration(EventDuration)
}

/// What a master and each override say about themselves.
public struct EventFields: Hashable, Sendable, Codable {
    public var start: EventTime
    public var end: EventEnd?
    public var summary: String?
    public var description: String?
    public var location: String?
    public var url: String?
    public var status: EventStatus?
    public var transparency: Transparency?
    public var classification: EventClass?
    public var categories: [String] = []
    public var alarms: [EventAlarm] = []
    public var organizer: Participant?
    public var attendees: [Participant] = []
    public var sequence: Int?
    /// DTSTAMP, CREATED, LAST-MODIFIED (UTC): bookkeeping, not content.
    public var stamp: CivilDateTime?
    public var created: CivilDateTime?
    public var lastModified: CivilDateTime?
    /// Properties the model does not map (X-, unknown, vendor), in the order written.
    public var extra: [EventProperty] = []
    /// Parameters on mapped properties the model does not type (`SUMMARY;LANGUAGE=de`), by property name.
    public var extraParams: [String: [EventParameter]] = [:]
    /// Sub-components other than VALARM, kept whole.
    public var components: [EventComponent] = []

    public init(start: EventTime, end: EventEnd? = nil, summary: String? = nil) {
        (self.start, self.end, self.summary) = (start, end, summary)
    }

    public var isAllDay: Bool { start.isDate }
}

public enum EventStatus: Hashable, Sendable, Codable {
    case tentative, confirmed, cancelled
    case other(String)
}

/// TRANSP: whether the event blocks time (free/busy).
public enum Transparency: Hashable, Sendable, Codable {
    case opaque, transparent
    case other(String)
}

/// CLASS.
public enum EventClass: Hashable, Sendable, Codable {
    case `public`, `private`, confidential
    case other(String)
}

/// ORGANIZER or ATTENDEE, kept as data: HubSync never schedules (PROTOCOLS.md §3.5).
public struct Participant: Hashable, Sendable, Codable {
    /// The cal-address as written (`mailto:ann@example.com`).
    public var address: String
    /// Every parameter (CN, ROLE, PARTSTAT, RSVP, X-…), in the order written.
    public var params: [EventParameter]

    public init(address: String, params: [EventParameter] = []) {
        (self.address, self.params) = (address, params)
    }

    public func param(_ name: String) -> String? {
        params.first { $0.name == name.uppercased() }?.values.first
    }

    public var commonName: String? { param("CN") }
    /// PARTSTAT, upper-cased (`ACCEPTED`, `NEEDS-ACTION`, …).
    public var participation: String? { param("PARTSTAT")?.uppercased() }
    public var role: String? { param("ROLE")?.uppercased() }
}

public struct EventAlarm: Hashable, Sendable, Codable {
    public enum Trigger: Hashable, Sendable, Codable {
        /// Before (negative) or after the start, or the end with `fromEnd`.
        case relative(EventDuration, fromEnd: Bool)
        case absolute(CivilDateTime)
    }

    /// ACTION, upper-cased (DISPLAY, AUDIO, EMAIL, …).
    public var action: String
    public var trigger: Trigger
    public var description: String?
    /// Everything else in the VALARM (SUMMARY, ATTENDEE, REPEAT, X-WR-ALARMUID, …), as written.
    public var extra: [EventProperty]

    public init(action: String, trigger: Trigger, description: String? = nil, extra: [EventProperty] = []) {
        (self.action, self.trigger, self.description, self.extra) = (action, trigger, description, extra)
    }
}

/// A parameter as written; the name upper-cased.
public struct EventParameter: Hashable, Sendable, Codable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name.uppercased()
        self.values = values
    }
}

/// A property the model keeps without reading it: the name upper-cased, the value still escaped.
public struct EventProperty: Hashable, Sendable, Codable {
    public var name: String
    public var params: [EventParameter]
    public var value: String

    public init(name: String, params: [EventParameter] = [], value: String) {
        (self.name, self.params, self.value) = (name, params, value)
    }
}

/// A component kept whole (an X- component inside a VEVENT; a VTODO beside the events).
public struct EventComponent: Hashable, Sendable, Codable {
    public var name: String
    public var properties: [EventProperty]
    public var components: [EventComponent]

    public init(name: String, properties: [EventProperty] = [], components: [EventComponent] = []) {
        (self.name, self.properties, self.components) = (name, properties, components)
    }
}
