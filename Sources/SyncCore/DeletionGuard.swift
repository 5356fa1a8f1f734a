import SyncModel

public enum GuardVerdict: Hashable, Sendable {
    case allow
    case hold(reason: String)
}

extension DeletionGuard {
    /// Decides whether the deletions one spoke reported in one pass may be applied.
    /// - Parameters:
    ///   - deletions: linked items the spoke reports gone.
    ///   - linked: the spoke's linked items before the pass.
    ///   - emptyListing: a full listing came back with no items at all.
    public func evaluate(deletions: Int, linked: Int, emptyListing: Bool) -> GuardVerdict {
        guard deletions > 0 else { return .allow }
        if emptyListing && linked >= minimum {
            return .hold(reason: "the spoke listed no items at all while \(linked) are linked")
        }
        if deletions >= minimum && deletions * 100 > linked * percent {
            return .hold(reason: "\(deletions) of \(linked) linked items deleted at once (limit \(percent)%)")
        }
        return .allow
    }
}

extension DeletionGuard {
    /// Decides whether the deletions the hub itself would send to one spoke in one push (an
    /// undo, a restore, a filter change) may go: the same share as for deletions pulled.
    public func evaluate(outgoing deletions: Int, linked: Int) -> GuardVerdict {
        guard deletions >= minimum && deletions * 100 > linked * percent else { return .allow }
        return .hold(reason: "the hub would delete \(deletions) of the \(linked) items it links there at once (limit \(percent)%)")
    }
}
