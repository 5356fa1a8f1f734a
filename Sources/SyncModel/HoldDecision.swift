/// Where a hold stands: waiting for an admin, or decided and waiting for the spoke's next
/// listing, which the decision is applied against (what the spoke holds then, not what it
/// listed when the hold began).
public enum HoldDecision: String, Hashable, Sendable, Codable {
    /// Waiting for an admin.
    case pending
    /// The admin kept the hub's items: the next pull re-reads them, links what is still there,
    /// and writes back only what is really gone (or still broken).
    case rejected
    /// The admin accepted held changes: the next pull applies them as the spoke has them.
    case approved
}
