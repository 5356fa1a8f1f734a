import SyncModel

/// One iCalendar object (RFC 5545): its events grouped into series, and what HubSync keeps
/// without reading (calendar properties, VTIMEZONEs of zones no table names, VTODO and the like).
public struct ICalendar: Hashable, Sendable {
    /// VERSION, PRODID, METHOD, CALSCALE, X-WR-CALNAME…, as written.
    public var properties: [EventProperty]
    public var events: [Event]
    /// VTIMEZONE blocks whose TZID names no known zone (Outlook's custom zones): written back as read.
    public var timeZones: [EventComponent]
    /// Components other than VEVENT and VTIMEZONE.
    public var others: [EventComponent]
    /// What was skipped while reading (an event without DTSTART, a bad date), one entry each.
    public var problems: [ICalError]

    public init(properties: [EventProperty] = [], events: [Event] = [], timeZones: [EventComponent] = [],
                others: [EventComponent] = [], problems: [ICalError] = []) {
        (self.properties, self.events, self.timeZones, self.others, self.problems) =
            (properties, events, timeZones, others, problems)
    }
}

public struct ICalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// 1-based physical line of the input, when known.
    public var line: Int?

    public init(_ message: String, line: Int? = nil) {
        (self.message, self.line) = (message, line)
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// Bounds on what one input may cost (hostile or broken files): checked before the work is done.
public struct ICalLimits: Hashable, Sendable {
    public var maxBytes = 32 << 20
    /// One unfolded line (an inline ATTACH is the big one).
    public var maxLineBytes = 4 << 20
    /// Nesting of BEGIN blocks (VCALENDAR > VEVENT > VALARM is 3).
    public var maxDepth = 8
    public var maxComponents = 100_000
    public var maxPropertiesPerComponent = 10_000
    /// Overrides of one series (PROTOCOLS §6: runaway exceptions).
    public var maxOverrides = 5_000

    public init() {}
    public static let `default` = ICalLimits()
}
