import Foundation
#if os(Linux)
import Glibc
#endif

/// The threads sync passes run on, apart from Swift's cooperative pool.
///
/// The store's API is synchronous (SQLite's calls and PostgreSQL's round trips block their
/// caller), so a pass on the cooperative pool (a thread a core) holds a thread through each
/// store call: on two cores, two store calls at a time for all the passes of a process, and the
/// web server's requests waiting behind them. A pass prefers these threads instead (a task
/// executor preference: the pass and its child tasks run here), so it blocks only its own.
/// A thread is started for each job that finds every thread busy, up to `limit`, and one idle
/// for `idleExit` ends: a quiet process keeps none.
public final class PassThreads: TaskExecutor, @unchecked Sendable {
    /// The process's. A pass holds a thread only while it computes or waits on the store (its
    /// network waits hold none), so these carry a few runners' passes (8 each by default) even
    /// when the store makes them wait (SQLite's one writer); past that, passes take turns.
    public static let shared = PassThreads(limit: max(32, 4 * ProcessInfo.processInfo.activeProcessorCount))

    let limit: Int
    let idleExit: TimeInterval
    static let niceness: Int32 = 5
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0
    private var threads = 0
    private var idle = 0

    public init(limit: Int, idleExit: TimeInterval = 30) {
        self.limit = limit
        self.idleExit = idleExit
    }

    /// Threads alive now (tests).
    public var threadCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return threads
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        if queue.count - head > idle, threads < limit {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = "hubsync-pass"
            thread.start()
        } else {
            condition.signal()
        }
        condition.unlock()
    }

    private func work() {
        // A little below the process's other threads (the web server's, the store's I/O): a
        // page answers at once while passes compute. On Linux the nice value is per thread.
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        #endif
        condition.lock()
        while true {
            while head == queue.count {
                idle += 1
                let woken = condition.wait(until: Date(timeIntervalSinceNow: idleExit))
                idle -= 1
                if !woken, head == queue.count {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024, head * 2 >= queue.count {
                // A queue never empty still lets go of what it ran.
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
            condition.lock()
        }
    }
}
