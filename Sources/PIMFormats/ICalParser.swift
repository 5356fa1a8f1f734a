import Foundation
import SyncModel

/// Reads iCalendar text (RFC 5545) tolerantly: folded lines, escaping, VALUE=DATE, TZIDs of every
/// flavour (IANA, Windows, Mozilla-prefixed, custom VTIMEZONE), and VEVENTs of one UID gathered
/// into one series wherever they stand in the file. A bad event is skipped and reported, never the file.
public enum ICalParser {
    public static func parse(_ text: String, limits: ICalLimits = .default) throws(ICalError) -> ICalendar {
        try parse(bytes: Array(text.utf8), limits: limits)
    }

    public static func parse(data: Data, limits: ICalLimits = .default) throws(ICalError) -> ICalendar {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]), let s = String(data: data, encoding: .utf16) {
            return try parse(s, limits: limits)
        }
        return try parse(bytes: Array(data), limits: limits)
    }

    static func parse(bytes: [UInt8], limits: ICalLimits) throws(ICalError) -> ICalendar {
        let (roots, treeProblems) = try ICalTree.parse(bytes, limits: limits)
        var cal = ICalendar(problems: treeProblems)
        // A bare VEVENT (no VCALENDAR around it) is read as if wrapped.
        let calendars = roots.filter { $0.name == "VCALENDAR" }
        let loose = roots.filter { $0.name != "VCALENDAR" }
        guard !calendars.isEmpty || !loose.isEmpty else { throw ICalError("no VCALENDAR found") }
        var nodes: [ICalNode] = loose
        for c in calendars {
            cal.properties += c.lines.map(\.property)
            nodes += c.children
        }

        var zones: [String: EventZone] = [:]
        for tz in nodes where tz.name == "VTIMEZONE" {
            if let id = tz.lines.first(where: { $0.name == "TZID" })?.value.trimmingWhitespace() {
                let location = tz.lines.first { $0.name == "X-LIC-LOCATION" }?.value.trimmingWhitespace()
                zones[id] = ICalZones.resolve(id, location: location)
            }
        }
        let reader = ICalEventReader { id in
            zones[id.trimmingWhitespace()] ?? ICalZones.resolve(id)
        }

        var order: [String] = [], series: [String: [ICalEventPart]] = [:]
        for node in nodes {
            switch node.name {
            case "VTIMEZONE":
                let id = node.lines.first { $0.name == "TZID" }?.value.trimmingWhitespace() ?? ""
                if case .named(id)? = zones[id] { cal.timeZones.append(node.kept) }  // nobody knows it: keep it
            case "VEVENT":
                do throws(ICalError) {
                    let part = try reader.read(node)
                    guard let uid = part.uid, !uid.isEmpty else { throw ICalError("VEVENT without UID", line: node.line) }
                    if series[uid] == nil { order.append(uid) }
                    series[uid, default: []].append(part)
                } catch {
                    cal.problems.append(error)
                }
            default:
                cal.others.append(node.kept)
            }
        }
        for uid in order {
            do throws(ICalError) { cal.events.append(try assemble(uid, series[uid] ?? [], limits: limits)) } catch { cal.problems.append(error) }
        }
        return cal
    }

    /// The master (no RECURRENCE-ID) and its overrides, each RECURRENCE-ID in the master's zone
    /// (PROTOCOLS §3.2: clients show an instance twice otherwise).
    static func assemble(_ uid: String, _ parts: [ICalEventPart], limits: ICalLimits) throws(ICalError) -> Event {
        var event = Event(uid: uid, master: nil)
        var overrides: [ICalEventPart] = []
        for p in parts {
            if p.recurrenceID == nil, event.master == nil {
                event.master = p.fields
                (event.rule, event.rdates, event.exdates) = (p.rule, p.rdates, p.exdates)
            } else if p.recurrenceID != nil {
                overrides.append(p)
            }
            // A second master of one UID is a broken file; the first wins.
        }
        guard overrides.count <= limits.maxOverrides else {
            throw ICalError("series \(uid) has \(overrides.count) overrides, more than \(limits.maxOverrides)")
        }
        let resolver = ZoneResolver()
        var seen = Set<EventTime>()
        for o in overrides {
            guard var rid = o.recurrenceID else { continue }
            if let m = event.master?.start { rid = inZone(of: m, rid, resolver) }
            guard seen.insert(rid).inserted else { continue }  // a repeated override: the first wins
            event.overrides.append(EventOverride(recurrenceID: rid, thisAndFuture: o.thisAndFuture, fields: o.fields))
        }
        return event
    }

    static func inZone(of master: EventTime, _ t: EventTime, _ resolver: ZoneResolver) -> EventTime {
        guard case .dateTime(_, let mz) = master, case .dateTime(_, let z) = t, z != mz, z != .floating, mz != .floating else {
            return t
        }
        return .dateTime(resolver.clock(mz).wall(resolver.instant(t)), mz)
    }
}
