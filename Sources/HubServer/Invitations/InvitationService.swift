import Crypto
import Foundation
import SyncModel
import SyncStore

/// Invitations' lifecycle, for the web app and the CLI alike: a random link token (256 bits)
/// whose SHA-256 alone is stored, bound to the invited address and kind, used once, expiring
/// (7 days unless told), revocable by the admin and by the invitee. The clock is injected.
public struct InvitationService: Sendable {
    let store: any InvitationStore
    let clock: @Sendable () -> Date

    public static let defaultLifetime: TimeInterval = 7 * 24 * 3600
    /// A link lives 5 minutes to 90 days.
    static let lifetimes: ClosedRange<TimeInterval> = 300...(90 * 24 * 3600)

    /// Spoke settings: the invitation whose account the spoke uses; and, once that access was
    /// revoked, why the spoke is paused.
    public static let spokeKey = "invitation"
    public static let pausedKey = "invitation.paused"
    /// The invitee's secrets a spoke holds, dropped when the access is revoked.
    static let tokenKeys = ["google.refreshToken", "m365.refreshToken", "m365.accessToken"]

    public init(store: any InvitationStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// What a sign-in of an invitation came to.
    public enum Acceptance: Sendable, Equatable {
        case accepted(Invitation)
        case unknown, expired, revoked, used
        /// Another account than the invited one signed in (nil: the provider did not say which).
        case wrongAccount(String?)
    }

    /// A new invitation and its link's token (shown once: only its hash is kept).
    public func create(
        kind: InvitationKind, email: String, organisation: String, by admin: String,
        lifetime: TimeInterval = defaultLifetime
    ) throws -> (invitation: Invitation, token: String) {
        let address = try Self.validEmail(email)
        guard Self.lifetimes.contains(lifetime) else {
            throw SetupError(field: "expiresIn", InvitationWords.lifetime)
        }
        let token = Token.random()
        let now = clock()
        let invitation = Invitation(
            id: Self.newID(), kind: kind, email: address, tokenHash: Self.hash(token), organisation: organisation,
            createdBy: admin, createdAt: now, expiresAt: now.addingTimeInterval(lifetime))
        try store.insertInvitation(invitation)
        return (invitation, token)
    }

    public func list() throws -> [Invitation] { try store.invitations() }

    public func invitation(id: String) throws -> Invitation? { try store.invitation(id: id) }

    /// The invitation a link's token opens (nil: none).
    public func invitation(token: String) throws -> Invitation? {
        guard Self.plausible(token) else { return nil }
        return try store.invitation(tokenHash: Self.hash(token))
    }

    public func status(_ invitation: Invitation) -> InvitationStatus { invitation.status(at: clock()) }

    /// Whether a sign-in may start for this invitation; nil when it may.
    public func refusal(_ invitation: Invitation?) -> Acceptance? {
        guard let invitation else { return .unknown }
        switch status(invitation) {
        case .pending: return nil
        case .expired: return .expired
        case .revoked: return .revoked
        case .accepted: return .used
        }
    }

    /// Stores the signed-in account's sealed settings, once, when the account is the invited one
    /// and the invitation still pending; else says why not, and stores nothing.
    public func accept(id: String, account: String?, settings: [String: String]) throws -> Acceptance {
        let found = try store.invitation(id: id)
        if let refusal = refusal(found) { return refusal }
        guard var invitation = found else { return .unknown }
        guard let account, Self.same(account, invitation.email) else { return .wrongAccount(account) }
        invitation.state = .accepted
        invitation.acceptedAt = clock()
        invitation.account = account
        invitation.settings = settings
        guard try store.replaceInvitation(invitation, ifState: .pending) else {
            // Another sign-in of the same link won meanwhile.
            return refusal(try store.invitation(id: id)) ?? .used
        }
        return .accepted(invitation)
    }

    /// Ends the invitation (pending or accepted): its sealed tokens are deleted. Nil when there
    /// is no such invitation; the invitation as it is when it was revoked already.
    public func revoke(id: String, by who: InvitationRevoker) throws -> Invitation? {
        for _ in 0..<3 {
            guard var invitation = try store.invitation(id: id) else { return nil }
            guard invitation.state != .revoked else { return invitation }
            let was = invitation.state
            invitation.state = .revoked
            invitation.revokedAt = clock()
            invitation.revokedBy = who
            invitation.settings = nil
            if try store.replaceInvitation(invitation, ifState: was) { return invitation }
        }
        throw SetupError("the invitation changed while it was being revoked; try again")
    }

    /// A spoke that used a revoked invitation's account: its tokens gone, paused with a reason
    /// the admin reads. Nil when the spoke does not use that invitation.
    public static func paused(_ spoke: SpokeConfig, by invitation: Invitation) -> SpokeConfig? {
        guard spoke.settings[spokeKey] == invitation.id else { return nil }
        var s = spoke
        for key in tokenKeys { s.settings[key] = nil }
        let who = invitation.revokedBy == .invitee ? "\(invitation.account ?? invitation.email) revoked the access they had granted"
            : "the invitation of \(invitation.email) was revoked"
        let when = ISO8601DateFormatter().string(from: invitation.revokedAt ?? Date())
        s.settings[pausedKey] = "\(who) (\(when)); invite them again, then add the source anew"
        return s
    }

    // MARK: Pieces

    /// Hex SHA-256 of a link's token: what the store keeps.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The link of a token, under the server's public address.
    public static func link(base: String, token: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/invite/" + token
    }

    /// A token as `Token.random` makes them (43 URL-safe characters); anything else is not looked up.
    static func plausible(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }

    static func newID() -> String { Token.readable(10) }

    static func same(_ a: String, _ b: String) -> Bool {
        a.trimmingCharacters(in: .whitespaces).lowercased() == b.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// One plain address: it goes into a mail header and onto pages.
    static func validEmail(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = Set("<>,;:\"()[]\\ \t")
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: { forbidden.contains($0) }),
            !DisplayText.hasControls(email), email.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else { throw SetupError(field: "email", InvitationWords.badEmail) }
        return email
    }

    /// "7d", "12h", "30m" (or a number of days): seconds; nil when it is none of those.
    public static func lifetime(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = t.last else { return nil }
        let scale: Double? = switch unit {
        case "d": 86400
        case "h": 3600
        case "m": 60
        default: nil
        }
        if let scale, let n = Double(t.dropLast()), n > 0, n.isFinite { return n * scale }
        if let n = Double(t), n > 0, n.isFinite { return n * 86400 }
        return nil
    }
}
