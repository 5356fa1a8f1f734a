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
        // The promise is made before connecting: a handshake that fails at once tears the
        // pipeline down before anyone could look its handlers up.
        let loop = AsyncHTTPClient.HTTPClient.defaultEventLoopGroup.next()
        let done = loop.makePromise(of: [UInt8].self)
        let deadline = loop.scheduleTask(in: timeout) {
            done.fail(HTTPTransportError(.timeout, "the TLS handshake took too long"))
        }
        defer { deadline.cancel() }
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: name))
                        try channel.pipeline.syncOperations.addHandler(HandshakeDone(done))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            done.fail(error)  // nothing waits on it: completed so it is not leaked
            throw error
        }
        defer { channel.close(promise: nil) }
        return try await done.futureResult.get()
    }

    static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// Completes with the peer's certificate (DER) once the TLS handshake did, read right then
    /// (the channel may close at once after), or fails with what stopped it.
    private final class HandshakeDone: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<[UInt8]>
        init(_ promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted? = event as? TLSUserEvent {
                do {
                    guard let certificate = try context.pipeline.syncOperations.nioSSL_peerCertificate() else {
                        throw HTTPTransportError(.tls, "the TLS handshake failed (the server showed no certificate)")
                    }
                    promise.succeed(try certificate.toDERBytes())
                } catch {
                    promise.fail(error)
                }
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        /// A failed handshake may close the channel (its alert's write failing) before it reports
        /// why: the reason, fired in the same turn of the event loop, wins over this.
        func channelInactive(context: ChannelHandlerContext) {
            let promise = self.promise
            context.eventLoop.execute {
                promise.fail(HTTPTransportError(.connection, "the server closed the connection during the TLS handshake"))
            }
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
