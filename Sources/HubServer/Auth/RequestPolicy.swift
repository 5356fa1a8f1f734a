import Foundation
import Hummingbird
import SyncModel

/// Which requests reach the app at all, pure. A page elsewhere can make a browser send a
/// request here (a `<form enctype=text/plain>`), or point its own name at this address (DNS
/// rebinding): so every request must name this server in `Host`, and every state-changing one
/// must come from one of its pages (`Origin`, `Sec-Fetch-Site`), as JSON or with the form token.
struct RequestPolicy: Sendable {
    /// Host names (lowercased, no port) this server answers to.
    let hosts: Set<String>
    /// Listening on every interface: an IP address as Host is fine too (a rebinding page
    /// always sends a name), names only from the list.
    let anyAddress: Bool
    /// `scheme://host[:port]` of --public-url: a proxy may send its own Host.
    let publicOrigin: String?

    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]
    static let wildcards: Set<String> = ["0.0.0.0", "::", "", "*"]

    init(listen: String, publicURL: URL?, allowed: [String]) {
        var hosts = Set(allowed.map(Self.name))
        let listen = Self.name(listen)
        anyAddress = Self.wildcards.contains(listen)
        if !anyAddress { hosts.insert(listen) }
        if anyAddress || Self.loopbackNames.contains(listen) { hosts.formUnion(Self.loopbackNames) }
        if let host = publicURL?.host { hosts.insert(Self.name(host)) }
        self.hosts = hosts
        publicOrigin = publicURL.flatMap(Self.origin)
    }

    /// A host name as compared: lowercased, without brackets or a final dot.
    static func name(_ host: String) -> String {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h.hasSuffix(".") { h.removeLast() }
        return h
    }

    /// The host name of a `Host` value (`name`, `name:port`, `[v6]:port`).
    static func hostName(ofAuthority authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return name(String(authority[authority.index(after: authority.startIndex)..<end]))
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        // More than one colon and no brackets: a bare IPv6 address.
        return name(parts.count == 2 ? String(parts[0]) : authority)
    }

    static func origin(_ url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host else { return nil }
        let h = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(h.lowercased())" + (url.port.map { ":\($0)" } ?? "")
    }

    func allowsHost(_ authority: String) -> Bool {
        let h = Self.hostName(ofAuthority: authority)
        if hosts.contains(h) { return true }
        return anyAddress && Self.isAddress(h)
    }

    static func isAddress(_ h: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, h, &v4) == 1 || inet_pton(AF_INET6, h, &v6) == 1
    }

    func misdirected(_ host: String) -> APIError {
        APIError(
            .misdirectedRequest,
            "this server does not answer to the name \(DisplayText.neutralised(String(Self.hostName(ofAuthority: host).prefix(100)), allowLayout: false)); start it with --allowed-host or --public-url")
    }

    /// Nil when the request may go on; else the refusal. `host`: the request's Host (nil for a
    /// client that sent none, which no browser is).
    func refusal(
        method: HTTPRequest.Method, path: String, host: String?, origin: String?, fetchSite: String?, contentType: String?,
        signedIn: Bool
    ) -> APIError? {
        if let host, !allowsHost(host) { return misdirected(host) }
        guard !SessionMiddleware.isSafe(method) else { return nil }
        if let site = fetchSite?.lowercased(), site != "same-origin", site != "none" {
            return APIError(.forbidden, words: APIWords.otherSite)
        }
        if let origin {
            let o = origin.lowercased()
            let sameAsHost = host.map { o == "http://\($0.lowercased())" || o == "https://\($0.lowercased())" } ?? false
            guard sameAsHost || o == publicOrigin else {
                return APIError(.forbidden, words: APIWords.otherSite)
            }
        }
        // The API takes JSON; a cross-site form cannot send it (it would need the browser's
        // permission first). Signed-in calls carry the CSRF header, which no form can either.
        if path.hasPrefix("/api/") && !signedIn {
            let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard type == "application/json" else {
                return APIError(.unsupportedMediaType, "send JSON (Content-Type: application/json)")
            }
        }
        return nil
    }
}
