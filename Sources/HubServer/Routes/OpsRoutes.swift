import Foundation
import Hummingbird
import SyncModel

/// What monitoring reads: `/metrics` (Prometheus text), `/healthz` (the process answers) and
/// `/readyz` (it can do its work). The two probes need no session: a load balancer has none.
extension HubApp {
    func addOpsRoutes(_ router: Router<WebContext>) {
        // Touches nothing: a store that hangs must not make the process look dead and restarted.
        router.get("/healthz") { _, _ in Self.probe(.ok, ["status": "ok"]) }
        router.get("/readyz") { _, _ in
            if let problem = self.readiness.problem(store: self.store, scheduler: self.settings.scheduler, now: self.clock()) {
                return Self.probe(.serviceUnavailable, ["status": "unavailable", "reason": problem])
            }
            return Self.probe(.ok, ["status": "ready"])
        }
        router.get("/metrics") { _, context in
            guard self.mayReadMetrics(context) else {
                throw APIError(.forbidden, "metrics are served to this machine, the trusted proxies and signed-in admins; start the server with --metrics-open to serve them to any address")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.metrics.text())))
        }
    }

    /// Prometheus scrapes with no cookie, and counts of passes and failures tell an outsider
    /// which customers a server has and when it struggles: by default only a scraper on this
    /// machine, or on a trusted proxy's machine (the client after `X-Forwarded-For`, so a browser
    /// coming through the proxy is not let in), or a signed-in admin. Anything else needs
    /// --metrics-open (a private network, a firewall in front). The Host check still applies,
    /// so a DNS-rebinding page in a local browser cannot read it either.
    func mayReadMetrics(_ context: WebContext) -> Bool {
        settings.metricsOpen || context.session != nil || Self.isLoopback(context.peer)
            || settings.trustedProxies.contains(context.peer)
    }

    static func probe(_ status: HTTPResponse.Status, _ body: [String: String]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }
}
