import AsyncHTTPClient
import Crypto
import Emulators
import Foundation
import Testing

/// A running People emulator with one account and tokens issued without the browser.
struct PeopleFixture {
    static let email = "ann@example.com", clientID = "hubsync-test.apps.googleusercontent.com", secret = "s3cret"
    let g: PeopleEmulator
    let base: URL
    var access: String
    let refresh: String

    static func start() async throws -> PeopleFixture {
        let g = PeopleEmulator()
        g.addAccount(email: email, clientID: clientID, clientSecret: secret, displayName: "Ann Example")
        let base = try await g.start()
        let (access, refresh) = g.issueTokens(for: email)
        return PeopleFixture(g: g, base: base, access: access, refresh: refresh)
    }

    /// A People API call with the fixture's bearer token (or `token`), JSON in and out.
    func api(_ method: String, _ path: String, _ query: [(String, String)] = [], json: JSONValue? = nil,
             token: String? = nil) async throws -> JSONResult {
        try await peopleHTTP(method, base, path, query, body: json.map { Array($0.serialized.utf8) },
                             headers: [("Authorization", "Bearer \(token ?? access)"), ("Content-Type", "application/json")])
    }

    /// Form-encoded POST (the token endpoint).
    func form(_ path: String, _ fields: [(String, String)]) async throws -> JSONResult {
        try await peopleHTTP("POST", base, path, [], body: Array(formEncode(fields).utf8),
                             headers: [("Content-Type", "application/x-www-form-urlencoded")])
    }
}

struct JSONResult {
    var status: Int
    var headers: [(String, String)]
    var body: String
    var json: JSONValue { JSONValue.parse(Data(body.utf8)) ?? .null }
    func header(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    /// `error.status` and the first ErrorInfo `reason` of a Google error answer.
    var errorStatus: String? { json["error"]?["status"]?.string }
    var errorReason: String? { json["error"]?["details"]?.array?.first?["reason"]?.string }
    var errorMessage: String? { json["error"]?["message"]?.string }
}

/// A client that does not follow redirects (the OAuth redirect is what the tests read).
let noRedirectClient = HTTPClient(eventLoopGroupProvider: .singleton,
                                  configuration: .init(redirectConfiguration: .disallow))

func formEncode(_ fields: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
}

func peopleHTTP(_ method: String, _ base: URL, _ path: String, _ query: [(String, String)], body: [UInt8]?,
                headers: [(String, String)]) async throws -> JSONResult {
    var url = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
    url += path + (query.isEmpty ? "" : "?" + formEncode(query))
    var request = HTTPClientRequest(url: url)
    request.method = .init(rawValue: method)
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    if let body { request.body = .bytes(body) }
    let response = try await noRedirectClient.execute(request, timeout: .seconds(30))
    var text = ""
    for try await chunk in response.body { text += String(decoding: chunk.readableBytesView, as: UTF8.self) }
    return JSONResult(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: text)
}

/// PKCE pair: a random verifier and its S256 challenge.
func pkcePair() -> (verifier: String, challenge: String) {
    let verifier = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64URLEncoded
    return (verifier, Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded)
}

extension Data {
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Query items of a URL (the OAuth redirect's `code`, `state`, `error`).
func queryItems(_ location: String) -> [String: String] {
    Dictionary((URLComponents(string: location)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
}

extension JSONValue {
    /// `names[0].givenName` of a rendered person.
    var givenName: String? { self["names"]?.array?.first?["givenName"]?.string }
}
