import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The production transport: one AsyncHTTPClient (its own connection pool, keep-alive) per value,
/// plus lanes of one connection each for NTLM. It puts exactly one request on the wire per
/// `send`: redirects and retries are `HTTPClient`'s job.
public final class AHCTransport: HTTPTransport {
    public let followRedirects: Bool
    private let client: AsyncHTTPClient.HTTPClient
    private let timeout: TimeAmount
    private let lanes: AHCLanes
    /// The certificates https servers show, for the NTLM channel binding.
    let endPoints: TLSEndPoints
    /// Past this (inflated, when the answer came compressed) a response is refused rather than
    /// held in memory.
    private let maxBody: Int
    public static let defaultMaxBody = 256 * 1024 * 1024

    public init(
        tls: TLSSettings = .init(), timeout: Duration = .seconds(60), followRedirects: Bool = true,
        maxBody: Int = AHCTransport.defaultMaxBody
    ) {
        let nanos = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let timeout = TimeAmount.nanoseconds(nanos)
        self.timeout = timeout
        self.maxBody = maxBody
        client = Self.makeClient(tls: tls, timeout: timeout, lane: false, maxBody: maxBody)
        lanes = AHCLanes(timeout: timeout, maxBody: maxBody) {
            Self.makeClient(tls: tls, timeout: timeout, lane: true, maxBody: maxBody)
        }
        self.followRedirects = followRedirects
        endPoints = TLSEndPoints(tls: tls, timeout: .nanoseconds(min(timeout.nanoseconds, 15_000_000_000)))
    }

    /// Shuts down the lanes too; an AsyncHTTPClient must be shut down before it goes away.
    public func shutdown() async throws {
        try await client.shutdown()
        try await lanes.shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await Self.execute(request, on: client, timeout: timeout, maxBody: maxBody)
    }

    public func withLane<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T {
        try await lanes.with(key, body)
    }

    /// A lane's client keeps one HTTP/1.1 connection per host: NTLM logs in a connection, and
    /// HTTP/2 would multiplex one login over unrelated streams (IIS refuses NTLM over it).
    private static func makeClient(
        tls: TLSSettings, timeout: TimeAmount, lane: Bool, maxBody: Int
    ) -> AsyncHTTPClient.HTTPClient {
        var config = AsyncHTTPClient.HTTPClient.Configuration(tlsConfiguration: tlsConfiguration(tls))
        config.redirectConfiguration = .disallow
        // HTTPClient retries with backoff; the pool retrying too would hide a TLS failure
        // behind a timeout.
        config.connectionPool.retryConnectionEstablishment = false
        config.timeout = .init(connect: .nanoseconds(min(timeout.nanoseconds, 15_000_000_000)), read: timeout)
        // Asks for gzip (Accept-Encoding) and inflates what comes back: a multistatus of cards
        // shrinks to about a sixth. The limit is on the inflated size, as for a plain body.
        config.decompression = .enabled(limit: .size(maxBody))
        if lane {
            config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1
            config.httpVersion = .http1Only
        }
        return AsyncHTTPClient.HTTPClient(eventLoopGroup: AsyncHTTPClient.HTTPClient.defaultEventLoopGroup,
                                          configuration: config)
    }

    /// The one TLS configuration of this transport's connections (and its own certificate reads).
    static func tlsConfiguration(_ tls: TLSSettings) -> TLSConfiguration {
        var tlsConfig = TLSConfiguration.makeClientConfiguration()
        if !tls.verify { tlsConfig.certificateVerification = .none }
        if let ca = tls.caFile { tlsConfig.additionalTrustRoots = [.file(ca)] }
        return tlsConfig
    }

