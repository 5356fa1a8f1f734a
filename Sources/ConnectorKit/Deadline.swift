/// Runs `work` against `timer`: its value, or nil when the timer ends first (the work is then
/// cancelled). One place for the request deadline and the per-pass budget.
public func firstBefore<T: Sendable>(
    _ timer: @escaping @Sendable () async throws -> Void, _ work: @escaping @Sendable () async throws -> T
) async throws -> T? {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await timer()
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}
