import Crypto
import Foundation
@testable import HubServer
import SyncModel
import SyncStore
import Testing

/// The token lifecycle, pure of HTTP: what is stored, expiry by the injected clock, one use,
/// the invited account only, revocation.
struct InvitationServiceTests {
    let store = MemoryStore()
    let clock = TestClock()
    var service: InvitationService { InvitationService(store: store, clock: clock.clock) }

    @Test func storesTheHashNeverTheToken() throws {
        let (invitation, token) = try service.create(kind: .google, email: " Pat@Example.com ", organisation: "Example", by: "admin")
        #expect(token.count == 43)  // 256 random bits
        let stored = try #require(try store.invitation(id: invitation.id))
        let expected = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(stored.tokenHash == expected)
        #expect(stored.tokenHash != token && !stored.tokenHash.contains(token))
        #expect(stored.email == "Pat@Example.com")
        #expect(stored.expiresAt == clock.now.addingTimeInterval(7 * 86400))
        #expect(try service.invitation(token: token)?.id == invitation.id)
        #expect(try service.invitation(token: String(token.dropLast()) + "A") == nil || token.hasSuffix("A"))
        // Two invitations never share a token.
        let (_, other) = try service.create(kind: .google, email: "pat@example.com", organisation: "Example", by: "admin")
        #expect(other != token)
    }

    @Test func expiresByTheClock() throws {
        let (invitation, _) = try service.create(kind: .google, email: "pat@example.com", organisation: "E", by: "admin", lifetime: 3600)
        clock.advance(3599)
        #expect(service.status(try #require(try store.invitation(id: invitation.id))) == .pending)
        clock.advance(1)
        #expect(service.status(try #require(try store.invitation(id: invitation.id))) == .expired)
        #expect(try service.accept(id: invitation.id, account: "pat@example.com", settings: ["t": "x"]) == .expired)
        #expect(try store.invitation(id: invitation.id)?.settings == nil)
    }

    @Test func acceptedOnceByTheInvitedAccountOnly() throws {
        let (invitation, _) = try service.create(kind: .google, email: "pat@example.com", organisation: "E", by: "admin")
        #expect(try service.accept(id: invitation.id, account: "mallory@example.com", settings: ["t": "x"]) == .wrongAccount("mallory@example.com"))
        #expect(try service.accept(id: invitation.id, account: nil, settings: ["t": "x"]) == .wrongAccount(nil))
        #expect(try store.invitation(id: invitation.id)?.state == .pending)
        #expect(try store.invitation(id: invitation.id)?.settings == nil)

        guard case .accepted(let accepted) = try service.accept(id: invitation.id, account: "PAT@example.com", settings: ["t": "sealed"])
        else { Issue.record("not accepted"); return }
        #expect(accepted.account == "PAT@example.com" && accepted.acceptedAt == clock.now)
        #expect(try store.invitation(id: invitation.id)?.settings == ["t": "sealed"])
        // The same link again, even by the same account: used.
        #expect(try service.accept(id: invitation.id, account: "pat@example.com", settings: ["t": "other"]) == .used)
        #expect(try store.invitation(id: invitation.id)?.settings == ["t": "sealed"])
        #expect(try service.accept(id: "nope", account: "pat@example.com", settings: [:]) == .unknown)
    }

    @Test func revokedByEitherSideDeletesTheTokensAndPausesItsSources() throws {
        let (invitation, _) = try service.create(kind: .google, email: "pat@example.com", organisation: "E", by: "admin")
        _ = try service.accept(id: invitation.id, account: "pat@example.com", settings: ["google.refreshToken": "enc:v1:x"])
        clock.advance(60)
        let revoked = try #require(try service.revoke(id: invitation.id, by: .invitee))
        #expect(revoked.state == .revoked && revoked.revokedBy == .invitee && revoked.revokedAt == clock.now)
        #expect(try store.invitation(id: invitation.id)?.settings == nil)
        #expect(try service.accept(id: invitation.id, account: "pat@example.com", settings: [:]) == .revoked)
        // Again: unchanged.
        #expect(try service.revoke(id: invitation.id, by: .admin)?.revokedBy == .invitee)
        #expect(try service.revoke(id: "nope", by: .admin) == nil)

        let using = SpokeConfig(
            id: SpokeID("pat"), hub: HubID("h"), name: "Pat", kind: .google, position: 0,
            settings: ["google.refreshToken": "enc:v1:x", "google.account": "pat@example.com", InvitationService.spokeKey: invitation.id])
        let paused = try #require(InvitationService.paused(using, by: revoked))
        #expect(paused.settings["google.refreshToken"] == nil)
        #expect(paused.settings[InvitationService.pausedKey]?.contains("pat@example.com revoked the access") == true)
        var other = using
        other.settings[InvitationService.spokeKey] = "another"
        #expect(InvitationService.paused(other, by: revoked) == nil)

        let (pending, _) = try service.create(kind: .google, email: "sam@example.com", organisation: "E", by: "admin")
        #expect(try service.revoke(id: pending.id, by: .admin)?.state == .revoked)
        #expect(try service.accept(id: pending.id, account: "sam@example.com", settings: [:]) == .revoked)
    }

    @Test func refusesBadAddressesAndLifetimes() throws {
        for bad in ["", "pat", "pat@", "@example.com", "pat@example", "a b@example.com", "pat@example.com\r\nBcc: x@y.z", "<pat@example.com>"] {
            #expect(throws: SetupError.self, "\(bad)") { try service.create(kind: .google, email: bad, organisation: "E", by: "a") }
        }
        #expect(throws: SetupError.self) { try service.create(kind: .google, email: "p@e.com", organisation: "E", by: "a", lifetime: 10) }
        #expect(InvitationService.lifetime("7d") == 604_800.0)
        #expect(InvitationService.lifetime("12h") == 43_200.0)
        #expect(InvitationService.lifetime("30m") == 1800)
        #expect(InvitationService.lifetime("3") == 259_200.0)
        #expect(InvitationService.lifetime("soon") == nil && InvitationService.lifetime("-1d") == nil)
    }
}
