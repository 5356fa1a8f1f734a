/// The canonical form of a series: what two equal events written differently normalise to.
/// Text is trimmed (empty is none); categories and attendees are sets (case-insensitive, by
/// address); enumerated values and parameter values that are keywords (PARTSTAT, ROLE, CUTYPE,
/// RSVP) are upper-cased, and a `mailto:` scheme lower-cased; parameters are in name order, and
/// RFC 6638's scheduling ones (SCHEDULE-AGENT, -STATUS, -FORCE-SEND) go, so a series read back
/// from a CalDAV server is the one written there;
/// extra and cancelled instances, overrides and the rule's BY lists are sorted and without
/// duplicates, since their order says nothing. Ends stay as written (DTEND or DURATION), and so
/// do kept extra properties: rewriting those would change what a source wrote.
extension Event {
    public func normalized() -> Event {
        var e = self
        EventSchema.schema.normalize(&e)
        e.uid = Normalize.trimmed(uid)
        return e
    }

    /// True when the series carries nothing a person would recognise.
    public var isBlank: Bool { EventSchema.schema.isBlank(normalized()) }
}

extension EventFields {
    /// This block's fields in canonical form: the master's as `Event.normalized()` leaves them.
    public func normalized() -> EventFields {
        var f = self
        f.summary = Normalize.text(summary)
        f.description = Normalize.text(description)
        f.location = Normalize.text(location)
        f.url = Normalize.text(url)
        f.status = status.map(EventNormal.status)
        f.transparency = transparency.map(EventNormal.transparency)
        f.classification = classification.map(EventNormal.classification)
        f.categories = EventNormal.categories(categories)
        f.alarms = EventNormal.alarms(alarms)
        f.organizer = organizer.map(EventNormal.participant)
        f.attendees = EventNormal.attendees(attendees)
        return f
    }
}

/// The rules, once: the schema's per-field normalisers and `EventFields.normalized()` use them.
enum EventNormal {
    static func keyword(_ s: String) -> String { Normalize.trimmed(s).uppercased() }

    static func status(_ s: EventStatus) -> EventStatus {
        guard case .other(let t) = s else { return s }
        return EventStatus.known.first { $0.keyword == keyword(t) } ?? s
    }

    static func transparency(_ s: Transparency) -> Transparency {
        guard case .other(let t) = s else { return s }
        return Transparency.known.first { $0.keyword == keyword(t) } ?? s
    }

    static func classification(_ s: EventClass) -> EventClass {
        guard case .other(let t) = s else { return s }
        return EventClass.known.first { $0.keyword == keyword(t) } ?? s
    }

    static func categories(_ c: [String]) -> [String] {
        Contact.dedupe(c.compactMap { Normalize.text($0) }, key: { $0.lowercased() })
    }

    static func alarms(_ a: [EventAlarm]) -> [EventAlarm] {
        Contact.dedupe(a, key: { EventCanon.alarm($0) })
    }

    /// Parameters whose values are keywords (RFC 5545 §3.2): their case says nothing.
    static let keywordParams: Set<String> = ["PARTSTAT", "ROLE", "CUTYPE", "RSVP"]

    /// RFC 6638's scheduling parameters: instructions to a server (HubSync's writers always say
    /// SCHEDULE-AGENT=CLIENT) and its delivery reports, not what the event says.
    static let schedulingParams: Set<String> = ["SCHEDULE-AGENT", "SCHEDULE-FORCE-SEND", "SCHEDULE-STATUS"]

    static func participant(_ p: Participant) -> Participant {
        var address = Normalize.trimmed(p.address)
        if address.lowercased().hasPrefix("mailto:") { address = "mailto:" + address.dropFirst(7) }
        let params = p.params.filter { !schedulingParams.contains($0.name) }.map { x in
            keywordParams.contains(x.name) ? EventParameter(name: x.name, values: x.values.map(keyword)) : x
        }
        return Participant(address: address, params: stableSorted(params, by: \.name))
    }

    static func attendees(_ a: [Participant]) -> [Participant] {
        Contact.dedupe(a.map(participant), key: { Normalize.email($0.address) })
    }

    /// Sorted by time, without duplicates.
    static func times(_ t: [EventTime]) -> [EventTime] {
        Contact.dedupe(t, key: EventCanon.time).sorted(by: EventCanon.before)
    }

    static func overrides(_ o: [EventOverride]) -> [EventOverride] {
        Contact.dedupe(o, key: { EventCanon.time($0.recurrenceID) })
            .map { var o = $0; o.fields = o.fields.normalized(); return o }
            .sorted { EventCanon.before($0.recurrenceID, $1.recurrenceID) }
    }

    static func rule(_ r: EventRule) -> EventRule {
        var r = r
        r.interval = max(1, r.interval)
        r.byDay = Contact.dedupe(r.byDay, key: EventCanon.day).sorted {
            ($0.ordinal ?? 0, $0.weekday.index) < ($1.ordinal ?? 0, $1.weekday.index)
        }
        for kp in [\EventRule.byMonthDay, \.byMonth, \.byYearDay, \.byWeekNo, \.byHour, \.byMinute, \.bySecond, \.bySetPos] {
            r[keyPath: kp] = Array(Set(r[keyPath: kp])).sorted()
        }
        return r
    }

    static func stableSorted<T>(_ list: [T], by key: (T) -> String) -> [T] {
        list.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }
}

extension EventStatus {
    var keyword: String {
        switch self {
        case .tentative: "TENTATIVE"
        case .confirmed: "CONFIRMED"
        case .cancelled: "CANCELLED"
        case .other(let s): s
        }
    }
}

extension Transparency {
    var keyword: String {
        switch self {
        case .opaque: "OPAQUE"
        case .transparent: "TRANSPARENT"
        case .other(let s): s
        }
    }
}

extension EventClass {
    var keyword: String {
        switch self {
        case .public: "PUBLIC"
        case .private: "PRIVATE"
        case .confidential: "CONFIDENTIAL"
        case .other(let s): s
        }
    }
}
