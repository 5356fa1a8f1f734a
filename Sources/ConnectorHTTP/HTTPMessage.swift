import Foundation

public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")
    public static let propfind = HTTPMethod(rawValue: "PROPFIND")
    public static let report = HTTPMethod(rawValue: "REPORT")
    public static let head = HTTPMethod(rawValue: "HEAD")
}

/// Case-insensitive, first value: header names are case-insensitive (RFC 9110 §5.1).
func firstValue(_ headers: [(String, String)], _ name: String) -> String? {
    headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: [(String, String)]
    public var body: Data?
    /// Whether the request may go again after a failure that leaves unknown whether the server
    /// acted on it (a dropped connection, a timeout). Reads and conditional writes may; a create
    /// that nothing makes idempotent (EWS CreateItem) must not, or a lost answer duplicates it.
    public var replayable = true

    public init(_ method: HTTPMethod, _ url: URL, headers: [(String, String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { firstValue(headers, name) }

    /// Replaces every value of `name` with one value.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data
    /// The URL finally answered (after redirects).
    public var url: URL

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data(), url: URL) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    public func header(_ name: String) -> String? { firstValue(headers, name) }

    /// Every value of `name` (WWW-Authenticate may come several times).
    public func headers(_ name: String) -> [String] {
        headers.filter { $0.0.caseInsensitiveCompare(name) == .orderedSame }.map(\.1)
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// What a transport throws when no response came back. `HTTPClient` maps it to `ConnectorError`.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Refused, reset, DNS, closed mid-way: worth retrying.
        case connection
        case timeout
        /// The request's total deadline passed (a server trickling its answer): retrying cannot help.
        case tooSlow
        /// The certificate was not trusted: retrying cannot help.
        case tls
        /// The request cannot be sent at all (bad URL): retrying cannot help.
        case invalidRequest
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// The real boundary: one call puts exactly one request on the wire. Tests inject a scripted one.
public protocol HTTPTransport: Sendable {
    /// Throws `HTTPTransportError` on network or TLS failure.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Whether `HTTPClient` follows 3xx answers for requests over this transport. The client takes
    /// the hops (not the transport) so each hop is authenticated for its own URL: Digest signs the path.
    var followRedirects: Bool { get }
    /// Runs `body` with a lane: its requests go over one connection, held by this caller alone
    /// until `body` returns, and lanes are kept apart per `key`. Connection-bound auth (NTLM)
    /// needs it: a handshake must not hop connections, and a logged-in connection must carry no
    /// one else's requests.
    func withLane<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T
}

extension HTTPTransport {
    public var followRedirects: Bool { true }

    /// A transport that cannot pin a connection says so, rather than let a handshake hop
    /// connections and fail as a wrong password.
    public func withLane<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T {
        throw HTTPTransportError(.invalidRequest, "this transport cannot hold a connection, which NTLM needs")
    }
}

public struct TLSSettings: Sendable, Hashable {
    /// Verification is on unless a spoke opts out explicitly.
    public var verify: Bool
    /// A PEM file of extra trusted CAs (a self-signed server certificate works too).
    public var caFile: String?
    public init(verify: Bool = true, caFile: String? = nil) {
        self.verify = verify
        self.caFile = caFile
    }
}
