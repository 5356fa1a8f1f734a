import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// A transport that can tell which certificate an https server shows, for the NTLM channel
/// binding. `fresh` makes a new handshake instead of answering from the cache (the certificate
/// may have changed since); `cached` says whether the answer came from the cache.
public protocol TLSEndPointSource: Sendable {
    func serverEndPoint(host: String, port: Int, fresh: Bool) async throws -> (endPoint: TLSServerEndPoint?, cached: Bool)
}

/// AsyncHTTPClient does not expose the peer certificate, so: one TLS handshake of our own per
/// host and port, verified exactly as the transport's requests are (same trust roots, same
/// host-name check, verification off only when the spoke turned it off), then closed. Cached
/// until a sign-in with it is refused.
final class TLSEndPoints: Sendable {
    private enum Known: Sendable { case endPoint(TLSServerEndPoint?) }
    private let cache = Mutex<[String: Known]>([:])
    private let configuration: TLSConfiguration
    private let timeout: TimeAmount
    /// Handshakes made (not cache answers), for tests.
    let handshakes = Atomic<Int>(0)

    init(tls: TLSSettings, timeout: TimeAmount) {
        configuration = AHCTransport.tlsConfiguration(tls)
        self.timeout = timeout
    }

    func endPoint(host: String, port: Int, fresh: Bool) async throws -> (endPoint: TLSServerEndPoint?, cached: Bool) {
        let key = "\(host.lowercased()):\(port)"
        if !fresh, case .endPoint(let known)? = cache.withLock({ $0[key] }) { return (known, true) }
        handshakes.add(1, ordering: .relaxed)
        let der: [UInt8]
        do {
            der = try await Self.certificate(host: host, port: port, configuration: configuration, timeout: timeout)
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw AHCTransport.classify(error)
        }
        let endPoint = TLSServerEndPoint(certificate: der)
        cache.withLock { $0[key] = .endPoint(endPoint) }
        return (endPoint, false)
    }

    /// The DER of the certificate `host:port` shows, once the handshake (and its verification)
    /// succeeded.
    static func certificate(host: String, port: Int, configuration: TLSConfiguration, timeout: TimeAmount) async throws
        -> [UInt8]
    {
        let context = try NIOSSLContext(configuration: configuration)
        let host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        // SNI carries names only; an address is checked against the certificate's IP entries.
        let name: String? = Self.isAddress(host) ? nil : host
        let group = AsyncHTTPClient.HTTPClient.defaultEventLoopGroup
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: name))
                    try channel.pipeline.syncOperations.addHandler(HandshakeDone(channel.eventLoop.makePromise()))
                }
            }
            .connect(host: host, port: port).get()
        defer { channel.close(promise: nil) }
        let done = try await channel.pipeline.handler(type: HandshakeDone.self).get()
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            done.promise.fail(HTTPTransportError(.timeout, "the TLS handshake took too long"))
        }
        defer { deadline.cancel() }
        try await done.promise.futureResult.get()
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else {
            throw HTTPTransportError(.tls, "the TLS handshake failed (the server showed no certificate)")
        }
        return try certificate.toDERBytes()
    }

    static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// Completes once the TLS handshake did, or fails with what stopped it.
    private final class HandshakeDone: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<Void>
        init(_ promise: EventLoopPromise<Void>) { self.promise = promise }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted? = event as? TLSUserEvent { promise.succeed() }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(HTTPTransportError(.connection, "the server closed the connection during the TLS handshake"))
            context.fireChannelInactive()
        }
    }
}

extension AHCTransport: TLSEndPointSource {
    public func serverEndPoint(host: String, port: Int, fresh: Bool) async throws
        -> (endPoint: TLSServerEndPoint?, cached: Bool)
    {
        try await endPoints.endPoint(host: host, port: port, fresh: fresh)
    }

    /// The TLS handshakes made to read a certificate (not answered from the cache).
    public var certificateHandshakes: Int { endPoints.handshakes.load(ordering: .relaxed) }
}
