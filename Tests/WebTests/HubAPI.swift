import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncModel
import Testing

/// The JSON API the way a script uses it (README): sign in for a session cookie and a CSRF
/// token, then send both with every change.
struct APISession {
    struct Failed: Error, CustomStringConvertible { var description: String }

    /// Cookies go by hand, as with curl's jar.
    static let http: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.httpShouldSetCookies = false
        return URLSession(configuration: config)
    }()

    let base: URL
    private var cookie: String?
    private var csrf: String?

    init(_ base: URL, user: String, password: String) async throws {
        self.base = base
        let (json, response) = try await send("POST", "api/session", ["user": user, "password": password])
        cookie = response.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first.map(String.init)
        csrf = json["csrf"] as? String
    }

    /// `METHOD /path` with a JSON body; the JSON object answered. Anything but a 2xx throws.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> ([String: Any], HTTPURLResponse) {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        if let csrf { request.setValue(csrf, forHTTPHeaderField: "X-CSRF-Token") }
        let (data, answer) = try await Self.http.data(for: request)
        guard let response = answer as? HTTPURLResponse, (200..<300).contains(response.statusCode) else {
            let status = (answer as? HTTPURLResponse)?.statusCode ?? 0
            throw Failed(description: "\(method) /\(path): \(status) \(String(decoding: data, as: UTF8.self))")
        }
        let json = data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (json ?? [:], response)
    }
}

extension WebFixture {
    /// The admin, then through the API (quicker than the wizard, which has a test of its own): a
    /// hub with two two-way sources, this Exchange mailbox and this Google account, after its
    /// first sync; with the admin's API session.
    func hubThroughAPI(named name: String) async throws -> (HubID, APISession) {
        try app.createAdmin(user: Self.admin, password: Self.adminPassword)
        let api = try await APISession(url, user: Self.admin, password: Self.adminPassword)
        let hub = try #require(try await api.send("POST", "api/hubs", ["name": name]).0["id"] as? String)
        try await api.send("POST", "api/hubs/\(hub)/spokes", ["name": "Exchange", "kind": "ews", "form": [
            "url": exchangeURL.absoluteString, "user": Self.exchangeUser, "password": Self.exchangePassword, "version": "2016",
        ]])

        // Sign in with Google: the emulator approves at once and redirects to the app's callback.
        google.consent = .autoApprove
        let signIn = try await api.send("POST", "api/spoke-kinds/google/sign-in").0
        let id = try #require(signIn["id"] as? String)
        let consent = try #require((signIn["url"] as? String).flatMap(URL.init(string:)))
        _ = try await APISession.http.data(from: consent)
        let status = try await api.send("GET", "api/sign-ins/\(id)").0
        guard status["status"] as? String == "done" else { throw APISession.Failed(description: "Google sign-in: \(status)") }
        try await api.send("POST", "api/hubs/\(hub)/spokes", ["name": "Google", "kind": "google", "form": ["signIn": id]])

        try await syncThroughAPI(HubID(hub), api)
        return (HubID(hub), api)
    }

    func syncThroughAPI(_ hub: HubID, _ api: APISession) async throws {
        try await api.send("POST", "api/hubs/\(hub.rawValue)/sync")
        await app.waitForSync(hub)
    }
}
