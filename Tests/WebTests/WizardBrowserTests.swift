import Emulators
import Foundation
import SyncModel
import TestSupport
import Testing

/// The web app in headless Chromium, the way an admin uses it: first-run setup, the whole
/// wizard (Exchange, then Google through its consent page), Sync now, the hub page; then the
/// sources are checked through the emulators. Skipped without chromium, chromedriver and
/// selenium, unless CI is set.
@Suite(.serialized) struct WizardBrowserTests {
    typealias F = WebFixture

    @Test(.timeLimit(.minutes(10)))
    func wizardConnectsExchangeAndGoogleThenSyncsBothWays() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let fx = try await F.start()
        defer { Task { await fx.stop() } }
        let hub = HubID(slugOf: "Team contacts")

        // 1. The browser: setup, sign-in, the wizard, the first sync, the hub page.
        // A second address book in Exchange: the wizard lists both (Google's single one is not listed).
        _ = try fx.exchange.addContactsFolder(named: "Sales", in: F.mailbox)
        try clearScreenshots(of: "setup")
        let out = try await fx.browser("setup", [
            "--ews-url", fx.exchangeURL.absoluteString, "--ews-user", F.exchangeUser, "--ews-password", F.exchangePassword,
            "--ews-version", "2016", "--hub-name", "Team contacts", "--category", "HubSync", "--search", "Katherine",
            "--expect-contacts", String(F.everyone.count), "--setup-code", try #require(fx.app.setupCode),
        ])
        #expect(out.contains("SUMMARY: setup all checks passed"))
        let shots = screenshots(of: "setup")
        for name in ["setup", "login-error", "wizard-object", "wizard-kind", "exchange-wrong-password", "exchange-connected",
                     "exchange-unreachable", "exchange-folder", "hub-name", "steps-390px", "hub-overview", "hub-sources", "hub-history",
                     "contact-detail", "hub-settings", "hub-list", "hub-list-dark", "more-sources-1", "google-consent", "google-signed-in",
                     "more-sources-2", "sync-options", "ready", "hub-after-sync", "spoke-options", "hub-400px"] {
            #expect(shots[name]?.isPNG == true, "no screenshot \(name) in \(BrowserTools.screenshots.path)/setup")
        }

        // 2. Both sources now hold everyone once: the Google-only people reached Exchange and
        //    the other way round, and Alan (in both, same email) was matched, not duplicated.
        await fx.app.waitForSync(hub)
        #expect(try fx.exchangeNames() == F.everyone)
        #expect(try fx.googleNames() == F.everyone)
        // Exchange categorizes what the hub writes there; Google was not asked to.
        for name in F.googleOnly {
            #expect(try fx.exchangeContact(name)?.categories == ["HubSync"], "\(name) in Exchange")
        }
        for name in F.exchangeOnly {
            #expect(try fx.exchangeContact(name)?.categories == [], "\(name) was Exchange's own")
            #expect(try fx.googleContact(name) != nil)
        }
        #expect(try fx.googleContact("Katherine Johnson")?.phones == ["+1 757 555 0100"])
        #expect(try fx.exchangeContact("Katherine Johnson")?.emailAddresses.values.sorted() == ["katherine@example.org"])

        // 3. Two-way: an edit made in Google arrives in Exchange after Sync now in the browser.
        let alan = try #require(try fx.googleContact("Alan Turing"))
        try fx.google.updateContact(alan.resourceName, in: F.googleAccount) {
            $0["organizations"] = [["name": "Bletchley Park", "title": "Cryptanalyst"]]
        }
        try clearScreenshots(of: "resync")
        let again = try await fx.browser("resync", ["--hub", hub.rawValue, "--expect-change", "Bletchley Park"])
        #expect(again.contains("SUMMARY: resync all checks passed"))
        #expect(screenshots(of: "resync")["hub-after-resync"]?.isPNG == true)
        await fx.app.waitForSync(hub)
        let inExchange = try #require(try fx.exchangeContact("Alan Turing"))
        #expect(inExchange.companyName == "Bletchley Park" && inExchange.jobTitle == "Cryptanalyst")
        #expect(try fx.exchangeNames() == F.everyone && fx.googleNames() == F.everyone)
    }
}
