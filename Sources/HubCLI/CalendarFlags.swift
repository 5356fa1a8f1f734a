import ArgumentParser
import SyncModel

/// A calendar spoke's options (`spoke add/set` on a calendar hub): the window, private events,
/// busy only. Its category and category filter are `--categorize` and `--filter-category`.
struct CalendarOptionFlags: ParsableArguments {
    @Option(help: "Calendar hubs: how many days back the sync window reaches (default 30).") var windowPast: Int?
    @Option(help: "Calendar hubs: how many days ahead the sync window reaches (default 365).") var windowFuture: Int?
    @Option(help: "Calendar hubs: private events here: skip, busy (busy time without details) or copy.")
    var `private`: CalendarOptions.PrivateEvents?
    @Flag(help: "Calendar hubs: only events that block time.") var busyOnly = false
    @Flag(help: "Calendar hubs: free events too (undoes --busy-only).") var allEvents = false

    var isEmpty: Bool { windowPast == nil && windowFuture == nil && `private` == nil && !busyOnly && !allEvents }

    func validate() throws {
        if busyOnly && allEvents { throw ValidationError("--busy-only and --all-events exclude each other") }
        for (name, days) in [("--window-past", windowPast), ("--window-future", windowFuture)] {
            if let days, !(0...3660).contains(days) { throw ValidationError("\(name) wants 0 to 3660 days") }
        }
    }

    /// Applies the flags; on a contact hub any of them is a mistake worth saying.
    func apply(to o: inout SpokeOptions, kind: ObjectKind) throws {
        guard kind == .calendar else {
            if !isEmpty { throw CLIError("--window-past, --window-future, --private and --busy-only are for calendar hubs") }
            return
        }
        var c = o.calendar ?? CalendarOptions()
        if let windowPast { c.pastDays = windowPast }
        if let windowFuture { c.futureDays = windowFuture }
        if let p = `private` { c.privateEvents = p }
        if busyOnly { c.busyOnly = true }
        if allEvents { c.busyOnly = false }
        o.calendar = c
    }
}

extension CalendarOptions.PrivateEvents: ExpressibleByArgument {}

/// The calendar lines of `describe(_:)`.
func describe(calendar c: CalendarOptions) -> [String] {
    var lines = ["window: \(c.pastDays) days back, \(c.futureDays) days ahead (events leaving it stay where they are)"]
    switch c.privateEvents {
    case .skip: lines.append("private events: not copied here")
    case .busy: lines.append("private events: copied as busy time, without details")
    case .copy: lines.append("private events: copied whole")
    }
    if c.busyOnly { lines.append("only events that block time") }
    return lines
}
