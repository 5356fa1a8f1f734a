import Hummingbird

/// Counts every HTTP answer (outermost, so refusals and errors count too).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let metrics: HubMetrics

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws -> Response
    {
        let route = RouteGroup(path: request.uri.path)
        do {
            let response = try await next(request, context)
            metrics.recordAnswer(status: response.status.code, route: route)
            return response
        } catch let error as any HTTPResponseError {
            metrics.recordAnswer(status: error.status.code, route: route)
            throw error
        } catch {
            metrics.recordAnswer(status: 500, route: route)
            throw error
        }
    }
}
