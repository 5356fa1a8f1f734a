import ConnectorGoogle
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import Synchronization
import TestSupport

/// A running People API emulator with one account, and spokes signed in to it.
struct Google {
    static let email = "ann@example.com"
    static let clientID = "hubsync-test.apps.googleusercontent.com"
    static let secret = "client-secret"
    let emulator: PeopleEmulator
    let base: URL

    static func start() async throws -> Google {
        let emulator = PeopleEmulator()
        emulator.addAccount(email: email, clientID: clientID, clientSecret: secret)
        return Google(emulator: emulator, base: try await emulator.start())
    }

    func stop() async { await emulator.stop() }

    var settings: GoogleSettings { .emulator(base, clientID: Self.clientID, clientSecret: Self.secret) }

    /// Waits are recorded, not slept, and move the emulator's clock (its quotas are per minute).
    func sleeper(_ waits: Sleeps) -> @Sendable (Duration) async throws -> Void {
        let emulator = self.emulator
        return { d in
            waits.record(d)
            emulator.advanceClock(by: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
    }

    /// Plain HTTP (the token endpoint).
    func plainClient(_ waits: Sleeps = Sleeps()) -> ConnectorHTTPClient {
        ConnectorHTTPClient(
            transport: AHCTransport.shared(), retry: GoogleSpoke.retryPolicy(RetryPolicy(random: { 1 })),
            sleep: sleeper(waits))
    }

    func tokenSource(_ tokens: GoogleTokens? = nil, rotated: Rotations = Rotations()) -> GoogleTokenSource {
        let issued = emulator.issueTokens(for: Self.email)
        return GoogleTokenSource(
            tokens: tokens ?? GoogleTokens(accessToken: issued.access, refreshToken: issued.refresh,
                                           expiresAt: Date().addingTimeInterval(3000)),
            settings: settings, http: plainClient(), onRotate: { rotated.record($0) })
    }

    func spoke(source: GoogleTokenSource? = nil, waits: Sleeps = Sleeps(), pageSize: Int = 1000, batch: Int = 200,
               perMinute: Int = 1000) -> GoogleSpoke {
        var s = settings
        s.pageSize = pageSize
        s.batchSize = batch
        let http = ConnectorHTTPClient(
            transport: AHCTransport.shared(), auth: (source ?? tokenSource()).auth,
            retry: GoogleSpoke.retryPolicy(RetryPolicy(random: { 1 })),
            sleep: sleeper(waits))
        return GoogleSpoke(settings: s, http: http, requestsPerMinute: perMinute)
    }

    // Another client (a phone, the Gmail UI) editing the account.
    @discardableResult
    func add(_ given: String, _ family: String = "Test", email: String? = nil) throws -> PeopleContactRecord {
        try emulator.createContact(in: Self.email, givenName: given, familyName: family, emailAddress: email)
    }
    func contacts() throws -> [PeopleContactRecord] { try emulator.contacts(in: Self.email) }
    func record(_ given: String) throws -> PeopleContactRecord? { try contacts().first { $0.givenName == given } }
}

final class Rotations: Sendable {
    private let all_ = Mutex<[GoogleTokens]>([])
    func record(_ t: GoogleTokens) { all_.withLock { $0.append(t) } }
    var all: [GoogleTokens] { all_.withLock { $0 } }
}
