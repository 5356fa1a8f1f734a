import Foundation
import Testing
import TestSupport
@testable import HubCLI

/// The CLI's loopback end of a sign-in: one path per provider, Google's as it always was.
@Suite struct LoopbackRedirectTests {
    @Test func eachProviderHasItsOwnPath() throws {
        // Google's OAuth clients registered this redirect already: it must not move.
        #expect(LoopbackRedirect.Provider.google.path == "/oauth/google")
        #expect(LoopbackRedirect.Provider.microsoft.path == "/oauth/microsoft")
        #expect(Set(LoopbackRedirect.Provider.allCases.map(\.path)).count == LoopbackRedirect.Provider.allCases.count)
        let microsoft = try LoopbackRedirect(for: .microsoft)
        #expect(microsoft.redirectURI == "http://127.0.0.1:\(microsoft.port)/oauth/microsoft")
        let google = try LoopbackRedirect(for: .google)
        #expect(google.redirectURI == "http://127.0.0.1:\(google.port)/oauth/google")
    }

    @Test func onlyTheExactPathMatches() {
        #expect(LoopbackRedirect.matches("/oauth/microsoft", path: "/oauth/microsoft"))
        #expect(LoopbackRedirect.matches("/oauth/microsoft?code=c&state=s", path: "/oauth/microsoft"))
        #expect(!LoopbackRedirect.matches("/oauth/microsoftx?code=c", path: "/oauth/microsoft"))
        #expect(!LoopbackRedirect.matches("/oauth/google?code=c", path: "/oauth/microsoft"))
        #expect(!LoopbackRedirect.matches("/favicon.ico", path: "/oauth/google"))
    }

    /// A redirect to another provider's path is refused and skipped; the own one is taken.
    @Test func microsoftSignInTakesOnlyItsOwnRedirect() async throws {
        let loopback = try LoopbackRedirect(for: .microsoft)
        async let answer = loopback.awaitQuery()
        let base = "http://127.0.0.1:\(loopback.port)"
        #expect(try curl(["-o", "/dev/null", "-w", "%{http_code}", base + "/oauth/google?code=wrong&state=s"]) == "404")
        #expect(try curl(["-o", "/dev/null", "-w", "%{http_code}", base + "/oauth/microsoft?code=right&state=s"]) == "200")
        let query = try await answer
        #expect(query["code"] == "right" && query["state"] == "s")
    }
}
