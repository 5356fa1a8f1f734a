import SyncModel

/// What a hub series becomes in one calendar spoke under its options.
public enum CalendarVerdict: Hashable, Sendable {
    /// Inside the window and admitted: written as the hub holds it (with the spoke's category).
    case copy(Event)
    /// Inside the window, private, and the spoke takes private events as busy time: this copy,
    /// without details, is what is written. It never flows back as the series' content.
    case transformed(Event)
    /// No instance in the window. Not written; and a copy a source holds is never deleted for
    /// this: leaving the window is not a delete.
    case outOfWindow
    /// Inside the window but not for this spoke.
    case filtered(CalendarFilterReason)
}

public enum CalendarFilterReason: String, Hashable, Sendable {
    case privateEvent, category, notBusy
}

extension CalendarOptions {
    /// The verdict for `event` at `now` (seconds since 1970). The window comes first: an event
    /// outside it is out of the window whatever the filters say, so it is never removed.
    public func verdict(for event: Event, now: Int, upcoming: Upcoming = Upcoming()) -> CalendarVerdict {
        let (from, to) = window(now: now)
        guard upcoming.touches(event, from: from, to: to) else { return .outOfWindow }
        let blocks = event.master.map { [$0] } ?? event.overrides.map(\.fields)
        if !categories.isEmpty {
            let want = Set(categories.map { $0.lowercased() })
            guard blocks.contains(where: { $0.categories.contains { want.contains($0.lowercased()) } }) else {
                return .filtered(.category)
            }
        }
        if busyOnly, !blocks.contains(where: { $0.transparency != .transparent }) { return .filtered(.notBusy) }
        let seriesPrivate = !blocks.isEmpty && blocks.allSatisfy(Self.isPrivate)
        if seriesPrivate && privateEvents == .skip { return .filtered(.privateEvent) }
        var out = event
        // A private instance of a public series is never copied whole where private events are
        // not: it goes as busy time (skipping one instance would take writing a cancellation).
        let hide = privateEvents != .copy
        var changed = false
        if hide, let m = out.master, seriesPrivate || Self.isPrivate(m) {
            out.master = Self.busy(m)
            changed = true
        }
        for i in out.overrides.indices where hide && (seriesPrivate || Self.isPrivate(out.overrides[i].fields)) {
            out.overrides[i].fields = Self.busy(out.overrides[i].fields)
            changed = true
        }
        if let tag = Normalize.text(categorizeAs) {
            if out.master != nil { Self.tag(&out.master!, tag) }
            for i in out.overrides.indices where !out.overrides[i].fields.categories.isEmpty || out.master == nil {
                Self.tag(&out.overrides[i].fields, tag)
            }
        }
        return changed ? .transformed(out) : .copy(out)
    }

    static func isPrivate(_ f: EventFields) -> Bool {
        f.classification == .private || f.classification == .confidential
    }

    static func tag(_ f: inout EventFields, _ tag: String) {
        if !f.categories.contains(where: { $0.lowercased() == tag.lowercased() }) { f.categories.append(tag) }
    }

    /// Busy time only: when, how long, how often, whether it blocks time; no text, people,
    /// alarms, links or kept properties (an X-ALT-DESC or ALTREP would carry the details).
    static func busy(_ f: EventFields) -> EventFields {
        var b = EventFields(start: f.start, end: f.end, summary: "Busy")
        b.status = f.status
        b.transparency = f.transparency
        b.classification = f.classification
        b.sequence = f.sequence
        return b
    }
}
