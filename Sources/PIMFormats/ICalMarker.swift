import SyncModel

/// The hub's create marker on a series it made: `X-HUBSYNC-MARKER` on the master, as on the
/// cards it makes. A create retried after a crash finds the series by it; it is the source's
/// bookkeeping, never content, so it is taken off what is read and kept through updates.
public enum ICalMarker {
    public static let property = "X-HUBSYNC-MARKER"

    /// The series with `marker` on its master (a series of orphans carries none).
    public static func marked(_ event: Event, _ marker: String) -> Event {
        var e = split(event).event
        e.master?.extra.append(EventProperty(name: property, value: marker))
        return e
    }

    /// The series without its marker, and the marker.
    public static func split(_ event: Event) -> (event: Event, marker: String?) {
        guard let m = event.master, let p = m.extra.first(where: { $0.name == property }) else { return (event, nil) }
        var e = event
        e.master?.extra.removeAll { $0.name == property }
        return (e, p.value.trimmingWhitespace().nonEmpty)
    }

    /// `event` as written over `old`: with `marker` when it is a create, else with the marker
    /// `old` carried (an update keeps what the hub did not write).
    public static func writing(_ event: Event, over old: Event?, marker: String? = nil) -> Event {
        guard let m = marker ?? old.flatMap({ split($0).marker }) else { return split(event).event }
        return marked(event, m)
    }
}
