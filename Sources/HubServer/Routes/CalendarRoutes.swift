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
            let hubID = hub.id
            return try UpcomingList.page(
                try self.store.liveItems(Event.self, hub: hubID).map { .init(item: $0.id, event: $0.item) },
                now: Int(self.clock().timeIntervalSince1970), days: days, limit: Self.limit(request, default: 100)
            ) { try self.sourceNames(hubID, items: $0) }
        }
    }

    /// The names of the sources each item is linked in (in spoke order).
    func sourceNames(_ hub: HubID, items ids: [ItemID]) throws -> [ItemID: [String]] {
        var sources: [ItemID: [String]] = [:]
        guard !ids.isEmpty else { return sources }
        for spoke in try store.spokes(hub: hub) {
            for item in try store.links(Event.self, hub: hub, spoke: spoke.id, items: ids).keys {
                sources[item, default: []].append(spoke.name)
            }
        }
        return sources
    }
}
