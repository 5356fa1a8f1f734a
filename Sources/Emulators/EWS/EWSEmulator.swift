import Foundation
import Synchronization

/// An Exchange Web Services server on loopback, faithful enough for real EWS clients (exchangelib).
///
/// ```swift
/// let emu = EWSEmulator(version: .exchange2016, auth: [.ntlm])
/// emu.addMailbox(email: "ann@example.com", user: "ann", password: "secret", domain: "EXAMPLE")
/// let url = try await emu.start()          // http://127.0.0.1:PORT/EWS/Exchange.asmx
/// emu.faults.inject(.httpStatus(503, retryAfter: 2), count: 1, operation: "SyncFolderItems")
/// await emu.stop()
/// ```
public final class EWSEmulator: Sendable {
    public let version: ExchangeVersion
    /// Fault plan: HTTP errors, ErrorServerBusy, dropped connections, latency, a request hook.
    public let faults = FaultInjector()
    /// Authentication (schemes can be changed at runtime; `authenticator.stats` counts handshakes).
    public let authenticator: Authenticator
    let store = EWSStore()

    struct Stats: Sendable {
        var requests: [String: Int] = [:]
        var inFlight: [String: Int] = [:]
        var maxInFlight: [String: Int] = [:]
    }
    let stats = Mutex(Stats())
    private let server = Mutex<EmulatorHTTPServer?>(nil)
    private let baseURL = Mutex<String?>(nil)
    /// The certificate's tls-server-end-point hash while serving https (EWSEmulator+TLS).
    let endPoint = Mutex<[UInt8]?>(nil)

    public init(version: ExchangeVersion = .exchange2016, auth: AuthSchemes = .all, realm: String = "127.0.0.1") {
        self.version = version
        self.authenticator = Authenticator(schemes: auth, realm: realm)
    }

    // MARK: Mailboxes

    /// Adds a mailbox with a Contacts folder (and the other default folders).
    public func addMailbox(email: String, user: String, password: String, domain: String = "EXAMPLE",
                           displayName: String? = nil) {
        store.add(MailboxState(email: email, user: user, password: password, domain: domain,
                               displayName: displayName ?? user))
    }

    /// Registers an OAuth bearer token accepted for `email`.
    public func addBearerToken(_ token: String, for email: String) {
        _ = store.with(email) { $0.bearerTokens.insert(token) }
    }

    public var mailboxes: [String] { store.emails }

    // MARK: Lifecycle

    /// Starts listening on 127.0.0.1 (port 0: a free one) and returns the EWS service URL; over
    /// https with `tls` (then `extendedProtection` can be turned on).
    @discardableResult
    public func start(port: Int = 0, tls: EmulatorTLS? = nil) async throws -> URL {
        if let url = serviceURL { return url }
        let server = EmulatorHTTPServer(serverName: "Microsoft-IIS/10.0", connectionClosed: { [authenticator] id in
            authenticator.connectionClosed(id)
        }, handler: { [self] request, context in
            await handle(request, context)
        })
        self.server.withLock { $0 = server }
        let bound = try await server.start(port: port, tls: tls)
        try serving(tls)
        baseURL.withLock { $0 = "\(tls == nil ? "http" : "https")://127.0.0.1:\(bound)" }
        return serviceURL!
    }

    /// Stops the server; state (mailboxes, contacts) is kept.
    public func stop() async {
        let server = self.server.withLock { s in defer { s = nil }; return s }
        await server?.stop()
        baseURL.withLock { $0 = nil }
    }

    /// `http://127.0.0.1:PORT/EWS/Exchange.asmx` while running.
    public var serviceURL: URL? { baseURL.withLock { $0 }.flatMap { URL(string: $0 + "/EWS/Exchange.asmx") } }
    /// `http://127.0.0.1:PORT/autodiscover/autodiscover.xml` (POX) while running.
    public var autodiscoverURL: URL? { baseURL.withLock { $0 }.flatMap { URL(string: $0 + "/autodiscover/autodiscover.xml") } }
    /// `http://127.0.0.1:PORT/autodiscover/autodiscover.svc` (SOAP) while running.
    public var autodiscoverSOAPURL: URL? { baseURL.withLock { $0 }.flatMap { URL(string: $0 + "/autodiscover/autodiscover.svc") } }
    var base: String { baseURL.withLock { $0 } ?? "http://127.0.0.1" }

    // MARK: Counters

    /// Requests per operation (EWS operation names, "Autodiscover" for POX, "GetUserSettings" for SOAP
    /// autodiscover), counted once authenticated, faulted ones included.
    public var requestCounts: [String: Int] { stats.withLock { $0.requests } }
    public func requestCount(_ operation: String) -> Int { stats.withLock { $0.requests[operation] ?? 0 } }
    /// Highest number of requests handled at the same time for a mailbox.
    public func maxConcurrentRequests(mailbox: String) -> Int { stats.withLock { $0.maxInFlight[mailbox.lowercased()] ?? 0 } }
    public var authStats: AuthStats { authenticator.stats }
    public func resetCounters() { stats.withLock { $0.requests = [:]; $0.maxInFlight = [:] } }

    /// Invalidates every SyncState handed out so far: the next SyncFolderItems with one of them gets
    /// ErrorInvalidSyncStateData (as after a mailbox move or a state too old).
    public func expireSyncStates() { store.forEach { $0.syncEpoch += 1 } }

    func begin(_ operation: String, mailbox: String) {
        stats.withLock { s in
            s.requests[operation, default: 0] += 1
            s.inFlight[mailbox, default: 0] += 1
            s.maxInFlight[mailbox] = max(s.maxInFlight[mailbox] ?? 0, s.inFlight[mailbox]!)
        }
    }

    func end(mailbox: String) { stats.withLock { $0.inFlight[mailbox, default: 1] -= 1 } }
}
