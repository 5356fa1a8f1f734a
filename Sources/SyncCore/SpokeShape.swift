import SyncModel

/// What a spoke's kind-specific options make of a hub item it may hold (for events: the calendar
/// window, private events, busy only). Contacts have none: every item is written as it is.
public enum SpokeShape<Item: Hashable & Sendable>: Hashable, Sendable {
    /// Written as the hub holds it.
    case write(Item)
    /// The spoke gets this stand-in (busy time without details) instead. A stand-in the hub
    /// created is never read back as the item's content, and deleting it deletes nothing else.
    case standIn(Item)
    /// Outside the window: neither written nor removed, and its disappearance from the spoke
    /// (a listing that only covers the window) is not a deletion.
    case outOfWindow
    /// Inside the window but not for this spoke (a private event it skips, a free one when it
    /// takes busy time only).
    case filtered
}

extension CoreItem {
    public static func shape(_ item: Self, for options: SpokeOptions, now: Int) -> SpokeShape<Self> { .write(item) }
}

extension Event {
    /// The `CalendarOptions` verdict. Its category is the spoke's (`SpokeOptions.categorizeAs`,
    /// added and stripped by the view on the master), so the verdict adds none of its own.
    public static func shape(_ item: Event, for options: SpokeOptions, now: Int) -> SpokeShape<Event> {
        var calendar = options.calendar ?? CalendarOptions()
        calendar.categorizeAs = nil
        switch calendar.verdict(for: item, now: now) {
        case .copy(let e): return .write(e)
        case .transformed(let e): return .standIn(e)
        case .outOfWindow: return .outOfWindow
        case .filtered: return .filtered
        }
    }
}
