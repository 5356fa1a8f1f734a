import Foundation
import SyncModel
import TestSupport
import Testing

/// The whole wizard in French: a browser set to fr-FR gets the first-run page, the wizard and
/// the hub page in French (a French date), then the header's switch goes back to English and
/// is remembered. Skipped without chromium, chromedriver and selenium, unless CI is set.
@Suite(.serialized) struct FrenchBrowserTests {
    typealias F = WebFixture

    @Test(.timeLimit(.minutes(10)))
    func wizardInFrenchThenTheSwitchBackToEnglish() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let fx = try await F.start()
        defer { Task { await fx.stop() } }
        try clearScreenshots(of: "french")
        let out = try await fx.browser("wizard", [
            "--ews-url", fx.exchangeURL.absoluteString, "--ews-user", F.exchangeUser, "--ews-password", F.exchangePassword,
            "--setup-code", try #require(fx.app.setupCode),
        ], script: "web_french.py", shots: "french")
        #expect(out.contains("SUMMARY: wizard all checks passed"))
        let shots = screenshots(of: "french")
        for name in ["fr-setup-error", "fr-home-empty", "fr-wizard-object", "fr-hub-name", "fr-wizard-kind", "fr-exchange-connected",
                     "fr-more-sources-2", "fr-sync-options", "fr-ready", "fr-hub-overview", "fr-hub-history", "en-after-switch",
                     "fr-login-error"] {
            #expect(shots[name]?.isPNG == true, "no screenshot \(name) in \(BrowserTools.screenshots.path)/french")
        }
        // The wizard in French made the same hub: both sources hold everyone.
        await fx.app.waitForSync(HubID(slugOf: "Annuaire commun"))
        #expect(try fx.exchangeNames() == F.everyone)
        #expect(try fx.googleNames() == F.everyone)
    }
}
