import Crypto
import Foundation
import Synchronization

/// Whose connections a lane carries. Connection-bound auth (NTLM) logs in a whole connection, so
/// lanes are never shared between keys. The password is part of the key, so a wrong password
/// never rides a connection the right one logged in; the key is an HMAC under a secret of this
/// process, so no credential is kept in clear nor can be guessed from the key.
public struct LaneKey: Hashable, Sendable, CustomStringConvertible {
    private let digest: [UInt8]
    private static let secret = SymmetricKey(size: .bits256)

    public init(origin: String, user: String, domain: String, password: String) {
        // Length-prefixed so no two different tuples give the same input.
        let input = [origin, user, domain, password].flatMap { part -> [UInt8] in
            let bytes = Array(part.utf8)
            return withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes
        }
        digest = Array(HMAC<SHA256>.authenticationCode(for: input, using: Self.secret))
    }

    /// Short and meaningless outside this process: safe to log.
    public var description: String { "lane:" + digest.prefix(4).map { String(format: "%02x", $0) }.joined() }
}

/// Requests pinned to one connection, held by one exchange at a time (see `HTTPTransport.withLane`).
public final class HTTPLane: Sendable {
    private let sender: @Sendable (HTTPRequest) async throws -> HTTPResponse
    private let loggedIn = Atomic<Bool>(false)

    public init(send: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        sender = send
    }

    /// Throws `HTTPTransportError`, as `HTTPTransport.send` does.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await sender(request)
    }

    /// Whether the last exchange here left the connection logged in. A hint: the connection may
    /// have closed since and been reopened, which the server then shows with a 401.
    var authenticated: Bool {
        get { loggedIn.load(ordering: .acquiring) }
        set { loggedIn.store(newValue, ordering: .releasing) }
    }
}
