import ConnectorEWS
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import TestSupport

/// An Exchange mailbox (EWS emulator, user `ada`, password `pw`) and a Google account (People
/// emulator), both stopped on every path, for the tests that sync the two through a hub.
struct ExchangeAndGoogle {
    static let mailbox = "ada@example.com"
    let exchange: EWSEmulator
    let ewsURL: URL
    let google: Google

    /// An EWS spoke on the mailbox, signing in as `auth`.
    func ewsSpoke(_ auth: HTTPAuth) -> EWSSpoke {
        EWSSpoke(
            settings: EWSSettings(url: ewsURL),
            http: ConnectorHTTPClient(transport: AHCTransport.shared(), auth: auth, retry: EWSSpoke.retryPolicy()))
    }

    static func with<T>(auth: AuthSchemes, _ body: (ExchangeAndGoogle) async throws -> T) async throws -> T {
        let exchange = EWSEmulator(version: .exchange2016, auth: auth)
        exchange.addMailbox(email: mailbox, user: "ada", password: "pw", domain: "EXAMPLE")
        return try await withResource({ () async throws -> ExchangeAndGoogle in
            let url = try await exchange.start()
            do {
                return ExchangeAndGoogle(exchange: exchange, ewsURL: url, google: try await Google.start())
            } catch {
                await exchange.stop()
                throw error
            }
        }, close: { both in
            await both.exchange.stop()
            await both.google.stop()
        }, body)
    }
}
