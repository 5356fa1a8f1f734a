import SyncModel

/// `YYYYMMDD` and `YYYYMMDDTHHMMSS`, as the oracle script prints them.
enum ICalFormatting {
    static func date(_ d: CivilDate) -> String {
        String(format4(d.year)) + two(d.month) + two(d.day)
    }

    static func dateTime(_ w: CivilDateTime) -> String {
        date(w.date) + "T" + two(w.hour) + two(w.minute) + two(w.second)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func format4(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
}
