import Foundation
import Synchronization
import Testing
import SyncStore

/// Passes run on threads of their own, one more for each job that finds the others busy: a
/// pass blocked in a store call holds its thread, not one of the cooperative pool's few.
@Suite struct PassThreadsTests {
    /// Eight tasks that each block until all eight are in: on a pool of a thread a core (two
    /// here) they never would be.
    @Test func tasksThatBlockEachGetAThread() async throws {
        // Idle threads stay: a loaded machine may resume this test long after the tasks ended.
        let threads = PassThreads(limit: 16, idleExit: 3600)
        let barrier = Barrier(8)
        let met = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask(executorPreference: threads) { barrier.arriveAndWait(seconds: 20) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(met == 8)
        #expect(threads.threadCount >= 8)
    }

    /// A blocking barrier: waits on a condition, as a store call blocks its thread.
    final class Barrier: @unchecked Sendable {
        private let condition = NSCondition()
        private var arrived = 0
        let count: Int
        init(_ count: Int) { self.count = count }

        func arriveAndWait(seconds: TimeInterval) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            arrived += 1
            condition.broadcast()
            let deadline = Date(timeIntervalSinceNow: seconds)
            while arrived < count {
                if !condition.wait(until: deadline) { return arrived >= count }
            }
            return true
        }
    }
}
