import Synchronization

/// A fault a server answers instead of handling a request.
public enum InjectedFault: Sendable, Equatable {
    /// Answer this HTTP status (500, 503, 429, …) with an optional Retry-After (seconds).
    case httpStatus(Int, retryAfter: Int? = nil)
    /// A protocol-level "busy" answer (EWS: ErrorServerBusy SOAP fault with BackOffMilliseconds).
    case serverBusy(backOffMilliseconds: Int)
    /// Close the TCP connection without answering.
    case dropConnection
    /// Handle the request, then close the connection without answering: the answer is lost.
    case dropAnswer
}

/// Runtime-settable fault plan shared by the emulators. All methods are thread-safe.
public final class FaultInjector: Sendable {
    struct Rule: Sendable {
        var fault: InjectedFault
        var remaining: Int
        var operation: String?
    }
    struct State: Sendable {
        var rules: [Rule] = []
        var latency: Duration?
        var hook: (@Sendable (String) async -> Void)?
        var injected = 0
    }
    private let state = Mutex(State())

    public init() {}

    /// The next `count` requests (of `operation` only, when given) answer `fault`. Rules queue in order.
    public func inject(_ fault: InjectedFault, count: Int = 1, operation: String? = nil) {
        state.withLock { $0.rules.append(Rule(fault: fault, remaining: count, operation: operation)) }
    }

    /// A fixed delay before every request is handled (nil: none).
    public var latency: Duration? {
        get { state.withLock { $0.latency } }
        set { state.withLock { $0.latency = newValue } }
    }

    /// Awaited before every request with the operation name: a test can hold requests here
    /// (e.g. on a continuation) and release them when it wants, instead of sleeping.
    public func setHook(_ hook: (@Sendable (String) async -> Void)?) { state.withLock { $0.hook = hook } }

    /// Removes every pending fault, the latency and the hook.
    public func clear() { state.withLock { $0 = State(injected: $0.injected) } }

    /// How many faults were answered so far.
    public var injectedCount: Int { state.withLock { $0.injected } }

    /// Pending fault rules (for assertions).
    public var pending: Int { state.withLock { $0.rules.reduce(0) { $0 + $1.remaining } } }

    /// Applies latency and the hook, then takes the fault for this request, if any.
    public func before(operation: String) async -> InjectedFault? {
        let (latency, hook) = state.withLock { ($0.latency, $0.hook) }
        if let hook { await hook(operation) }
        if let latency { try? await Task.sleep(for: latency) }
        return state.withLock { st in
            guard let i = st.rules.firstIndex(where: { $0.operation == nil || $0.operation == operation }) else { return nil }
            let fault = st.rules[i].fault
            st.rules[i].remaining -= 1
            if st.rules[i].remaining <= 0 { st.rules.remove(at: i) }
            st.injected += 1
            return fault
        }
    }
}
