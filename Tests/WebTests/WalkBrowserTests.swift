import Emulators
import Foundation
import SyncModel
import TestSupport
import Testing

/// What a walk through the web app found, fixed, in headless Chromium (python/web_walk.py): the
/// history's contact filter finds a contact's first change past the first page (the server
/// filters by its id) and offers a choice once when several match; in French, each count of a
/// sync agrees with its number, a source's type is translated, and the wizard's Exchange step
/// with its long address fits a phone. Skipped without chromium, chromedriver and selenium, unless
/// CI is set.
@Suite(.serialized) struct WalkBrowserTests {
    typealias F = WebFixture
    static let shots = "walk"

    @Test(.timeLimit(.minutes(10)))
    func whatTheWalkFoundIsFixed() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let fx = try await F.start()
        defer { Task { await fx.stop() } }
        let (hub, api) = try await fx.hubThroughAPI(named: "Team contacts")
        // Sixty more people in Exchange: the history's first page (50) is all theirs, and Alan
        // Turing's first change is on a later one. A folder of vCards as a third source.
        _ = try fx.exchange.seedContacts(60, in: F.mailbox)
        let cards = fx.directory.appendingPathComponent("cards")
        try await api.send("POST", "api/hubs/\(hub.rawValue)/spokes", ["name": "Cartes", "kind": "folder", "form": ["path": cards.path]])
        try await fx.syncThroughAPI(hub, api)
        try clearScreenshots(of: Self.shots)

        var out = try await fx.browser(
            "history", ["--hub", hub.rawValue, "--contact", "Alan Turing", "--ambiguous", "a", "--pick", "Ada Lovelace"],
            script: "web_walk.py", shots: Self.shots)
        #expect(out.contains("SUMMARY: history all checks passed"))
        out = try await fx.browser(
            "french", ["--hub", hub.rawValue, "--folder-source", "Cartes", "--ews-url", fx.exchangeURL.absoluteString,
                       "--ews-user", F.exchangeUser, "--ews-password", F.exchangePassword],
            script: "web_walk.py", shots: Self.shots)
        #expect(out.contains("SUMMARY: french all checks passed"))

        // A mapping of a field the options page does not offer (as a directory's default one):
        // the page showed the first field instead, and saving it replaced the mapping.
        let spokes = try #require(try await api.send("GET", "api/hubs/\(hub.rawValue)").0["spokes"] as? [[String: Any]])
        let exchange = try #require(spokes.first { $0["name"] as? String == "Exchange" })
        let spoke = try #require(exchange["id"] as? String)
        var options = try #require(exchange["options"] as? [String: Any])
        let mapping = [["spokeField": "custom.X-ROOM", "hubField": "Room"]]
        options["fieldMappings"] = mapping
        try await api.send("PATCH", "api/hubs/\(hub.rawValue)/spokes/\(spoke)", ["options": options])
        out = try await fx.browser(
            "options", ["--hub", hub.rawValue, "--spoke", spoke, "--field", "custom.X-ROOM"], script: "web_walk.py", shots: Self.shots)
        #expect(out.contains("SUMMARY: options all checks passed"))
        let saved = try await api.send("GET", "api/hubs/\(hub.rawValue)/spokes/\(spoke)").0
        let kept = (saved["options"] as? [String: Any])?["fieldMappings"] as? [[String: String]]
        #expect(kept == mapping, "the mapping after Save: \(String(describing: kept))")

        // A calendar hub with a folder of .ics files.
        let calendar = try #require(try await api.send("POST", "api/hubs", ["name": "Team calendar", "objectKind": "calendar"]).0["id"] as? String)
        let ics = fx.directory.appendingPathComponent("ics")
        try await api.send("POST", "api/hubs/\(calendar)/spokes", ["name": "Calendar files", "kind": "ics-folder", "form": ["path": ics.path]])
        out = try await fx.browser("calendar", ["--hub", calendar], script: "web_walk.py", shots: Self.shots)
        #expect(out.contains("SUMMARY: calendar all checks passed"))
        let calendarSpokes = try await api.send("GET", "api/hubs/\(calendar)").0["spokes"] as? [[String: Any]]
        let window = (calendarSpokes?.first?["options"] as? [String: Any])?["calendar"] as? [String: Any]
        #expect(window?["pastDays"] as? Int == 10 && window?["futureDays"] as? Int == 365, "the calendar's options after Save: \(String(describing: window))")

        let shots = screenshots(of: Self.shots)
        for name in ["history-one-contact", "history-choose-390", "history-picked", "fr-sources", "fr-exchange-390", "options-mapping", "calendar-sources"] {
            #expect(shots[name]?.isPNG == true, "screenshot \(name)")
        }
    }
}
