import Foundation

/// Where the People API and Google's OAuth endpoints are, and the app's OAuth client. Endpoints
/// are settings so tests (and the demo) point them at the emulator.
public struct GoogleSettings: Sendable, Hashable {
    public var apiBase: URL
    public var tokenURL: URL
    public var authorizationURL: URL
    public var clientID: String
    public var clientSecret: String?
    /// connections.list pageSize (Google allows up to 1,000).
    public var pageSize: Int
    /// Contacts per batchCreate/batchUpdate (Google allows 200) and batchGet.
    public var batchSize: Int

    public static let googleAPI = URL(string: "https://people.googleapis.com")!
    public static let googleToken = URL(string: "https://oauth2.googleapis.com/token")!
    public static let googleAuthorization = URL(string: "https://accounts.google.com/o/oauth2/v2/auth")!
    public static let scope = "https://www.googleapis.com/auth/contacts"

    public init(
        clientID: String, clientSecret: String? = nil, apiBase: URL = googleAPI, tokenURL: URL = googleToken,
        authorizationURL: URL = googleAuthorization, pageSize: Int = 1000, batchSize: Int = 200
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.apiBase = apiBase
        self.tokenURL = tokenURL
        self.authorizationURL = authorizationURL
        self.pageSize = min(max(pageSize, 1), 1000)
        self.batchSize = min(max(batchSize, 1), 200)
    }

    /// The same endpoints under one base URL, as the emulator serves them.
    public static func emulator(_ base: URL, clientID: String, clientSecret: String?) -> GoogleSettings {
        GoogleSettings(
            clientID: clientID, clientSecret: clientSecret, apiBase: base, tokenURL: base.appendingPathComponent("token"),
            authorizationURL: base.appendingPathComponent("o/oauth2/v2/auth"))
    }
}
