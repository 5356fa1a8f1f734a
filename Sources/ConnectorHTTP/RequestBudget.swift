import Foundation

/// A budget of requests per window per account or mailbox (Google's per-user minute, Graph's
/// 10,000 per 10 minutes per mailbox), so a large first sync slows itself down instead of running
/// into 429s. A sliding window: no span of `window`, the first included, ever holds more than
/// `limit` requests (a bucket that starts full lets twice the budget through in its first
/// window). A request's slot moves to when its answer came (`finish`): the server counts it on
/// arrival, which is between the two, so however long the way, the server never sees more than
/// the budget in its window either.
public actor RequestBudget {
    public struct Ticket: Sendable { let id: UInt64 }
    private let limit: Int
    private let window: TimeInterval
    /// When each of the latest requests went, will go (a slot is taken before waiting for it) or
    /// was answered.
    private var slots: [(id: UInt64, at: Date)] = []
    private var nextID: UInt64 = 0
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void

    public init(
        limit: Int, per window: TimeInterval, now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.limit = max(limit, 1)
        self.window = max(window, 0.001)
        self.now = now
        self.sleep = sleep
    }

    public init(
        perMinute: Int, now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.init(limit: perMinute, per: 60, now: now, sleep: sleep)
    }

    @discardableResult
    public func take() async throws -> Ticket {
        let now = self.now()
        slots.removeAll { now.timeIntervalSince($0.at) >= window }
        slots.sort { $0.at < $1.at }
        var at = max(now, slots.last?.at ?? now)
        if slots.count >= limit { at = max(at, slots[slots.count - limit].at.addingTimeInterval(window)) }
        nextID += 1
        // Taken before the wait, so a request arriving meanwhile queues behind this one.
        slots.append((nextID, at))
        let ticket = Ticket(id: nextID)
        let wait = at.timeIntervalSince(now)
        if wait > 0 { try await sleep(.milliseconds(Int((wait * 1000).rounded(.up)))) }
        return ticket
    }

    /// The request's answer came: its slot moves to now.
    public func finish(_ ticket: Ticket) {
        let now = self.now()
        if let i = slots.firstIndex(where: { $0.id == ticket.id }) { slots[i].at = max(slots[i].at, now) }
    }
}
