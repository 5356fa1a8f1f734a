import ConnectorKit
import Foundation

/// The token endpoint of OAuth 2.0 (RFC 6749 §4.1.3, §4.4, §6), as Google and the Microsoft
/// identity platform both speak it: a form POST, a JSON answer, the error shape of §5.2.
public enum OAuthToken {
    public struct Answer: Decodable, Sendable {
        public var access_token: String
        public var refresh_token: String?
        public var expires_in: Int?
    }

    struct Failure: Decodable {
        var error: String
        var error_description: String?
    }

    /// Posts `form` to `url`; `provider` names the service in errors ("Google", "Microsoft").
    /// A refused grant or client is `.unauthorized` (sign in again / fix the client), never
    /// retried; the `error_description` (AADSTS codes) is kept, it says which consent is missing.
    public static func post(
        _ url: URL, _ form: [(String, String)], provider: String, http: HTTPClient
    ) async throws -> Answer {
        var request = HTTPRequest(.post, url, body: Data(formEncoded(form).utf8))
        request.setHeader("Content-Type", "application/x-www-form-urlencoded")
        request.setHeader("Accept", "application/json")
        let response = try await http.send(request)
        do {
            return try answer(response, provider: provider)
        } catch let e as ConnectorError {
            throw e.at(server: ServerName.of(url), request: HTTPClient.requestName(request))
        }
    }

    private static func answer(_ response: HTTPResponse, provider: String) throws -> Answer {
        if response.isSuccess {
            do {
                return try BoundedJSON.decode(Answer.self, from: response.body)
            } catch {
                throw ConnectorError(.protocolViolation, "\(provider)'s token service sent an answer that could not be read "
                    + "(\(error.reason))")
            }
        }
        let error = try? BoundedJSON.decode(Failure.self, from: response.body)
        let detail = error?.error_description.map { ": " + String($0.prefix(300)) } ?? ""
        switch (response.status, error?.error) {
        case (_, "invalid_grant"?), (_, "invalid_client"?), (_, "unauthorized_client"?), (_, "consent_required"?),
            (_, "interaction_required"?), (401, _):
            throw ConnectorError(.unauthorized, "\(provider) refused the sign-in (\(error?.error ?? "\(response.status)"))"
                + "\(detail); sign in again")
        case (500..., _):
            throw ConnectorError(.unavailable, "\(provider)'s token service answered \(response.status)")
        default:
            throw ConnectorError(.protocolViolation, "\(provider)'s token service answered \(response.status)"
                + (error.map { " (\($0.error))" } ?? "") + detail)
        }
    }

    /// The same, for a client that authenticates in the form (`client_id`, and `client_secret`
    /// for a confidential client), as HubSync's Google and Microsoft clients do.
    public static func post(
        _ url: URL, _ form: [(String, String)], clientID: String, clientSecret: String?, provider: String, http: HTTPClient
    ) async throws -> Answer {
        var fields = form + [("client_id", clientID)]
        if let clientSecret { fields.append(("client_secret", clientSecret)) }
        return try await post(url, fields, provider: provider, http: http)
    }

    /// application/x-www-form-urlencoded, unreserved characters only left as they are.
    public static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { k, v in
            "\(k.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(v.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}
