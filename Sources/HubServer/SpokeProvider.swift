import Foundation
import ConnectorKit
import SyncEngine
import SyncModel

/// What the wizard's settings step sends for a new spoke. Which fields a kind reads is said by
/// its `SpokeKindInfo.fields`; the others are ignored.
public struct SpokeForm: Codable, Sendable, Hashable {
    /// Server, account or address book URL (CardDAV, Exchange).
    public var url: String?
    public var user: String?
    public var password: String?
    /// Exchange: the mailbox address, to find the server by Autodiscover when no URL is given.
    public var email: String?
    /// Exchange: "2010sp2", "2013" or "2016".
    public var version: String?
    /// Folder spokes: the directory of .vcf files.
    public var path: String?
    /// Off only for a self-signed server on a network the admin trusts.
    public var verifyTLS: Bool?
    /// Microsoft 365 app-only: the tenant (id or domain), the app's client id and secret (the
    /// mailbox goes in `email`).
    public var tenant: String?
    public var clientID: String?
    public var clientSecret: String?
    /// Exchange: the kind of source ("user", "other", "public"), and for another user's or a
    /// shared mailbox its address and the way in ("delegate" or "impersonation").
    public var mailboxKind: String?
    public var mailbox: String?
    public var access: String?
    /// Google, Microsoft 365: the id of a finished "Sign in with Google/Microsoft" (`POST /api/spoke-kinds/{kind}/sign-in`).
    public var signIn: String?
    /// Google, Microsoft 365: the id of an accepted invitation, whose account the source uses.
    public var invitation: String?
    /// Filled by the server from a finished sign-in, never by the client: the sealed settings
    /// the sign-in produced (tokens already encrypted).
    public var signedIn: [String: String]?

    public init(
        url: String? = nil, user: String? = nil, password: String? = nil, email: String? = nil,
        version: String? = nil, path: String? = nil, verifyTLS: Bool? = nil, signIn: String? = nil,
        signedIn: [String: String]? = nil
    ) {
        self.url = url
        self.user = user
        self.password = password
        self.email = email
        self.version = version
        self.path = path
        self.verifyTLS = verifyTLS
        self.signIn = signIn
        self.signedIn = signedIn
    }
}

/// A folder or address book a source offers: what the wizard's "pick the folder" step lists.
public struct SourceFolder: Codable, Sendable, Hashable {
    /// What `settings(_:_:folder:)` takes back: a folder id or an address book URL.
    public var id: String
    public var name: String
    /// Where it sits (a folder path, a URL), when that helps to tell folders apart.
    public var detail: String?
    public var count: Int?
    public var isDefault: Bool
    /// The account may only read it (a read-only public folder): the hub's changes are refused there.
    public var readOnly: Bool?
    public init(id: String, name: String, detail: String? = nil, count: Int? = nil, isDefault: Bool = false, readOnly: Bool? = nil) {
        self.id = id
        self.name = name
        self.detail = detail
        self.count = count
        self.isDefault = isDefault
        self.readOnly = readOnly
    }
}

/// What checking a spoke's settings found.
public struct Discovery: Codable, Sendable, Hashable {
    /// The endpoint the settings led to (an Autodiscovered EWS URL, say), to show the admin.
    public var endpoint: String?
    /// The signed-in account, when the source says (Google).
    public var account: String?
    public var folders: [SourceFolder]
    public init(endpoint: String? = nil, account: String? = nil, folders: [SourceFolder]) {
        self.endpoint = endpoint
        self.account = account
        self.folders = folders
    }
}

/// One input of a spoke kind's settings form.
public struct FormField: Codable, Sendable, Hashable {
    public enum InputType: String, Codable, Sendable { case text, url, email, password, select, checkbox }
    /// A `SpokeForm` property name.
    public var name: String
    public var label: String
    public var type: InputType
    public var required: Bool
    public var help: String?
    /// For `select`: (value, label) pairs.
    public var choices: [Choice]?
    public var placeholder: String?
    /// Shown (and sent, and required) only while another field has one of some values.
    public var shownWhen: Condition?
    public struct Condition: Codable, Sendable, Hashable {
        public var field: String
        public var values: [String]
        public init(_ field: String, _ values: [String]) {
            self.field = field
            self.values = values
        }
    }
    public struct Choice: Codable, Sendable, Hashable {
        public var value: String
        public var label: String
        public init(_ value: String, _ label: String) {
            self.value = value
            self.label = label
        }
    }
    public init(
        name: String, label: String, type: InputType = .text, required: Bool = false, help: String? = nil,
        choices: [Choice]? = nil, placeholder: String? = nil, shownWhen: Condition? = nil
    ) {
        self.shownWhen = shownWhen
        self.name = name
        self.label = label
        self.type = type
        self.required = required
        self.help = help
        self.choices = choices
        self.placeholder = placeholder
    }
}

