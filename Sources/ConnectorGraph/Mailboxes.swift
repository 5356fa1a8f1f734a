import ConnectorHTTP
import ConnectorKit
import Foundation
import Logging
import Synchronization

/// Graph's limits are per app and mailbox (4 requests at a time, 10,000 in 10 minutes), not per
/// folder: the spokes of one mailbox's folders share one gate and one budget in this process.
public enum Mailboxes {
    struct Shared: Sendable {
        var limiter: Limiter
        var budget: RequestBudget
    }
    private static let shared = Mutex<[String: Shared]>([:])

    /// The mailbox's shared gate and budget; `account` names a delegated sign-in's mailbox (`/me`).
    static func shared(_ settings: GraphSettings, account: String?) -> Shared {
        let key = settings.graphBase.absoluteString + "|" + (settings.mailbox ?? account ?? "me:" + settings.clientID).lowercased()
        return shared.withLock { all in
            if let s = all[key] { return s }
            let s = Shared(limiter: Limiter(limit: 4), budget: RequestBudget(limit: settings.requestsPerWindow, per: settings.window))
            all[key] = s
            return s
        }
    }

    /// A spoke for the mailbox's folder in `settings`, sending through the mailbox's gate.
    public static func spoke(
        _ settings: GraphSettings, account: String?, transport: any HTTPTransport, auth: HTTPAuth,
        retry: RetryPolicy = RetryPolicy(), logger: Logger = HTTPClient.silent
    ) -> GraphSpoke {
        let s = shared(settings, account: account)
        let http = HTTPClient(transport: transport, auth: auth, retry: retry, logger: logger, limiter: s.limiter)
        return GraphSpoke(settings: settings, http: http, budget: s.budget, logger: logger)
    }
}
