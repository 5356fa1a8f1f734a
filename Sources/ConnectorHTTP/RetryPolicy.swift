import Foundation

/// When and how long to wait before sending again. Clock and randomness are injectable so tests
/// are exact.
public struct RetryPolicy: Sendable {
    /// Wire attempts per request in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A Retry-After longer than this (or waits adding up to more, for one request) makes the
    /// spoke unavailable for the pass instead of waiting.
    public var maxRetryAfter: Duration
    /// The least wait before the last attempt, when the source's quota runs in windows (a full
    /// minute for per-minute quotas): earlier backoffs may all fall inside one window.
    public var finalWait: Duration?
    /// A number in 0...1 that spreads the backoff (half to full delay) so clients do not retry in step.
    public var random: @Sendable () -> Double
    /// "Now", to turn a Retry-After HTTP-date into a wait.
    public var now: @Sendable () -> Date
    /// A protocol's own reading of an answer, before the status rules: EWS says "busy, back off
    /// for so long" in a SOAP fault under a 500 whose other faults must not be retried.
    public var advice: @Sendable (HTTPResponse) -> RetryAdvice?

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120), random: @escaping @Sendable () -> Double = { .random(in: 0...1) },
        now: @escaping @Sendable () -> Date = { Date() },
        advice: @escaping @Sendable (HTTPResponse) -> RetryAdvice? = { _ in nil }
    ) {
        self.advice = advice
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.random = random
        self.now = now
    }

    /// Whether to send again: the protocol's advice, else the status.
    func decide(_ response: HTTPResponse) -> RetryAdvice {
        advice(response) ?? (Self.retryableStatuses.contains(response.status) ? .retry(after: nil) : .deliver)
    }

    /// Throttled or a server-side failure likely to pass.
    /// 423: WebDAV servers answer it while another write holds the lock (Xandikos's store).
    static let retryableStatuses: Set<Int> = [423, 429, 500, 502, 503, 504]

    /// The wait after the `attempt`-th failure (1-based): base·2^(attempt-1), capped, times 0.5…1.
    public func backoff(after attempt: Int) -> Duration {
        let exponential = baseDelay * (1 << min(max(attempt - 1, 0), 30))
        let capped = min(exponential, maxDelay)
        let spread = capped * (0.5 + 0.5 * min(max(random(), 0), 1))
        if let finalWait, attempt == maxAttempts - 1 { return max(spread, finalWait) }
        return spread
    }

    /// Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); nil when absent or unreadable.
    public func retryAfter(_ value: String?) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(seconds, 0)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // IMF-fixdate, then the two obsolete forms recipients must still accept.
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: value) {
                return .seconds(max(date.timeIntervalSince(now()), 0).rounded(.up))
            }
        }
        return nil
    }
}

public enum RetryAdvice: Sendable, Equatable {
    /// The answer stands.
    case deliver
    /// Send again after this long (nil: Retry-After, else the backoff).
    case retry(after: Duration?)
}
