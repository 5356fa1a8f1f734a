import Foundation

/// Where Microsoft Graph and the identity platform are, which app signs in, and which mailbox
/// and folder the spoke syncs. Endpoints are settings so tests and the demo point them at the
/// emulator.
public struct GraphSettings: Sendable, Hashable {
    /// The identity platform (`https://login.microsoftonline.com`); `{tenant}/oauth2/v2.0/…` below it.
    public var authorityBase: URL
    /// Graph's root (`https://graph.microsoft.com/v1.0`).
    public var graphBase: URL
    /// A tenant id or domain, or `common`/`organizations` for delegated sign-in.
    public var tenant: String
    public var clientID: String
    public var clientSecret: String?
    /// App-only: the mailbox (`/users/{id}`); delegated: nil, the signed-in user (`/me`).
    public var mailbox: String?
    /// The contacts folder: nil is the mailbox's default Contacts folder.
    public var folderID: String?
    /// `Prefer: odata.maxpagesize` for delta (Graph gives at most 200 contacts a page).
    public var pageSize: Int
    /// `$top` of a plain listing, which reads whole items with their extended properties (≤ 1000).
    public var listPageSize: Int
    /// Requests per `$batch` (Graph allows 20).
    public var batchSize: Int
    /// Listing pages fetched together in one `$batch` on a first sync (≤ `batchSize`): fewer
    /// round trips, at the cost of holding that many pages at once (5 × 1,000 contacts).
    public var listPagesPerBatch: Int
    /// Graph's per app and mailbox budget: 10,000 requests in 10 minutes.
    public var requestsPerWindow: Int
    public var window: TimeInterval

    public static let microsoftAuthority = URL(string: "https://login.microsoftonline.com")!
    public static let microsoftGraph = URL(string: "https://graph.microsoft.com/v1.0")!
    /// Delegated: a refresh token (`offline_access`), the user's name, their contacts.
    public static let delegatedScope = "offline_access User.Read Contacts.ReadWrite"
    /// App-only: the permissions an admin consented to; any other scope is refused (AADSTS1002012).
    public static let appScope = "https://graph.microsoft.com/.default"

    public init(
        tenant: String = "common", clientID: String, clientSecret: String? = nil, mailbox: String? = nil,
        folderID: String? = nil, authorityBase: URL = microsoftAuthority, graphBase: URL = microsoftGraph,
        pageSize: Int = 200, listPageSize: Int = 1000, batchSize: Int = 20, listPagesPerBatch: Int = 5,
        requestsPerWindow: Int = 10_000, window: TimeInterval = 600
    ) {
        self.tenant = tenant
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.mailbox = mailbox
        self.folderID = folderID
        self.authorityBase = authorityBase
        self.graphBase = graphBase
        self.pageSize = min(max(pageSize, 1), 1000)
        self.listPageSize = min(max(listPageSize, 1), 1000)
        self.batchSize = min(max(batchSize, 1), 20)
        self.listPagesPerBatch = min(max(listPagesPerBatch, 1), self.batchSize)
        self.requestsPerWindow = max(requestsPerWindow, 1)
        self.window = window
    }

    /// App-only sign-in (client credentials) reaches mailboxes by id; it has no `/me`.
    public var appOnly: Bool { mailbox != nil }

    public var authorizationURL: URL { authorityBase.appendingPathComponent("\(tenant)/oauth2/v2.0/authorize") }
    public var tokenURL: URL { authorityBase.appendingPathComponent("\(tenant)/oauth2/v2.0/token") }

    /// `me` or `users/{id}`, relative to `graphBase`.
    var root: String {
        guard let mailbox else { return "me" }
        return "users/" + (mailbox.addingPercentEncoding(withAllowedCharacters: .graphSegment) ?? mailbox)
    }

    /// The folder's contacts collection, relative to `graphBase`.
    var contactsPath: String {
        guard let folderID else { return root + "/contacts" }
        return root + "/contactFolders/" + Self.segment(folderID) + "/contacts"
    }

    static func segment(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .graphSegment) ?? s }

    /// The admin-consent page an administrator opens once so the app may reach every mailbox.
    public static func adminConsentURL(tenant: String, clientID: String, authorityBase: URL = microsoftAuthority) -> URL {
        var c = URLComponents(url: authorityBase.appendingPathComponent("\(tenant)/adminconsent"), resolvingAgainstBaseURL: false)!
        c.queryItems = [URLQueryItem(name: "client_id", value: clientID)]
        return c.url!
    }
}

extension CharacterSet {
    /// Path segment characters Graph ids and UPNs use as they are (ids hold `-`, `_`, `=`; UPNs `@`, `.`).
    static let graphSegment: CharacterSet = {
        var s = CharacterSet.alphanumerics
        s.insert(charactersIn: "-._~@=")
        return s
    }()
}
