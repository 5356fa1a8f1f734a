import Crypto
import Foundation

/// RFC 7636: the verifier stays here, its S256 challenge goes in the authorization URL, so a
/// code intercepted on the redirect is worthless without it.
public struct PKCE: Sendable, Hashable {
    public let verifier: String
    public var challenge: String { Self.base64url(Data(SHA256.hash(data: Data(verifier.utf8)))) }

    public init(verifier: String = PKCE.randomVerifier()) { self.verifier = verifier }

    /// 64 unreserved characters (RFC 7636 §4.1 asks 43–128).
    public static func randomVerifier() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return base64url(Data(bytes))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