    static func execute(
        _ request: HTTPRequest, on client: AsyncHTTPClient.HTTPClient, timeout: TimeAmount, maxBody: Int
    ) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            let buffer = try await response.body.collect(upTo: maxBody)
            let body = Data(buffer.readableBytesView)
            return HTTPResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: body, url: request.url)
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw Self.classify(error, maxBody: maxBody)
        }
    }

    /// Sorts NIO/AHC errors into what the client needs to decide (retry, or tell the user), in
    /// words an admin can act on: never a library's type name or an errno.
    static func classify(_ error: any Error, maxBody: Int = AHCTransport.defaultMaxBody) -> HTTPTransportError {
        let text = String(describing: error)
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
            || text.localizedCaseInsensitiveContains("certificate")
        {
            // BoringSSL's text carries build paths: keep the part a user can act on.
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return HTTPTransportError(.tls, "certificate verify failed") }
            if text.contains("failedToValidateHostname") {
                return HTTPTransportError(.tls, "the certificate is for another host name")
            }
            return HTTPTransportError(.tls, "the TLS handshake failed")
        }
        if error is NIOTooManyBytesError {
            return HTTPTransportError(.invalidRequest, "the answer is larger than \(maxBody / 1024 / 1024) MB")
        }
        // A gzip answer past the limit once inflated, or one that does not inflate (the module
        // that defines these errors is not imported here: they are known by their type's name).
        let typed = String(reflecting: error)
        if typed.contains("DecompressionError") {
            return typed.hasSuffix(".limit")
                ? HTTPTransportError(.invalidRequest, "the answer is larger than \(maxBody / 1024 / 1024) MB once inflated")
                : HTTPTransportError(.invalidRequest, "the answer is compressed but does not inflate")
        }
        if let ahc = error as? HTTPClientError {
            switch ahc {
            case .connectTimeout: return HTTPTransportError(.timeout, "no connection could be made in time")
            case .readTimeout: return HTTPTransportError(.timeout, "the server stopped sending")
            case .writeTimeout: return HTTPTransportError(.timeout, "the server stopped reading the request")
            case .deadlineExceeded: return HTTPTransportError(.timeout, "no answer in time")
            case .tlsHandshakeTimeout: return HTTPTransportError(.timeout, "the TLS handshake took too long")
            case .getConnectionFromPoolTimeout: return HTTPTransportError(.timeout, "no free connection in time")
            case .remoteConnectionClosed: return HTTPTransportError(.connection, "the server closed the connection before answering")
            case .invalidURL, .emptyHost, .emptyScheme: return HTTPTransportError(.invalidRequest, "the URL is not valid")
            case .alreadyShutdown: return HTTPTransportError(.invalidRequest, "the HTTP client was shut down")
            default:
                if text.contains("unsupportedScheme") { return HTTPTransportError(.invalidRequest, "the URL's scheme is not http or https") }
                if text.contains("invalidHeaderField") { return HTTPTransportError(.invalidRequest, "a header holds characters HTTP does not allow") }
            }
        }
        if let io = error as? IOError { return HTTPTransportError(.connection, plainErrno(io.errnoCode)) }
        if let code = errnoInText(text) { return HTTPTransportError(.connection, plainErrno(code)) }
        // NIO: "DNS error: SocketAddressError.UnknownHost: Temporary failure in name resolution (error -3) …".
        if text.contains("dnsAError") || text.contains("NXDOMAIN") || text.contains("UnknownHost") || text.hasPrefix("DNS error")
            || text.localizedCaseInsensitiveContains("name or service not known")
        {
            return HTTPTransportError(.connection, "the host name could not be resolved")
        }
        if text.localizedCaseInsensitiveContains("connection reset") || text.localizedCaseInsensitiveContains("closed") {
            return HTTPTransportError(.connection, "the connection was closed unexpectedly")
        }
        return HTTPTransportError(.connection, "the connection failed")
    }

    /// NIO nests the errno in wrappers (connection attempts per address): "... (errno: 111)".
    static func errnoInText(_ text: String) -> CInt? {
        guard let r = text.range(of: "errno: ") else { return nil }
        return CInt(text[r.upperBound...].prefix { $0.isNumber })
    }

    static func plainErrno(_ code: CInt) -> String {
        switch code {
        case ECONNREFUSED: "the connection was refused (is the server running, and the port right?)"
        case ECONNRESET, EPIPE: "the server reset the connection"
        case ETIMEDOUT: "the connection timed out"
        case EHOSTUNREACH, ENETUNREACH: "the host cannot be reached from here"
        case ECONNABORTED: "the connection was aborted"
        default: "the connection failed (\(String(cString: strerror(code)).lowercased()))"
        }
    }
}
