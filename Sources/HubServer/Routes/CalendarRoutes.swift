import Foundation
import Hummingbird
import SyncModel
import SyncStore

extension HubApp {
    func addCalendarRoutes(_ router: Router<WebContext>) {
        /// `?days=` ahead (1-400, default 60), `?limit=` instances (default 100).
        router.get("/api/hubs/:hub/upcoming") { request, context in
            let hub = try self.hub(context)
            guard hub.objectKind == .calendar else { throw APIError(.badRequest, words: APIWords.notEvents) }
            let days = min(400, max(1, request.uri.queryParameters["days"].flatMap { Int(String($0)) } ?? 60))
            return UpcomingList.page(
                try self.liveSeries(hub.id), now: Int(self.clock().timeIntervalSince1970), days: days,
                limit: Self.limit(request, default: 100))
        }
    }

    /// The hub's live series, each with the names of the sources it is linked in (in spoke order).
    func liveSeries(_ hub: HubID) throws -> [UpcomingList.Series] {
        let series = try store.liveItems(Event.self, hub: hub)
        let ids = series.map(\.id)
        var sources: [ItemID: [String]] = [:]
        for spoke in try store.spokes(hub: hub) {
            for item in try store.links(Event.self, hub: hub, spoke: spoke.id, items: ids).keys {
                sources[item, default: []].append(spoke.name)
            }
        }
        return series.map { .init(item: $0.id, event: $0.item, sources: sources[$0.id] ?? []) }
    }
}
