import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Synchronization

/// Request context that knows its TCP connection: NTLM authenticates connections, and a
/// fault may drop one.
public struct EmulatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Identity of the TCP connection (valid while it is open).
    public let connectionID: ObjectIdentifier
    /// Closes the connection without answering.
    public let closeConnection: @Sendable () -> Void
    /// Registers a callback run once the connection has closed.
    public let onConnectionClose: @Sendable (@escaping @Sendable () -> Void) -> Void

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        connectionID = ObjectIdentifier(channel)
        closeConnection = { channel.close(promise: nil) }
        onConnectionClose = { callback in channel.closeFuture.whenComplete { _ in callback() } }
    }

    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}

/// A loopback HTTP/1.1 server around one handler, started and stopped by tests.
public final class EmulatorHTTPServer: Sendable {
    public typealias Handler = @Sendable (Request, EmulatorRequestContext) async -> Response

    struct State: Sendable {
        var task: Task<Void, any Error>?
        var port: Int?
        var connections: [ObjectIdentifier: @Sendable () -> Void] = [:]
    }
    private let state = Mutex(State())
    private let handler: Handler
    private let serverName: String?
    /// Called when a TCP connection closes (the authenticator forgets it).
    private let connectionClosed: @Sendable (ObjectIdentifier) -> Void

    public init(serverName: String? = nil, connectionClosed: @escaping @Sendable (ObjectIdentifier) -> Void = { _ in },
                handler: @escaping Handler) {
        self.handler = handler
        self.serverName = serverName
        self.connectionClosed = connectionClosed
    }

    public var port: Int? { state.withLock { $0.port } }
    public var openConnections: Int { state.withLock { $0.connections.count } }

    /// Binds `host:port` (0 picks a free port) and returns the bound port; https with `tls`.
    public func start(host: String = "127.0.0.1", port: Int = 0, tls: EmulatorTLS? = nil) async throws -> Int {
        if let port = self.port { return port }
        var logger = Logger(label: "emulator")
        logger.logLevel = .critical
        let responder = CallbackResponder<EmulatorRequestContext> { [self] request, context in
            track(context)
            return await handler(request, context)
        }
        let resumed = Once()
        let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: try $0.configuration()) } ?? .http1()
        return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Int, any Error>) in
            let app = Application(
                responder: responder,
                server: server,
                configuration: .init(address: .hostname(host, port: port), serverName: serverName),
                onServerRunning: { [self] channel in
                    let bound = channel.localAddress?.port ?? port
                    state.withLock { $0.port = bound }
                    if resumed.claim() { cont.resume(returning: bound) }
                },
                logger: logger
            )
            let task = Task { try await app.run() }
            state.withLock { $0.task = task }
            Task {
                do { try await task.value } catch {
                    if resumed.claim() { cont.resume(throwing: error) }
                }
                if resumed.claim() {
                    cont.resume(throwing: CancellationError())
                }
            }
        }
    }

    /// Stops listening and closes open connections.
    public func stop() async {
        let (task, closers) = state.withLock { st in
            defer { st.task = nil; st.port = nil; st.connections = [:] }
            return (st.task, Array(st.connections.values))
        }
        closers.forEach { $0() }
        task?.cancel()
        _ = try? await task?.value
    }

    private func track(_ context: EmulatorRequestContext) {
        let id = context.connectionID
        let isNew = state.withLock { st in
            guard st.connections[id] == nil else { return false }
            st.connections[id] = context.closeConnection
            return true
        }
        if isNew {
            context.onConnectionClose { [self] in
                state.withLock { _ = $0.connections.removeValue(forKey: id) }
                connectionClosed(id)
            }
        }
    }
}

extension Response {
    /// A response with a text body.
    static func text(_ status: HTTPResponse.Status, _ body: String, contentType: String = "text/xml; charset=utf-8",
                     headers extra: [(String, String)] = []) -> Response {
        typealias Field = HTTPFields.Element
        var headers = HTTPFields()
        headers[.contentType] = contentType
        for (name, value) in extra {
            if let name = Field.Name(name) { headers.append(Field(name: name, value: value)) }
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// True exactly once, from any thread.
final class Once: Sendable {
    private let done = Mutex(false)
    func claim() -> Bool { done.withLock { d in defer { d = true }; return !d } }
}

extension FaultInjector {
    /// `body` under this request's fault, if any. Dropped connections and lost answers are the
    /// same for every protocol; a status and a "busy" answer come in the protocol's own shape.
    func around(
        _ operation: String, context: EmulatorRequestContext, _ body: () async -> Response,
        status: (_ code: Int, _ retryAfter: Int?) -> Response, busy: (_ backOffMilliseconds: Int) -> Response
    ) async -> Response {
        switch await before(operation: operation) {
        case nil:
            return await body()
        case .httpStatus(let code, let retryAfter)?:
            return status(code, retryAfter)
        case .serverBusy(let ms)?:
            return busy(ms)
        case .dropConnection?:
            context.closeConnection()
            return .text(.internalServerError, "")
        case .dropAnswer?:
            _ = await body()
            context.closeConnection()
            return .text(.internalServerError, "")
        }
    }
}
