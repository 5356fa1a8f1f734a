import Synchronization

/// The sleeper tests inject into clients with retries: records each wait, waits for nothing.
public final class Sleeps: Sendable {
    private let recorded = Mutex<[Duration]>([])
    public init() {}
    public var all: [Duration] { recorded.withLock { $0 } }
    public func record(_ duration: Duration) { recorded.withLock { $0.append(duration) } }
    public var sleeper: @Sendable (Duration) async throws -> Void { { duration in self.record(duration) } }
}
