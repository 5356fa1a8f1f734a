import Foundation
import SyncModel
import TestSupport
import Testing

/// The hub list with more hubs than a page (python/web_hubs.py): a hundred shown, the rest on
/// "Show more hubs", one found by name. Skipped without chromium, chromedriver and selenium,
/// unless CI is set.
@Suite(.serialized) struct HubListBrowserTests {
    typealias F = WebFixture

    @Test(.timeLimit(.minutes(10)))
    func aHundredAndFiveHubsListAPageAtATime() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let fx = try await F.start()
        defer { Task { await fx.stop() } }
        try fx.app.createAdmin(user: F.admin, password: F.adminPassword)
        for n in 0..<105 { try fx.store.saveHub(HubConfig(id: HubID(String(format: "hub-%03d", n)), name: String(format: "Hub %03d", n))) }
        let out = try await fx.browser("many", ["--hubs", "105", "--find", "hub-042"], script: "web_hubs.py", shots: "hub-list")
        #expect(out.contains("SUMMARY: many all checks passed"))
    }
}
