import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import TestSupport

/// A running Graph emulator with one mailbox and an app allowed into it, and spokes reaching it
/// app-only (client credentials, as a whole-tenant setup does).
struct Graph {
    static let clientID = "hubsync-test-app"
    static let secret = "app-secret"
    let emulator: GraphEmulator
    let upn: String

    static func with<T>(_ body: (Graph) async throws -> T) async throws -> T {
        try await withResource({ () async throws -> Graph in
            let e = GraphEmulator()
            let ann = e.addUser(displayName: "Ann Lee", mailNickname: "ann")
            e.addApp(clientID: clientID, secret: secret, redirectURIs: ["http://127.0.0.1/oauth"])
            _ = try await e.start()
            return Graph(emulator: e, upn: ann.upn)
        }, close: { await $0.emulator.stop() }, body)
    }

    /// `pageSize` below 200 pages listings too (at the same size), so small tests see pages.
    func settings(folder: String? = nil, pageSize: Int = 200, batch: Int = 20) -> GraphSettings {
        GraphSettings(
            tenant: emulator.tenantID, clientID: Self.clientID, clientSecret: Self.secret, mailbox: upn, folderID: folder,
            authorityBase: emulator.authorityURL!, graphBase: emulator.graphURL!, pageSize: pageSize,
            listPageSize: pageSize < 200 ? pageSize : 1000, batchSize: batch)
    }

    /// Waits are recorded, not slept.
    func spoke(folder: String? = nil, waits: Sleeps = Sleeps(), pageSize: Int = 200, batch: Int = 20) -> GraphSpoke {
        let s = settings(folder: folder, pageSize: pageSize, batch: batch)
        let plain = HTTPClient(transport: AHCTransport.shared())
        let source = GraphTokenSource(refreshToken: nil, settings: s, http: plain)
        let http = HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: RetryPolicy(random: { 1 }),
                              sleep: waits.sleeper)
        return GraphSpoke(settings: s, http: http)
    }

    // Another client (Outlook, a phone) editing the mailbox.
    @discardableResult
    func add(_ given: String, email: String? = nil, folder: String? = nil) throws -> GraphContactRecord {
        var f: [String: JSONValue] = ["givenName": .string(given), "surname": "Test", "displayName": .string("\(given) Test")]
        if let email { f["emailAddresses"] = .array([.object(["address": .string(email), "name": .string(given)])]) }
        return try emulator.createContact(in: upn, fields: f, folder: folder)
    }
    func contacts() throws -> [GraphContactRecord] { try emulator.contacts(in: upn) }
    func record(_ given: String) throws -> GraphContactRecord? { try contacts().first { $0.givenName == given } }
}
