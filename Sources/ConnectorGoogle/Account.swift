import ConnectorHTTP
import Foundation

extension GoogleOAuth {
    /// The address of the account a sign-in reached (`people/me`), to show which account a spoke
    /// syncs. Best effort: nil when Google does not say (the contacts scope alone may not cover
    /// the profile), never an error, as the sign-in itself worked.
    public static func account(accessToken: String, _ settings: GoogleSettings, http: ConnectorHTTPClient) async -> String? {
        var c = URLComponents(url: settings.apiBase.appendingPathComponent("v1/people/me"), resolvingAgainstBaseURL: false)!
        c.queryItems = [URLQueryItem(name: "personFields", value: "emailAddresses")]
        var request = HTTPRequest(.get, c.url!)
        request.setHeader("Authorization", "Bearer \(accessToken)")
        request.setHeader("Accept", "application/json")
        guard let response = try? await http.send(request), response.isSuccess,
            let me = try? BoundedJSON.decode(Person.self, from: response.body)
        else { return nil }
        return me.emailAddresses?.compactMap(\.value).first
    }
}
