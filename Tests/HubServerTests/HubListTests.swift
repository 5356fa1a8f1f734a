import Foundation
import Testing
import Hummingbird
import SyncModel
import SyncStore
@testable import HubServer

/// The hub list a page at a time: `limit`, `offset` and `q`, the total in X-Total-Count; without
/// `limit`, every hub (scripts written before paging).
struct HubListTests {
    @Test func pagedAndSearched() async throws {
        let fx = Fixture()
        for n in 0..<7 { try fx.store.saveHub(HubConfig(id: HubID("hub-\(n)"), name: "Hub \(n)", scheduleMinutes: 5)) }
        try fx.store.saveHub(HubConfig(id: HubID("sales"), name: "Sales team"))
        try await fx.run { c in
            try await c.setUp()
            let page = try await c.call(.get, "/api/hubs?limit=3&offset=2")
            #expect(page.array.count == 3 && page.headers[HTTPFields.Element.Name("X-Total-Count")!] == "8")
            let all = try await c.call(.get, "/api/hubs")
            #expect(all.array.count == 8)
            #expect(page.array.map { $0["id"] as? String } == all.array[2..<5].map { $0["id"] as? String })
            let found = try await c.call(.get, "/api/hubs?q=SALES&limit=10")
            #expect(found.array.map { $0["id"] as? String } == ["sales"] && found.headers[HTTPFields.Element.Name("X-Total-Count")!] == "1")
            let past = try await c.call(.get, "/api/hubs?offset=50&limit=10")
            #expect(past.status == .ok && past.array.isEmpty)
        }
    }
}
