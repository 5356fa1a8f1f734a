import Foundation
import Hummingbird
import SyncStore

/// What a worker serves for monitoring, having no web app: `/metrics`, `/healthz` and `/readyz`
/// on a port of its own (`HubWorker.Settings.monitor`). Its passes are counted only here: web
/// servers in front of workers run none.
extension HubWorker {
    /// Where the monitoring endpoints listen. Loopback by default: whoever reaches the port
    /// reads the metrics, so an address other machines reach is the admin's explicit choice.
    public struct Monitor: Sendable {
        public var host: String
        public var port: Int
        public init(host: String = "127.0.0.1", port: Int) {
            self.host = host
            self.port = port
        }
    }

    func probesRouter(listen host: String) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        // The Host check of the web app: a DNS-rebinding page in a browser on this machine must
        // not read the metrics through a name of its own.
        let policy = RequestPolicy(listen: host, publicURL: nil, allowed: [])
        router.add(middleware: HostCheck(policy: policy))
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.get("/healthz") { _, _ in HubApp.probe(.ok, ["status": "ok"]) }
        router.get("/readyz") { _, _ in
            if let problem = self.scheduler.readiness.problem(store: self.runner.store, scheduler: true, now: self.runner.engine.clock()) {
                return HubApp.probe(.serviceUnavailable, ["status": "unavailable", "reason": problem])
            }
            return HubApp.probe(.ok, ["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.metrics.text())))
        }
        return router
    }
}

/// Refuses a request naming a host the listener was not started with.
struct HostCheck: RouterMiddleware {
    typealias Context = WebContext
    let policy: RequestPolicy

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws -> Response
    {
        for host in [request.head.authority, request.headers[.hostField]].compactMap({ $0 }) where !policy.allowsHost(host) {
            return policy.misdirected(host).response()
        }
        return try await next(request, context)
    }
}
