import Foundation
import Synchronization

/// Ids that sort by creation time (like UUIDv7): 12 hex digits of Unix milliseconds, 4 of a
/// counter within the millisecond, 16 random. New hub items land at the end of every index
/// instead of at random pages, which keeps an initial sync of a large address book fast; the
/// random part keeps ids of several workers apart.
public final class SortableID: Sendable {
    private let state = Mutex((ms: UInt64(0), counter: UInt64(0)))
    private let clock: @Sendable () -> Date

    public init(clock: @escaping @Sendable () -> Date = { Date() }) { self.clock = clock }

    public func next() -> String {
        let now = UInt64(max(0, clock().timeIntervalSince1970 * 1000))
        let (ms, counter) = state.withLock { s -> (UInt64, UInt64) in
            // Never backwards, even when the clock is.
            if now > s.ms { s = (now, 0) } else { s.counter += 1 }
            if s.counter > 0xFFFF { s = (s.ms + 1, 0) }
            return (s.ms, s.counter)
        }
        return hex(ms, 12) + hex(counter, 4) + hex(UInt64.random(in: 0...UInt64.max), 16)
    }

    private func hex(_ v: UInt64, _ width: Int) -> String {
        let s = String(v & (width >= 16 ? UInt64.max : (1 << (4 * UInt64(width))) - 1), radix: 16)
        return String(repeating: "0", count: width - s.count) + s
    }
}
