import Foundation
import HubServer
import SyncModel
import SyncStore
import Testing

/// `POST /api/hubs/{hub}/spokes/{spoke}/migrate`: only an Exchange spoke moves, only to Microsoft
/// 365, through the provider (the composition root's, proven in HubCLITests); nothing changes
/// when the provider cannot.
struct MigrationRouteTests {
    @Test func onlyAnExchangeSpokeMovesAndAFailedMoveChangesNothing() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            try fx.store.saveHub(HubConfig(id: HubID("h"), name: "H"))
            let ews = SpokeConfig(id: SpokeID("mail"), hub: HubID("h"), name: "Mail", kind: .ews, position: 0, settings: ["book": "a"])
            try fx.store.saveSpoke(ews)
            try fx.store.saveSpoke(SpokeConfig(id: SpokeID("dav"), hub: HubID("h"), name: "Dav", kind: .carddav, position: 1,
                                               settings: ["book": "b"]))
            let form: [String: Any] = ["tenant": "t", "clientID": "c", "clientSecret": "s", "email": "ann@example.com"]
            var r = try await c.call(.post, "/api/hubs/h/spokes/dav/migrate", json: ["kind": "graph", "form": form])
            #expect(r.status == .badRequest && r.object["field"] as? String == "kind", "\(r.body)")
            r = try await c.call(.post, "/api/hubs/h/spokes/mail/migrate", json: ["kind": "google", "form": form])
            #expect(r.status == .badRequest)
            // This provider cannot move spokes: refused, the spoke as it was.
            r = try await c.call(.post, "/api/hubs/h/spokes/mail/migrate", json: ["kind": "graph", "form": form])
            #expect(r.status == .unprocessableContent, "\(r.body)")
            #expect(try fx.store.spokes(hub: HubID("h")).first { $0.id == SpokeID("mail") } == ews)
            r = try await c.call(.post, "/api/hubs/h/spokes/nope/migrate", json: ["kind": "graph", "form": form])
            #expect(r.status == .notFound)
        }
    }
}
