import ConnectorKit
import Foundation
import Synchronization

public enum HTTPAuth: Sendable {
    case none
    /// Sent with every request (the server is known to want it).
    case basic(user: String, password: String)
    /// RFC 7616 (MD5, SHA-256, -sess; qop=auth or none). The last challenge is reused with a
    /// counted nc, so only the first request (and a stale nonce) costs a 401 round trip.
    case digest(user: String, password: String)
    /// Whatever the server asks: Digest when offered; else NTLM or Basic (both offered: Basic over
    /// https, NTLM over plain http). Basic goes out unasked only to a server that asked for it
    /// before; NTLM, once asked, is what that server gets from then on.
    case automatic(user: String, password: String)
    /// NTLMv2 (MS-NLMP), as on-premises Exchange and IIS ask for it. It logs in a connection, not a
    /// request: the handshake and the requests after it go over one connection (a lane of the
    /// transport). `user` may be "DOMAIN\user" or "user@domain" when `domain` is nil.
    case ntlm(user: String, password: String, domain: String?)
    /// A token provider (OAuth refresh lives there). Asked again once after a 401, given the token
    /// refused, so it knows to refresh rather than hand the same one back.
    case bearer(@Sendable (_ rejected: String?) async throws -> String)
}

/// What the client remembers between requests: the last Digest challenge and its nonce count,
/// and the origins that asked for Basic or NTLM.
struct AuthMemory {
    struct Digest {
        var origin: String
        var challenge: DigestChallenge
        var nc: Int
    }
    var digest: Digest?
    var basicOrigins: Set<String> = []
    var ntlmOrigins: Set<String> = []
}

/// Who is being asked; "host" or "host:port".
func origin(_ url: URL) -> String {
    "\(url.scheme ?? "")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")"
}

func hostName(_ url: URL) -> String {
    (url.host ?? url.absoluteString) + (url.port.map { ":\($0)" } ?? "")
}

/// The request-target Digest signs: path and query as sent.
func requestTarget(_ url: URL) -> String {
    let components = URLComponents(url: url, resolvingAgainstBaseURL: true)
    let path = components?.percentEncodedPath ?? "/"
    let query = components?.percentEncodedQuery.map { "?\($0)" } ?? ""
    return (path.isEmpty ? "/" : path) + query
}

func basicHeader(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}

extension Mutex where Value == AuthMemory {
    /// The next Authorization for the remembered Digest challenge of this origin, counting nc.
    func nextDigest(for request: HTTPRequest, user: String, password: String) -> String? {
        let use = withLock { memory -> (DigestChallenge, Int)? in
            guard var digest = memory.digest, digest.origin == origin(request.url) else { return nil }
            digest.nc += 1
            memory.digest = digest
            return (digest.challenge, digest.nc)
        }
        return use.map { digest($0.0, nc: $0.1, request, user, password) }
    }

    /// Answers a new challenge (nc 1) and remembers it for the requests that follow.
    func answer(_ challenge: DigestChallenge, for request: HTTPRequest, user: String, password: String) -> String {
        withLock { $0.digest = .init(origin: origin(request.url), challenge: challenge, nc: 1) }
        return digest(challenge, nc: 1, request, user, password)
    }

    private func digest(_ challenge: DigestChallenge, nc: Int, _ request: HTTPRequest, _ user: String, _ password: String) -> String {
        challenge.authorization(method: request.method.rawValue, uri: requestTarget(request.url), user: user,
                                password: password, nc: nc, cnonce: DigestChallenge.makeCnonce())
    }
}

public enum AuthScheme: String, Sendable, Hashable {
    case basic, digest, ntlm
}
