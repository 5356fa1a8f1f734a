import Foundation
import Testing
@testable import HubServer

/// A hub named in French ("Contacts de l'équipe") gets an id with an accent; the browser sends it
/// percent-encoded, and every route must still find the hub and its sources.
struct AccentedIDTests {
    @Test func aHubAndSourceWithAccentsAreFoundFromTheirEncodedIDs() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let made = try await c.call(.post, "/api/hubs", json: ["name": "Contacts de l'équipe"])
            let id = try #require(made.object["id"] as? String)
            #expect(id == "contacts-de-l-équipe")
            let encoded = try #require(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed))
            #expect(encoded != id)
            let hub = try await c.call(.get, "/api/hubs/\(encoded)")
            #expect(hub.status == .ok)
            #expect(hub.object["name"] as? String == "Contacts de l'équipe")
            let spoke = try await c.call(.post, "/api/hubs/\(encoded)/spokes",
                                         json: ["name": "Carnet réservé", "kind": "carddav", "form": ["password": "secret"], "folder": "a"])
            #expect(spoke.status == .created || spoke.status == .ok)
            let spokeID = try #require(spoke.object["id"] as? String)
            let encodedSpoke = try #require(spokeID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed))
            #expect(try await c.call(.get, "/api/hubs/\(encoded)/spokes/\(encodedSpoke)").status == .ok)
        }
    }
}
