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
