import ConnectorGraph
import ConnectorHTTP
import Foundation
import Logging
import Secrets

/// The app-only access token kept between processes, sealed in a spoke's settings with its
/// expiry (as the refresh tokens are), so each CLI sync does not ask Microsoft for a new one:
/// a token lasts an hour or more, and a new one is asked for a minute before it runs out or
/// when Graph refuses it (`GraphTokenSource`).
enum AppTokenCache {
    static let key = "m365.appToken"

    private struct Stored: Codable {
        var token: String
        /// Seconds since 1970.
        var expires: Double
    }

    /// The kept token of these settings, nil when there is none or it does not open (another key).
    static func read(_ settings: [String: String], box: SecretBox) -> GraphTokens? {
        guard let sealed = settings[key], let json = try? box.open(sealed),
            let t = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)), !t.token.isEmpty
        else { return nil }
        return GraphTokens(accessToken: t.token, refreshToken: nil, expiresAt: Date(timeIntervalSince1970: t.expires))
    }

    /// The token sealed for `read`.
    static func sealed(_ t: GraphTokens, box: SecretBox) -> String? {
        guard let json = try? JSONEncoder().encode(Stored(token: t.accessToken, expires: t.expiresAt.timeIntervalSince1970)) else {
            return nil
        }
        return try? box.seal(String(decoding: json, as: UTF8.self))
    }

    /// An app-only token source that starts from the kept token and hands each new one, sealed,
    /// to `store` (the spoke's settings key and value).
    static func source(
        _ settings: GraphSettings, kept: [String: String], box: SecretBox, logger: Logger,
        store: @escaping @Sendable (_ key: String, _ sealed: String) -> Void
    ) -> GraphTokenSource {
        let start = read(kept, box: box) ?? GraphTokens(accessToken: "", refreshToken: nil, expiresAt: .distantPast)
        return GraphTokenSource(tokens: start, settings: settings, http: M365Setup.client(logger: logger), onAppToken: { fresh in
            if let s = sealed(fresh, box: box) { store(key, s) }
        })
    }
}
