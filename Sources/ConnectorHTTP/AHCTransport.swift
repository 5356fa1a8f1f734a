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
    /// Past this a response is refused rather than held in memory.
    private static let maxBody = 256 * 1024 * 1024

    public init(tls: TLSSettings = .init(), timeout: Duration = .seconds(60), followRedirects: Bool = true) {
        let nanos = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let timeout = TimeAmount.nanoseconds(nanos)
        self.timeout = timeout
        client = Self.makeClient(tls: tls, timeout: timeout, lane: false)
        lanes = AHCLanes(timeout: timeout) { Self.makeClient(tls: tls, timeout: timeout, lane: true) }
        self.followRedirects = followRedirects
    }

    /// Shuts down the lanes too; an AsyncHTTPClient must be shut down before it goes away.
    public func shutdown() async throws {
        try await client.shutdown()
        try await lanes.shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await Self.execute(request, on: client, timeout: timeout)
    }

    public func withLane<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T {
        try await lanes.with(key, body)
    }

    /// A lane's client keeps one HTTP/1.1 connection per host: NTLM logs in a connection, and
    /// HTTP/2 would multiplex one login over unrelated streams (IIS refuses NTLM over it).
    private static func makeClient(tls: TLSSettings, timeout: TimeAmount, lane: Bool) -> AsyncHTTPClient.HTTPClient {
        var tlsConfig = TLSConfiguration.makeClientConfiguration()
        if !tls.verify { tlsConfig.certificateVerification = .none }
        if let ca = tls.caFile { tlsConfig.additionalTrustRoots = [.file(ca)] }
        var config = AsyncHTTPClient.HTTPClient.Configuration(tlsConfiguration: tlsConfig)
        config.redirectConfiguration = .disallow
        // HTTPClient retries with backoff; the pool retrying too would hide a TLS failure
        // behind a timeout.
        config.connectionPool.retryConnectionEstablishment = false
        config.timeout = .init(connect: .nanoseconds(min(timeout.nanoseconds, 15_000_000_000)), read: timeout)
        if lane {
            config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1
            config.httpVersion = .http1Only
        }
        return AsyncHTTPClient.HTTPClient(eventLoopGroup: AsyncHTTPClient.HTTPClient.defaultEventLoopGroup,
                                          configuration: config)
    }

    static func execute(_ request: HTTPRequest, on client: AsyncHTTPClient.HTTPClient, timeout: TimeAmount)
        async throws -> HTTPResponse
    {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            let buffer = try await response.body.collect(upTo: Self.maxBody)
            let body = Data(buffer.readableBytesView)
            return HTTPResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: body, url: request.url)
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw Self.classify(error)
        }
    }

    /// Sorts NIO/AHC errors into what the client needs to decide: retry, or tell the user.
    static func classify(_ error: any Error) -> HTTPTransportError {
        let text = String(describing: error)
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
            || text.localizedCaseInsensitiveContains("certificate")
        {
            // BoringSSL's text carries build paths: keep the part a user can act on.
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return HTTPTransportError(.tls, "certificate verify failed") }
            if text.contains("failedToValidateHostname") {
                return HTTPTransportError(.tls, "the certificate is for another host name")
            }
            return HTTPTransportError(.tls, text)
        }
        if let ahc = error as? HTTPClientError {
            switch ahc {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return HTTPTransportError(.timeout, text)
            case .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown:
                return HTTPTransportError(.invalidRequest, text)
            default:
                if text.contains("unsupportedScheme") || text.contains("invalidHeaderField") {
                    return HTTPTransportError(.invalidRequest, text)
                }
            }
        }
        return HTTPTransportError(.connection, text)
    }
}
