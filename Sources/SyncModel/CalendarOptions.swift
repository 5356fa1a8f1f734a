/// A calendar spoke's sync options (PROTOCOLS.md §3.6): the window, what private events become
/// there, the category the hub marks its copies with, and filters. Stored in a spoke's options;
/// every key is optional when read, so options written before a key existed still read.
public struct CalendarOptions: Hashable, Sendable, Codable {
    /// What a private (CLASS:PRIVATE or CONFIDENTIAL) event becomes in this spoke.
    public enum PrivateEvents: String, Hashable, Sendable, Codable, CaseIterable {
        /// Not copied.
        case skip
        /// Copied as busy time only: summary "Busy", no details, no people, no alarms.
        case busy
        /// Copied whole.
        case copy
    }

    /// Days before now the window reaches back; events wholly before stay where they are.
    public var pastDays: Int
    /// Days after now the window reaches forward.
    public var futureDays: Int
    public var privateEvents: PrivateEvents
    /// The category the hub adds to the events it writes in this spoke.
    public var categorizeAs: String?
    /// Only events in one of these categories (case-insensitive); empty admits every category.
    public var categories: [String]
    /// Only events that block time (not TRANSP:TRANSPARENT).
    public var busyOnly: Bool

    public static let defaultPastDays = 30, defaultFutureDays = 365

    public init(pastDays: Int = defaultPastDays, futureDays: Int = defaultFutureDays, privateEvents: PrivateEvents = .copy,
                categorizeAs: String? = nil, categories: [String] = [], busyOnly: Bool = false) {
        (self.pastDays, self.futureDays, self.privateEvents) = (pastDays, futureDays, privateEvents)
        (self.categorizeAs, self.categories, self.busyOnly) = (categorizeAs, categories, busyOnly)
    }

    enum CodingKeys: String, CodingKey {
        case pastDays, futureDays, privateEvents, categorizeAs, categories, busyOnly
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            pastDays: try c.decodeIfPresent(Int.self, forKey: .pastDays) ?? Self.defaultPastDays,
            futureDays: try c.decodeIfPresent(Int.self, forKey: .futureDays) ?? Self.defaultFutureDays,
            privateEvents: try c.decodeIfPresent(PrivateEvents.self, forKey: .privateEvents) ?? .copy,
            categorizeAs: try c.decodeIfPresent(String.self, forKey: .categorizeAs),
            categories: try c.decodeIfPresent([String].self, forKey: .categories) ?? [],
            busyOnly: try c.decodeIfPresent(Bool.self, forKey: .busyOnly) ?? false)
    }

    /// The window at `now` (seconds since 1970), `[from, to)`. Negative day counts read as 0.
    public func window(now: Int) -> (from: Int, to: Int) {
        (now - max(0, pastDays) * 86400, now + max(0, futureDays) * 86400)
    }
}
