import SyncModel

/// What the spoke's listing says of one held item.
public enum HeldItemSeen: Hashable, Sendable {
    /// Not listed. `trusted`: the listing was complete and not itself suspect (a full listing,
    /// not cut short, not empty while the spoke has items linked), so the item is really gone.
    case absent(trusted: Bool)
    /// Listed at the version the hub holds.
    case unchanged
    /// Listed with a change of this weight.
    case changed(ChangeWeight)
}

public enum HeldItemAction: Hashable, Sendable {
    /// Still held: no admin decision yet, or the listing cannot tell.
    case keep
    /// The hold is over for it: what the spoke listed is applied as any pulled change.
    case release
    /// Over, and the change is applied though the guard would hold it: the admin approved it.
    case applyApproved
    /// Over: the spoke no longer has it and the admin kept it, so the hub writes it there again.
    case recreate
    /// Over: the spoke still holds the broken version and the admin kept the hub's, so the hub
    /// writes its version back.
    case writeBack
}

/// Pure decision of what becomes of a held item at the spoke's next listing.
public enum HoldReview {
    public static func action(_ decision: HoldDecision, _ seen: HeldItemSeen) -> HeldItemAction {
        switch (decision, seen) {
        case (_, .absent(trusted: false)):
            return .keep
        case (.pending, .absent(trusted: true)):
            return .keep
        case (.rejected, .absent(trusted: true)):
            return .recreate
        case (.approved, .absent(trusted: true)):
            // Gone meanwhile: a deletion like any other, under the guard.
            return .release
        case (_, .unchanged), (_, .changed(.normal)):
            // Listed again as it was, or mended: the glitch is over.
            return .release
        case (.pending, .changed(.stripped)), (.pending, .changed(.blanked)):
            return .keep
        case (.rejected, .changed(.stripped)), (.rejected, .changed(.blanked)):
            return .writeBack
        case (.approved, .changed(.stripped)), (.approved, .changed(.blanked)):
            return .applyApproved
        }
    }
}
