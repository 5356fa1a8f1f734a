import Foundation

/// A connector's error text (`ConnectorError.description`, as a spoke's last error or a
/// connection check keeps it) in words a non-technical admin understands, pure. The raw text
/// stays as the details, behind "Technical details"; a text no rule knows is shown as it is.
enum PlainProblem {
    static func of(_ raw: String) -> ProblemDTO {
        ProblemDTO(summary: summary(raw) ?? raw, details: summary(raw) == nil ? nil : raw)
    }

    static func summary(_ raw: String) -> String? {
        let text = raw.lowercased()
        let place = where_(raw)
        if text.contains("connection was refused") {
            return "Nothing answers at \(place ?? "this address"). Is the address right and the server running?"
        }
        if text.contains("certificate") && text.contains("not trusted") {
            return "The server at \(place ?? "this address") shows a security certificate this computer does not trust, "
                + "so HubSync sends it no password. If it is your own server with a self-signed certificate, on a network "
                + "you trust, turn off the certificate check."
        }
        if text.contains("does the server speak https") {
            return "The server at \(place ?? "this address") does not answer securely on this port. "
                + "Check the address: perhaps it starts with http:// rather than https://, or the port is wrong."
        }
        if text.contains("too slow") || text.contains("timed out") {
            return "The server at \(place ?? "this address") takes too long to answer. Try again later, or ask whoever runs it."
        }
        if text.contains("cannot be reached") || text.contains("could not reach") || text.contains("reset the connection") {
            return "The server at \(place ?? "this address") cannot be reached from here. Check the address and the network."
        }
        if text.contains("resolve") || text.contains("no such host") || text.contains("unknown host") {
            return "No server has the name \(place ?? "given"). Is the address spelled right?"
        }
        return nil
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
}