/// A kind of spoke as the wizard offers it.
public struct SpokeKindInfo: Codable, Sendable, Hashable {
    public var kind: SpokeKind
    public var name: String
    public var summary: String
    /// False: shown as "coming", not selectable.
    public var available: Bool
    public var fields: [FormField]
    /// "google" or "microsoft" when the kind signs in with OAuth instead of a password.
    public var signIn: String?
    /// The source's own fields a field mapping may name besides the standard ones
    /// (`custom.OfficeLocation`).
    public var customFields: [String]
    /// Values that work against the demo's local emulators, to fill the form with one click.
    public var demo: SpokeForm?
    /// What the kind holds: the wizard offers a calendar hub the calendar kinds only.
    public var object: SyncModel.ObjectKind
    public init(
        kind: SpokeKind, name: String, summary: String, available: Bool = true, fields: [FormField] = [],
        signIn: String? = nil, customFields: [String] = [], demo: SpokeForm? = nil
    ) {
        self.kind = kind
        self.name = name
        self.summary = summary
        self.available = available
        self.fields = fields
        self.signIn = signIn
        self.customFields = customFields
        self.demo = demo
        self.object = kind.objectKind
    }
}

/// A setup step that failed, with the form field to blame when there is one (live validation
/// puts the message next to that input).
public struct SetupError: Error, Sendable, CustomStringConvertible {
    public var field: String?
    public var message: String
    public init(field: String? = nil, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { message }
}

/// The server's boundary to the connectors, implemented by the composition root (HubCLI): the
/// server never imports a concrete connector. Errors meant for the admin are `SetupError`s.
public protocol SpokeProvider: Sendable {
    /// The kinds of the wizard's "choose the spoke type" step, in order.
    var kinds: [SpokeKindInfo] { get }

    /// Checks the settings against the source (credentials, URL, version, TLS) and lists the
    /// folders or address books there.
    func discover(_ kind: SpokeKind, _ form: SpokeForm) async throws -> Discovery

    /// The settings stored with a new spoke, secrets sealed, for the folder chosen (nil: the default).
    func settings(_ kind: SpokeKind, _ form: SpokeForm, folder: String?) async throws -> [String: String]

    /// A stored spoke's settings with a new password sealed in.
    func changingPassword(_ spoke: SpokeConfig, to password: String) throws -> [String: String]

    /// The live connector of a configured spoke.
    func connector(for spoke: SpokeConfig) throws -> any SpokeConnector

    /// The live connector of a configured calendar spoke (a hub of calendar events).
    func calendarConnector(for spoke: SpokeConfig) throws -> any ItemConnector<Event>

    /// OAuth sign-in (kinds with `signIn`): the authorization URL to send the browser to, and the
    /// PKCE verifier to keep until the answer comes back to `redirectURI`.
    func beginSignIn(_ kind: SpokeKind, redirectURI: URL, state: String) throws -> (url: URL, verifier: String)

    /// Redeems the authorization code: the settings to store with the spoke (tokens sealed), and
    /// the account signed in to, when known.
    func finishSignIn(_ kind: SpokeKind, code: String, verifier: String, redirectURI: URL) async throws
        -> (settings: [String: String], account: String?)

    /// The settings safe to show (URL, user, folder name; never a secret).
    func describe(_ spoke: SpokeConfig) -> [String: String]

    /// Moving a spoke to another kind for the same source (an Exchange Online spoke from EWS to
    /// Microsoft 365): the new configuration and its links' ids as the new connector knows them.
    /// Talks to the source only; the switch itself is the engine's, under the hub's lock.
    func migration(_ spoke: SpokeConfig, to kind: SpokeKind, _ form: SpokeForm) async throws -> ConnectorSwitch
}

extension SpokeProvider {
    public func calendarConnector(for spoke: SpokeConfig) throws -> any ItemConnector<Event> {
        throw SetupError("This server cannot sync calendar sources.")
    }

    public func migration(_ spoke: SpokeConfig, to kind: SpokeKind, _ form: SpokeForm) async throws -> ConnectorSwitch {
        throw SetupError(field: "kind", "This server cannot move sources between kinds.")
    }
}

extension SpokeProvider {
    /// Checks that a new spoke's connector can be made (of whichever kind of item it holds).
    public func checkConnector(for spoke: SpokeConfig) throws {
        switch spoke.kind.objectKind {
        case .contacts: _ = try connector(for: spoke)
        case .calendar: _ = try calendarConnector(for: spoke)
        }
    }
}
