import ConnectorKit

/// How the signed-in account reaches a mailbox that is not its own.
public enum EWSAccess: String, Sendable, Hashable, CaseIterable, Codable {
    /// Full Access or a folder permission: requests name the mailbox in their folder ids.
    case delegate
    /// The ApplicationImpersonation role: every request acts as the mailbox's user.
    case impersonation
}

/// Which Exchange store a spoke syncs: the kinds of source the wizard offers.
public enum EWSSource: Sendable, Hashable {
    /// The signed-in user's own mailbox (what every spoke was before there were kinds).
    case userMailbox
    /// Another user's or a shared mailbox, by its SMTP address.
    case otherMailbox(address: String, access: EWSAccess)
    /// A contacts folder in the public folder tree; public-folder permissions decide what may be written.
    case publicFolder

    /// The kind's name in stored settings, the CLI and the API.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case user, other, `public`
    }

    public var kind: Kind {
        switch self {
        case .userMailbox: .user
        case .otherMailbox: .other
        case .publicFolder: .public
        }
    }

    /// The mailbox requests name (delegate access) or act as (impersonation).
    public var address: String? {
        if case .otherMailbox(let address, _) = self { return address }
        return nil
    }

    // MARK: Stored settings

    static let kindKey = "ews.source", addressKey = "ews.mailbox", accessKey = "ews.access"

    /// A spoke's stored settings: one set up before there were kinds (no key) is a User Mailbox.
    public init(stored: [String: String]) throws {
        guard let raw = stored[Self.kindKey] else {
            self = .userMailbox
            return
        }
        switch Kind(rawValue: raw) {
        case .user: self = .userMailbox
        case .public: self = .publicFolder
        case .other:
            guard let address = stored[Self.addressKey], address.contains("@") else {
                throw ConnectorError(.misconfigured, "the spoke names no mailbox to open; set it up again")
            }
            self = .otherMailbox(address: address, access: stored[Self.accessKey].flatMap(EWSAccess.init(rawValue:)) ?? .delegate)
        case nil:
            throw ConnectorError(.misconfigured, "the spoke's kind of Exchange source '\(raw)' is unknown to this version")
        }
    }

    /// The settings that store this source (the keys `init(stored:)` reads).
    public var stored: [String: String] {
        var s = [Self.kindKey: kind.rawValue]
        if case .otherMailbox(let address, let access) = self {
            s[Self.addressKey] = address
            s[Self.accessKey] = access.rawValue
        }
        return s
    }
}

