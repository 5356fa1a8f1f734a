import Foundation
import SyncModel

/// Finds the hub series an unlinked spoke series already stands for (first sync, or one series
/// entered in two calendars): by UID first, then, conservatively, by the same start and the same
/// summary when exactly one hub series has both and its recurrence agrees. A wrong match merges
/// two meetings, which is worse than a duplicate an admin can merge later.
public struct EventMatcher: Sendable {
    public struct Candidate: Sendable {
        public var id: ItemID
        public var event: Event
        public init(id: ItemID, event: Event) { (self.id, self.event) = (id, event) }
    }

    private var events: [ItemID: Event] = [:]
    private var byUID: [String: [ItemID]] = [:]
    private var byStart: [String: [ItemID]] = [:]
    private let keys: EventMatchKeys

    public init(_ candidates: [Candidate] = [], resolver: ZoneResolver = ZoneResolver()) {
        keys = EventMatchKeys(resolver: resolver)
        for c in candidates { add(c.id, c.event) }
    }

    public var isEmpty: Bool { events.isEmpty }

    public mutating func add(_ id: ItemID, _ e: Event) {
        remove(id)
        events[id] = e
        if let u = keys.uid(e) { byUID[u, default: []].append(id) }
        if let s = keys.startAndSummary(e) { byStart[s, default: []].append(id) }
    }

    public mutating func remove(_ id: ItemID) {
        guard let e = events.removeValue(forKey: id) else { return }
        if let u = keys.uid(e) { byUID[u]?.removeAll { $0 == id } }
        if let s = keys.startAndSummary(e) { byStart[s]?.removeAll { $0 == id } }
    }

    /// The one hub series `e` stands for, or nil when none or more than one could be.
    public func match(_ e: Event) -> ItemID? {
        if let u = keys.uid(e), let ids = byUID[u], !ids.isEmpty {
            return ids.count == 1 ? ids[0] : nil  // one UID in two hub series: nobody can tell which
        }
        guard let s = keys.startAndSummary(e), let ids = byStart[s], ids.count == 1,
              let other = events[ids[0]], keys.sameRecurrence(e, other) else { return nil }
        return ids[0]
    }
}

/// The keys events are matched by, pure. The start is an instant for zoned and UTC times (so
/// 09:00 Berlin is 08:00Z), a wall time for floating ones and a day for all-day ones; the summary
/// is trimmed, its white space collapsed, case and accents folded.
public struct EventMatchKeys: Sendable {
    public let resolver: ZoneResolver

    public init(resolver: ZoneResolver = ZoneResolver()) { self.resolver = resolver }

    public func uid(_ e: Event) -> String? {
        let u = Normalize.trimmed(e.uid)
        return u.isEmpty ? nil : u
    }

    /// Nil for a series without a master or a summary: a start alone says too little.
    public func startAndSummary(_ e: Event) -> String? {
        guard let m = e.master, let s = summary(m.summary) else { return nil }
        return start(m.start) + "\u{1F}" + s
    }

    public func start(_ t: EventTime) -> String {
        switch t {
        case .date(let d): "D\(d.dayNumber)"
        case .dateTime(let w, .floating): "F\(w.secondsSinceEpoch)"
        case .dateTime: "I\(resolver.instant(t))"
        }
    }

    public func summary(_ s: String?) -> String? {
        guard let s = Normalize.text(s) else { return nil }
        let words = s.split(whereSeparator: { $0.isWhitespace })
        return words.joined(separator: " ").folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// A one-off and a series, or two different rules, are two things even at one start.
    public func sameRecurrence(_ a: Event, _ b: Event) -> Bool {
        a.rule.map(EventNormalRule.of) == b.rule.map(EventNormalRule.of) && a.rdates.isEmpty == b.rdates.isEmpty
    }
}

/// A rule in its normal form, for comparing rules written differently.
enum EventNormalRule {
    static func of(_ r: EventRule) -> EventRule {
        Event(uid: "", master: nil, rule: r).normalized().rule ?? r
    }
}
