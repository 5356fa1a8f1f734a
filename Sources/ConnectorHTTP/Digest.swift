import Crypto
import Foundation

/// HTTP Digest (RFC 7616, and RFC 2069 servers that send no qop). Pure: the client keeps the state.
public struct DigestChallenge: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable {
        case md5 = "MD5"
        case sha256 = "SHA-256"
    }
    public var realm: String
    public var nonce: String
    public var opaque: String?
    public var algorithm: Algorithm
    /// "-sess": HA1 also covers the nonce and cnonce.
    public var session: Bool
    /// Whether the server offered qop=auth; false means RFC 2069 (no nc, no cnonce).
    public var qopAuth: Bool
    public var stale: Bool

    public init(realm: String, nonce: String, opaque: String? = nil, algorithm: Algorithm = .md5,
                session: Bool = false, qopAuth: Bool = true, stale: Bool = false) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.session = session
        self.qopAuth = qopAuth
        self.stale = stale
    }

    /// Nil when the challenge is not usable: no nonce, an unknown algorithm, or only qop=auth-int
    /// (which would need the body hashed; no server we meet requires it).
    init?(_ challenge: AuthChallenge) {
        let p = challenge.parameters
        guard challenge.scheme == "digest", let nonce = p["nonce"] else { return nil }
        var name = (p["algorithm"] ?? "MD5").uppercased()
        let session = name.hasSuffix("-SESS")
        if session { name.removeLast(5) }
        guard let algorithm = Algorithm(rawValue: name) else { return nil }
        let qops = p["qop"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        if let qops, !qops.contains("auth") { return nil }
        self.init(realm: p["realm"] ?? "", nonce: nonce, opaque: p["opaque"], algorithm: algorithm,
                  session: session, qopAuth: qops != nil, stale: p["stale"]?.lowercased() == "true")
    }

    /// The server's preference order is its listing order; among ours SHA-256 beats MD5.
    static func best(in challenges: [AuthChallenge]) -> DigestChallenge? {
        let usable = challenges.compactMap(DigestChallenge.init)
        return usable.first { $0.algorithm == .sha256 } ?? usable.first
    }

    /// The Authorization header value. `nc` counts uses of this nonce from 1; `cnonce` is fresh
    /// randomness (given here so RFC examples can be checked).
    public func authorization(method: String, uri: String, user: String, password: String,
                              nc: Int, cnonce: String) -> String {
        let h = { (s: String) in hash(s) }
        var ha1 = h("\(user):\(realm):\(password)")
        if session { ha1 = h("\(ha1):\(nonce):\(cnonce)") }
        let ha2 = h("\(method):\(uri)")
        let ncText = String(format: "%08x", nc)
        let response = qopAuth
            ? h("\(ha1):\(nonce):\(ncText):\(cnonce):auth:\(ha2)")
            : h("\(ha1):\(nonce):\(ha2)")
        var parts = [
            "username=\(quote(user))", "realm=\(quote(realm))", "uri=\(quote(uri))",
            "algorithm=\(algorithm.rawValue)\(session ? "-sess" : "")", "nonce=\(quote(nonce))",
        ]
        if qopAuth { parts += ["nc=\(ncText)", "cnonce=\(quote(cnonce))", "qop=auth"] }
        parts.append("response=\(quote(response))")
        if let opaque { parts.append("opaque=\(quote(opaque))") }
        return "Digest " + parts.joined(separator: ", ")
    }

    func hash(_ text: String) -> String {
        let data = Data(text.utf8)
        switch algorithm {
        case .md5: return Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
        case .sha256: return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        }
    }

    private func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func makeCnonce() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
