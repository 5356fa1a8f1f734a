import ConnectorEWS
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import TestSupport

/// A running EWS emulator with one mailbox, and spokes pointed at it.
struct Exchange {
    static let email = "ada@example.com"
    static let user = "ada"
    static let password = "Pässw0rd!"
    let emulator: EWSEmulator
    let url: URL

    static func start(version: Emulators.ExchangeVersion = .exchange2016, auth: AuthSchemes = .all) async throws -> Exchange {
        let emulator = EWSEmulator(version: version, auth: auth)
        emulator.addMailbox(email: email, user: user, password: password, domain: "EXAMPLE")
        return Exchange(emulator: emulator, url: try await emulator.start())
    }

    func stop() async { await emulator.stop() }

    /// A spoke on the mailbox's Contacts folder; `sleeps` records every wait instead of waiting.
    func spoke(
        auth: HTTPAuth = .basic(user: user, password: password), version: ConnectorEWS.ExchangeVersion = .exchange2016,
        folder: String? = nil, pageSize: Int = 500, batch: Int = 100, sleeps: Sleeps = Sleeps()
    ) -> EWSSpoke {
        EWSSpoke(
            settings: EWSSettings(url: url, version: version, folderID: folder, pageSize: pageSize, batchSize: batch),
            http: client(auth: auth, sleeps: sleeps))
    }

    func client(auth: HTTPAuth = .basic(user: user, password: password), sleeps: Sleeps = Sleeps()) -> ConnectorHTTPClient {
        ConnectorHTTPClient(
            transport: AHCTransport.shared(), auth: auth, retry: EWSSpoke.retryPolicy(RetryPolicy(random: { 1 })),
            sleep: { d in sleeps.record(d) })
    }

    /// Another client (Outlook, say) editing the mailbox.
    func contacts() throws -> [EWSContactRecord] { try emulator.contacts(in: Self.email) }
    @discardableResult
    func add(_ given: String, _ family: String = "Test", email: String? = nil) throws -> EWSContactRecord {
        try emulator.createContact(Emulators.EWSContact(givenName: given, surname: family, email: email), in: Self.email)
    }
    func edit(_ id: String, _ change: (inout Emulators.EWSContact) -> Void) throws {
        _ = try emulator.updateContact(id: id, in: Self.email, change)
    }
    func delete(_ id: String) throws { try emulator.deleteContact(id: id, in: Self.email) }
    func record(_ given: String) throws -> EWSContactRecord? { try contacts().first { $0.contact.givenName == given } }
}
