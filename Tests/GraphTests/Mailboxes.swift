import ConnectorEWS
import ConnectorGoogle
import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import TestSupport

/// One Exchange Online mailbox served by both emulators, as Exchange Online serves it through EWS
/// and Graph: the Graph emulator reads and writes the EWS emulator's mailbox.
struct SharedExchange {
    static let password = "Pw-shared 1"
    let ews: EWSEmulator
    let ewsURL: URL
    let graph: Graph

    var upn: String { graph.upn }

    static func with<T>(_ body: (SharedExchange) async throws -> T) async throws -> T {
        try await withResource({ () async throws -> SharedExchange in
            let g = GraphEmulator()
            let ann = g.addUser(displayName: "Ann Lee", mailNickname: "ann")
            g.addApp(clientID: Graph.clientID, secret: Graph.secret)
            let ews = EWSEmulator(version: .exchange2016, auth: .all)
            ews.addMailbox(email: ann.upn, user: "ann", password: password, domain: "CONTOSO")
            try g.shareMailbox(ann.upn, with: ews, email: ann.upn)
            let url = try await ews.start()
            do { _ = try await g.start() } catch {
                await ews.stop()
                throw error
            }
            return SharedExchange(ews: ews, ewsURL: url, graph: Graph(emulator: g, upn: ann.upn))
        }, close: { both in
            await both.ews.stop()
            await both.graph.emulator.stop()
        }, body)
    }

    func ewsSpoke(folder: String? = nil) -> EWSSpoke {
        exchangeSpoke(url: ewsURL, user: "ann", password: Self.password, folder: folder)
    }

    /// The HTTP client an app-only Graph spoke of this mailbox uses (for `translateExchangeIds`).
    func graphHTTP() -> HTTPClient {
        let s = graph.settings()
        let source = GraphTokenSource(refreshToken: nil, settings: s, http: HTTPClient(transport: AHCTransport.shared()))
        return HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: RetryPolicy(random: { 1 }))
    }

    // Another client (Outlook through EWS) editing the mailbox.
    @discardableResult
    func addThroughEWS(_ given: String, email: String? = nil) throws -> EWSContactRecord {
        try ews.createContact(Emulators.EWSContact(givenName: given, surname: "Test", email: email), in: upn)
    }
    func ewsContacts() throws -> [EWSContactRecord] { try ews.contacts(in: upn) }
}

/// A spoke on an EWS emulator mailbox's Contacts folder (basic auth, no waits).
func exchangeSpoke(url: URL, user: String, password: String, folder: String? = nil) -> EWSSpoke {
    EWSSpoke(
        settings: EWSSettings(url: url, folderID: folder),
        http: HTTPClient(transport: AHCTransport.shared(), auth: .basic(user: user, password: password),
                         retry: EWSSpoke.retryPolicy(RetryPolicy(random: { 1 }))))
}

/// A Google account in the People API emulator, with a spoke signed in to it.
struct People {
    static let email = "ann@example.com"
    static let clientID = "hubsync-test.apps.googleusercontent.com"
    static let secret = "client-secret"
    let emulator: PeopleEmulator
    let base: URL

    static func start() async throws -> People {
        let emulator = PeopleEmulator()
        emulator.addAccount(email: email, clientID: clientID, clientSecret: secret)
        return People(emulator: emulator, base: try await emulator.start())
    }

    func spoke() -> GoogleSpoke {
        let settings = GoogleSettings.emulator(base, clientID: Self.clientID, clientSecret: Self.secret)
        let issued = emulator.issueTokens(for: Self.email)
        let source = GoogleTokenSource(
            tokens: GoogleTokens(accessToken: issued.access, refreshToken: issued.refresh, expiresAt: Date().addingTimeInterval(3000)),
            settings: settings, http: HTTPClient(transport: AHCTransport.shared()), onRotate: { _ in })
        let http = HTTPClient(transport: AHCTransport.shared(), auth: source.auth,
                              retry: GoogleSpoke.retryPolicy(RetryPolicy(random: { 1 })))
        return GoogleSpoke(settings: settings, http: http, requestsPerMinute: 1000)
    }

    func contacts() throws -> [PeopleContactRecord] { try emulator.contacts(in: Self.email) }
}
