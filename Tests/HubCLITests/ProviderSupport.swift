import Foundation
import HubServer
import Secrets
import SyncModel
import SyncStoreSQLite
import TestSupport
import Testing
@testable import HubCLI

extension CLI {
    /// The key `hubsync` commands on this database use (made on first use).
    func secrets() throws -> SecretBox { try SecretBox.load(keyFile: dir.appendingPathComponent("hubsync.key")) }

    /// The web app's provider on this CLI's database and key.
    func provider(googleClientID: String? = nil, googleClientSecret: String? = nil, googleEndpoint: URL? = nil,
                  m365Authority: URL? = nil, m365Graph: URL? = nil, autodiscover: [URL]? = nil) throws -> ConnectorProvider {
        try ConnectorProvider(
            store: try SQLiteStore(path: db), secrets: try secrets(), googleClientID: googleClientID,
            googleClientSecret: googleClientSecret, googleEndpoint: googleEndpoint, m365Authority: m365Authority,
            m365Graph: m365Graph, autodiscover: autodiscover)
    }

    /// The settings `spoke add` stored for a spoke.
    func storedSettings(hub: String, spoke: String) throws -> [String: String] {
        let store = try SQLiteStore(path: db)
        return try #require(try store.spokes(hub: HubID(hub)).first { $0.id == SpokeID(spoke) }).settings
    }
}

/// The field a setup step blames, or "none" when it did not fail with a SetupError.
func blamedField(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return "none"
    } catch let e as SetupError {
        return e.field
    } catch {
        return "not a SetupError: \(error)"
    }
}

/// The SetupError a setup step fails with.
func setupError(_ body: () async throws -> Void) async -> SetupError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? SetupError
    }
}

/// Stored settings compared as the web app and the CLI make them: secrets are sealed with a
/// fresh nonce each time, so they are compared opened.
func expectSameSettings(_ a: [String: String], _ b: [String: String], secrets: SecretBox,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(Set(a.keys) == Set(b.keys), sourceLocation: sourceLocation)
    for (key, value) in a {
        if value.hasPrefix("enc:") {
            #expect(try secrets.open(value) == (try b[key].map { try secrets.open($0) }), "\(key)", sourceLocation: sourceLocation)
        } else {
            #expect(value == b[key], "\(key)", sourceLocation: sourceLocation)
        }
    }
}

/// A TCP port with nothing listening on it.
func closedPort() throws -> Int { try ServerProcess.freePort() }
