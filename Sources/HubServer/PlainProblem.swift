import Foundation

/// A connector's error text (`ConnectorError.description`, as a spoke's last error or a
/// connection check keeps it) in words a non-technical admin understands, pure. The raw text
/// stays as the details, behind "Technical details"; a text no rule knows is shown as it is.
enum PlainProblem {
    static func of(_ raw: String) -> ProblemDTO {
        guard let plain = plain(raw) else { return ProblemDTO(summary: raw) }
        return ProblemDTO(summary: fill(plain), details: raw, text: plain.text, place: plain.place)
    }

    static func summary(_ raw: String) -> String? { plain(raw).map(fill) }

    /// Each rule's words, with {place} for the server: the same English texts the pages look up
    /// in their catalogs (Web/i18n), so an admin reads them in the page's language.
    static let refused = "Nothing answers at {place}. Is the address right and the server running?"
    static let untrusted = "The server at {place} shows a security certificate this computer does not trust, "
        + "so HubSync sends it no password. If it is your own server with a self-signed certificate, on a network "
        + "you trust, turn off the certificate check."
    static let notHTTPS = "The server at {place} does not answer securely on this port. "
        + "Check the address: perhaps it starts with http:// rather than https://, or the port is wrong."
    static let slow = "The server at {place} takes too long to answer. Try again later, or ask whoever runs it."
    static let unreachable = "The server at {place} cannot be reached from here. Check the address and the network."
    static let unknownHost = "No server has the name {place}. Is the address spelled right?"
    /// NTLM over https refused: a wrong password and Extended Protection look the same.
    static let extendedProtection = "The server at {place} refused the sign-in. Check the user name and password first. "
        + "If they are right, the server requires Extended Protection: HubSync binds its sign-in to the certificate it is "
        + "shown, which fails when a proxy or load balancer in front of Exchange ends TLS with a certificate of its own. "
        + "Let it pass TLS through (or give it the server's own certificate), or sign in to the server directly."
    static let texts = [refused, untrusted, notHTTPS, slow, unreachable, unknownHost, extendedProtection] + exchangeTexts

    /// The rule a raw text falls under, and the server it names.
    static func plain(_ raw: String) -> (text: String, place: String?)? {
        let text = raw.lowercased()
        let place = where_(raw)
        if let words = exchangeAccess(text) { return (words, nil) }
        if text.contains("connection was refused") { return (refused, place) }
        if text.contains("extended protection") { return (extendedProtection, place) }
        if text.contains("certificate") && text.contains("not trusted") { return (untrusted, place) }
        if text.contains("does the server speak https") { return (notHTTPS, place) }
        if text.contains("too slow") || text.contains("timed out") { return (slow, place) }
        if text.contains("cannot be reached") || text.contains("could not reach") || text.contains("reset the connection") {
            return (unreachable, place)
        }
        if text.contains("resolve") || text.contains("no such host") || text.contains("unknown host") { return (unknownHost, place) }
        return nil
    }

    static func fill(_ plain: (text: String, place: String?)) -> String {
        plain.text.replacingOccurrences(of: "{place}", with: plain.place ?? (plain.text == unknownHost ? "given" : "this address"))
    }

    /// "127.0.0.1 port 1" from "the server at http://127.0.0.1:1 (…): …"; nil when none is named.
    static func where_(_ raw: String) -> String? {
        guard let range = raw.range(of: "the server at ", options: .caseInsensitive) else { return nil }
        let rest = raw[range.upperBound...].prefix { !$0.isWhitespace && $0 != "(" && $0 != "," }
        let server = rest.hasSuffix(":") ? String(rest.dropLast()) : String(rest)
        guard let url = URL(string: server), let host = url.host, !host.isEmpty else { return server.isEmpty ? nil : server }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        return "\(host) port \(port)"
    }
}

struct ProblemDTO: Codable, Sendable, Hashable {
    var summary: String
    var details: String?
    /// The summary's English words with {place}, and the place: for the page's translation.
    var text: String?
    var place: String?
}
