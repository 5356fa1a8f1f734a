import Foundation
import Hummingbird
import SyncModel

/// What a calendar hub's page reads: its live series with the spokes each is linked to. The
/// store that holds events conforms (docs/ENGINE.md, "What remains": the store over the item
/// type); a store that cannot read events lists none.
public protocol CalendarSeriesReading: Sendable {
    func liveSeries(hub: HubID) throws -> [(item: ItemID, event: Event, spokes: [SpokeID])]
}

extension HubApp {
    func addCalendarRoutes(_ router: Router<WebContext>) {
        /// `?days=` ahead (1-400, default 60), `?limit=` instances (default 100).
        router.get("/api/hubs/:hub/upcoming") { request, context in
            let hub = try self.hub(context)
            guard hub.objectKind == .calendar else { throw APIError(.badRequest, words: APIWords.notEvents) }
            let days = min(400, max(1, request.uri.queryParameters["days"].flatMap { Int(String($0)) } ?? 60))
            let names = Dictionary(try self.store.spokes(hub: hub.id).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let series = try (self.store as? any CalendarSeriesReading)?.liveSeries(hub: hub.id) ?? []
            return UpcomingList.page(
                series.map { .init(item: $0.item, event: $0.event, sources: $0.spokes.compactMap { names[$0] }) },
                now: Int(self.clock().timeIntervalSince1970), days: days, limit: Self.limit(request, default: 100))
        }
    }
}
