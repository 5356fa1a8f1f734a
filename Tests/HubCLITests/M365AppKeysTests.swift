import ConnectorGraph
import ConnectorHTTP
import Foundation
import HubServer
import Secrets
import SyncModel
import Testing
@testable import HubCLI

/// The app identity keys of Microsoft 365 spokes, written and read in one place (`M365App`):
/// settings stored by the four writers before it read as they did.
@Suite struct M365AppKeysTests {
    let box: SecretBox
    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-m365app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        box = try SecretBox.load(keyFile: dir.appendingPathComponent("hubsync.key"), environment: [:])
    }

    /// What every writer stored for the app, as spelled out before `M365App`.
    func old(tenant: String? = "contoso.example", secret: String?) throws -> [String: String] {
        var s = ["m365.clientID": "app-1", "m365.authority": "http://127.0.0.1:9/", "m365.graph": "http://127.0.0.1:9/v1.0"]
        if let tenant { s["m365.tenant"] = tenant }
        if let secret { s["m365.clientSecret"] = try box.seal(secret) }
        return s
    }

    @Test func theWriterStoresTheKeysTheOldWritersDid() throws {
        let app = GraphSettings(tenant: "contoso.example", clientID: "app-1", clientSecret: "s3cret",
                                authorityBase: URL(string: "http://127.0.0.1:9/")!, graphBase: URL(string: "http://127.0.0.1:9/v1.0")!)
        let keys = try M365App.keys(app, secrets: box)
        #expect(Set(keys.keys) == Set(try old(secret: "x").keys))
        #expect(keys.filter { $0.key != M365App.secretKey } == (try old(secret: nil)))
        #expect(try box.open(#require(keys[M365App.secretKey])) == "s3cret")
        var delegated = app
        delegated.clientSecret = nil
        #expect(try M365App.keys(delegated, secrets: box) == (try old(secret: nil)))
    }

    @Test func oldFormsReadAsBefore() throws {
        // Directory and group spokes sealed "" for a missing secret: it still reads as "".
        var directory = try old(secret: "")
        directory["directory.exclude"] = "ceo@contoso.example"
        let d = try DirectorySetup.appSettings(directory, secrets: { box }, mailbox: "ann@contoso.example")
        #expect(d.tenant == "contoso.example" && d.clientID == "app-1" && d.clientSecret == "" && d.mailbox == "ann@contoso.example")
        #expect(d.authorityBase.absoluteString == "http://127.0.0.1:9/" && d.graphBase.absoluteString == "http://127.0.0.1:9/v1.0")
        // App-only without a tenant or a secret was refused, and still is.
        #expect(throws: CLIError.self) { try DirectorySetup.appSettings(try old(tenant: nil, secret: "s"), secrets: { box }) }
        #expect(throws: CLIError.self) { try DirectorySetup.appSettings(try old(secret: nil), secrets: { box }) }

        // A delegated spoke (no secret): its tenant, or `organizations` when none was stored.
        let delegated = try #require(try M365App.read(try old(tenant: nil, secret: nil), secrets: { box }))
        #expect(delegated.tenant == "organizations" && delegated.clientSecret == nil && delegated.mailbox == nil && delegated.folderID == nil)
        #expect(try M365App.read(try old(secret: "s3cret"), secrets: { box })?.clientSecret == "s3cret")
        var incomplete = try old(secret: nil)
        incomplete["m365.graph"] = nil
        #expect(try M365App.read(incomplete, secrets: { box }) == nil)

        // A spoke's connector from the old form: app-only with its mailbox, or signed in.
        var member = try old(secret: "s3cret")
        member["m365.mailbox"] = "ann@contoso.example"
        member["m365.folder"] = "F1"
        let spoke = SpokeConfig(id: SpokeID("ann"), hub: HubID("h"), name: "Ann", kind: .graph, position: 0,
                                settings: member)
        _ = try M365Setup.connector(spoke, secrets: { box }, logger: HTTPClient.silent) { _, _ in }
        var unsigned = spoke
        unsigned.settings["m365.mailbox"] = nil
        #expect(throws: CLIError.self) { try M365Setup.connector(unsigned, secrets: { box }, logger: HTTPClient.silent) { _, _ in } }
    }
}
