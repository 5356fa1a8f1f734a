import Emulators
import Foundation
import SyncModel
import TestSupport
import Testing

/// The hub page's admin actions in headless Chromium (python/web_hub.py), on a hub made through
/// the API: held mass deletions rejected then approved, one change undone from the history, the
/// schedule. The test changes the sources between the browser's steps and checks them after.
/// Skipped without chromium, chromedriver and selenium, unless CI is set.
@Suite(.serialized) struct HubAdminBrowserTests {
    typealias F = WebFixture
    static let shots = "hub-admin"

    @Test(.timeLimit(.minutes(10)))
    func heldDeletionsUndoAndScheduleOnTheHubPage() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let fx = try await F.start()
        defer { Task { await fx.stop() } }
        // Six more people in Exchange, so that deleting them is a mass deletion (6 of 11).
        let seeded = try fx.exchange.seedContacts(6, in: F.mailbox)
            .map { "\($0.contact.givenName ?? "") \($0.contact.surname ?? "")" }
        let everyone = (F.everyone + seeded).sorted()
        let (hub, api) = try await fx.hubThroughAPI(named: "Team contacts")
        #expect(try fx.exchangeNames() == everyone && fx.googleNames() == everyone)
        try clearScreenshots(of: Self.shots)
        func browser(_ mode: String, _ args: [String]) async throws {
            let out = try await fx.browser(mode, ["--hub", hub.rawValue] + args, script: "web_hub.py", shots: Self.shots)
            #expect(out.contains("SUMMARY: \(mode) all checks passed"))
            await fx.app.waitForSync(hub)
        }
        func deleteSeededInExchange() throws {
            for record in try fx.exchange.contacts(in: F.mailbox) where record.contact.givenName?.hasPrefix("Seed") == true {
                try fx.exchange.deleteContact(id: record.id, in: F.mailbox)
            }
            #expect(try fx.exchangeNames() == F.everyone)
        }
        let hold = ["--spoke-name", "Exchange", "--held", "6", "--contacts", String(everyone.count)]
            + seeded.flatMap { ["--sample", $0] }

        // 1. Held, then rejected: the next sync writes them back to Exchange; Google never lost them.
        try deleteSeededInExchange()
        try await browser("reject", hold)
        #expect(try fx.exchangeNames() == everyone)
        #expect(try fx.googleNames() == everyone)

        // 2. Held again, approved this time: the next sync deletes them from Google too.
        // Right after Reject wrote them back, before any pull: the spoke's state is already past
        // the hub's own writes, so Exchange reports these deletions.
        try deleteSeededInExchange()
        try await browser("approve", hold)
        #expect(try fx.googleNames() == F.everyone)
        #expect(try fx.exchangeNames() == F.everyone)

        // 3. A change made in Google, synced, then undone from the history: the old company
        //    is back in both sources.
        let alan = try #require(try fx.googleContact("Alan Turing"))
        #expect(alan.values("organizations", "name") == ["NPL"], "Exchange's company reached Google at the first sync")
        try fx.google.updateContact(alan.resourceName, in: F.googleAccount) { $0["organizations"] = [["name": "Bletchley Park"]] }
        try await browser("undo", ["--contact", "Alan Turing", "--change", "Bletchley Park"])
        #expect(try fx.exchangeContact("Alan Turing")?.companyName == "NPL")
        #expect(try fx.googleContact("Alan Turing")?.values("organizations", "name") == ["NPL"])

        // 4. A conflict: Alan's company changed in both sources between two syncs. The conflicts
        //    tab shows both values; "Use the other value" puts the loser in both sources.
        let alanNow = try #require(try fx.googleContact("Alan Turing"))
        try fx.google.updateContact(alanNow.resourceName, in: F.googleAccount) { $0["organizations"] = [["name": "Google Ltd"]] }
        let alanEWS = try #require(try fx.exchange.contacts(in: F.mailbox).first { $0.contact.surname == "Turing" })
        _ = try fx.exchange.updateContact(id: alanEWS.id, in: F.mailbox) { $0.companyName = "Exchange Ltd" }
        let out = try await fx.browser(
            "conflict", ["--hub", hub.rawValue, "--contact", "Alan Turing", "--value", "Google Ltd", "--value", "Exchange Ltd"],
            script: "web_hub.py", shots: Self.shots)
        #expect(out.contains("SUMMARY: conflict all checks passed"))
        await fx.app.waitForSync(hub)
        let other = out.split(separator: "\n").first { $0.hasPrefix("OTHER: ") }.map { String($0.dropFirst(7)) }
        #expect(other == "Google Ltd" || other == "Exchange Ltd", "the value taken: \(other ?? "none")")
        #expect(try fx.exchangeContact("Alan Turing")?.companyName == other)
        #expect(try fx.googleContact("Alan Turing")?.values("organizations", "name") == other.map { [$0] })

        // 5. The schedule saved in the browser is the hub's (the scheduler has tests of its own).
        try await browser("schedule", ["--minutes", "45"])
        #expect(try fx.store.hub(hub)?.scheduleMinutes == 45)

        // 6. A filter on Google (category VIP, which nobody has): Alan's page says why it keeps him out.
        try await api.send("PATCH", "api/hubs/\(hub.rawValue)/spokes/google", ["options": [
            "twoWay": true, "fieldMappings": [Any](),
            "filter": ["categories": ["VIP"], "companies": [String](), "emailDomains": [String](), "requireEmail": false, "requirePhone": false],
        ] as [String: Any]])
        try await browser("filtered", ["--contact", "Alan Turing", "--spoke", "google", "--change", "it is in none of the categories VIP"])

        let shots = screenshots(of: Self.shots)
        for name in ["held-deletions", "held-in-sources", "rejected", "held-again", "approved", "history-change", "history-filtered",
                     "undone", "conflict", "contact-after-conflict", "schedule-saved", "contact-filtered"] {
            #expect(shots[name]?.isPNG == true, "no screenshot \(name) in \(BrowserTools.screenshots.path)/\(Self.shots)")
        }
    }
}
