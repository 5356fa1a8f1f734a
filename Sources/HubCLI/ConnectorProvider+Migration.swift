import ConnectorGraph
import HubServer
import SyncEngine
import SyncModel

extension ConnectorProvider {
    /// The web app's "Move to Microsoft 365", through the same code as `hubsync spoke migrate`.
    /// App-only without a mailbox reaches the Exchange spoke's own (its user's address).
    public func migration(_ spoke: SpokeConfig, to kind: SpokeKind, _ form: SpokeForm) async throws -> ConnectorSwitch {
        guard kind == .graph else { throw SetupError(field: "kind", "An Exchange source moves to Microsoft 365 only.") }
        var f = form
        if f.signedIn == nil, (f.email ?? "").isEmpty, f.clientSecret != nil { f.email = SpokeMigration.defaultMailbox(spoke) }
        let (settings, tokens) = try m365(f)
        let prepared = try await explained(.graph) {
            try await SpokeMigration.prepare(spoke, store: context.store, graph: settings, tokens: tokens, secrets: context.secrets(),
                                             retry: Self.checkRetry)
        }
        return prepared.change
    }
}
