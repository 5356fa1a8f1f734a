import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The production transport: one AsyncHTTPClient (its own connection pool, keep-alive) per value.
/// It puts exactly one request on the wire per `send`: redirects and retries are `HTTPClient`'s job.
public final class AHCTransport: HTTPTransport {
    public let followRedirects: Bool
    private let client: AsyncHTTPClient.HTTPClient
    private let timeout: TimeAmount
    /// Past this a response is refused rather than held in memory.
    private static let maxBody = 256 * 1024 * 1024

    public init(tls: TLSSettings = .init(), timeout: Duration = .seconds(60), followRedirects: Bool = true) {
        var tlsConfig = TLSConfiguration.makeClientConfiguration()
        if !tls.verify { tlsConfig.certificateVerification = .none }
        if let ca = tls.caFile { tlsConfig.additionalTrustRoots = [.file(ca)] }
        var config = AsyncHTTPClient.HTTPClient.Configuration(tlsConfiguration: tlsConfig)
        config.redirectConfiguration = .disallow
        // HTTPClient retries with backoff; the pool retrying too would hide a TLS failure
        // behind a timeout.
        config.connectionPool.retryConnectionEstablishment = false
        let nanos = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        self.timeout = .nanoseconds(nanos)
        config.timeout = .init(connect: .nanoseconds(min(nanos, 15_000_000_000)), read: .nanoseconds(nanos))
        client = AsyncHTTPClient.HTTPClient(eventLoopGroup: AsyncHTTPClient.HTTPClient.defaultEventLoopGroup,
                                            configuration: config)
        self.followRedirects = followRedirects
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
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
