import ConnectorKit
import Foundation
import Logging
import Synchronization

/// Spelled out for files that also import AsyncHTTPClient (which has its own `HTTPClient`).
public typealias ConnectorHTTPClient = HTTPClient

/// HTTP for connectors, written once: auth, redirects, retries with backoff and Retry-After,
/// a concurrency limit and a request count. Statuses are the caller's to map, except the few
/// below that mean the same for every connector.
public final class HTTPClient: Sendable {
    public let transport: any HTTPTransport
    let auth: HTTPAuth
    private let retry: RetryPolicy
    private let limiter: Limiter
    private let userAgent: String
    let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    /// The most one request on the wire may take, headers and body: a server trickling a byte
    /// or a header line a second never trips an idle timeout.
    let deadline: Duration
    /// Waits out `deadline` (injected by tests, which end it at once).
    let deadlineTimer: @Sendable (Duration) async throws -> Void
    let ntlmInputs: NTLMInputs
    let memory = Mutex(AuthMemory())
    private let sent = Atomic<Int>(0)
    static let maxRedirects = 5

    /// `maxConcurrent` also bounds the NTLM lanes (connections) this client holds at a time;
    /// `limiter`, when given, is shared with other clients instead (and `maxConcurrent` unused).
    public init(
        transport: any HTTPTransport, auth: HTTPAuth = .none, retry: RetryPolicy = .init(), maxConcurrent: Int = 4,
        userAgent: String = "HubSync/0.1", logger: Logger = HTTPClient.silent,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        ntlmInputs: NTLMInputs = .init(), deadline: Duration = .seconds(120),
        deadlineTimer: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        limiter: Limiter? = nil
    ) {
        self.ntlmInputs = ntlmInputs
        self.deadline = deadline
        self.deadlineTimer = deadlineTimer
        self.transport = transport
        self.auth = auth
        self.retry = retry
        self.limiter = limiter ?? Limiter(limit: maxConcurrent)
        self.userAgent = userAgent
        self.logger = logger
        self.sleep = sleep
    }

    /// For callers that pass no logger: a library never logs on a logger of its own making.
    public static let silent = Logger(label: "hubsync.http") { _ in SwiftLogNoOpLogHandler() }

    /// Every request put on the wire, retries, redirect hops and auth round trips included.
    public var requestsSent: Int { sent.load(ordering: .relaxed) }

    /// The scheme the server asked for so far (nil: none yet). Remembered with a spoke's
    /// settings, it lets the next run send Basic up front instead of waiting for a 401 first
    /// (servers delay failed logins, Radicale by a second), or start NTLM at once.
    public var answeredScheme: AuthScheme? {
        memory.withLock { m in
            m.digest != nil ? .digest : !m.ntlmOrigins.isEmpty ? .ntlm : (m.basicOrigins.isEmpty ? nil : .basic)
        }
    }

    /// Sends with auth, redirects, retries and the concurrency limit, and returns the final
    /// response whatever its status, except:
    /// - 401/407 once credentials were answered → `.unauthorized`;
    /// - 429/500/502/503/504 are retried (Retry-After honoured up to `maxRetryAfter`, for each wait
    ///   and for all waits of the request together; longer → `.unavailable`); after `maxAttempts`
    ///   the last response is returned;
    /// - a request on the wire longer than `deadline` → `.unavailable` ("too slow"), not re-sent;
    /// - network failures are retried, then `.unavailable`; an untrusted TLS certificate is
    ///   `.misconfigured` at once.
    /// The request is re-sent as given, so it must be safe to repeat (conditional writes are);
    /// one that is not (`replayable` false) is not re-sent after a network failure.
    /// Every `ConnectorError` thrown names the server and the request (`ConnectorError.server`,
    /// `.request`), so its text tells an admin where to look.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await sendUnnamed(request)
        } catch let e as ConnectorError {
            throw e.at(server: ServerName.of(request.url), request: Self.requestName(request))
        }
    }

    /// How a request is named in texts for admins: method and path, never the query (tokens).
    public static func requestName(_ request: HTTPRequest) -> String {
        "\(request.method) \(path(request.url))"
    }

    private func sendUnnamed(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await limiter.acquire()
        // A throttled request keeps its slot while it backs off: easing the load is the point.
        defer { limiter.release() }
        var attempt = 0
        var waited = Duration.zero
        while true {
            attempt += 1
            let response: HTTPResponse
            do {
                response = try await followingRedirects(request)
            } catch let error as HTTPTransportError {
                switch error.kind {
                case .tls where error.message.contains("certificate"):
                    throw ConnectorError(.misconfigured, "its TLS certificate is not trusted (\(error.message)); "
                        + "give the CA file or turn verification off explicitly")
                case .tls:
                    throw ConnectorError(.misconfigured, "\(error.message) (does the server speak https on this port?)")
                case .invalidRequest:
                    throw ConnectorError(.misconfigured, "the request cannot be sent: \(error.message)")
                case .tooSlow:
                    throw ConnectorError(.unavailable, "the server is too slow: the request \(error.message)")
                case .connection, .timeout:
                    guard request.replayable else {
                        throw ConnectorError(.unavailable, "the connection was lost during the request (\(error.message)); "
                            + "not sent again, as it may have landed: the next sync checks")
                    }
                    guard attempt < retry.maxAttempts else {
                        throw ConnectorError(.unavailable, "could not reach the server: \(error.message)")
                    }
                    let delay = retry.backoff(after: attempt)
                    waited += delay
                    try await sleep(delay)
                    continue
                }
            }
            guard case .retry(let advised) = retry.decide(response), attempt < retry.maxAttempts else {
                return response
            }
            let delay = advised ?? retry.retryAfter(response.header("Retry-After")) ?? retry.backoff(after: attempt)
            if delay > retry.maxRetryAfter {
                let until = retry.now().addingTimeInterval(Double(delay.components.seconds))
                throw ConnectorError(.unavailable, "the server answered \(response.status) and asks to wait "
                    + "\(delay.components.seconds) s; try again after \(until.ISO8601Format())")
            }
            // Each wait may be fine while their sum is not: a server answering 503 with
            // Retry-After 100 five times would hold the pass for eight minutes.
            if waited + delay > retry.maxRetryAfter {
                let until = retry.now().addingTimeInterval(Double(delay.components.seconds))
                throw ConnectorError(.unavailable, "the server still answers \(response.status) after "
                    + "\(attempt) attempts and \(waited.components.seconds) s of waiting; try again after \(until.ISO8601Format())")
            }
            waited += delay
            try await sleep(delay)
        }
    }

    /// Hops are taken here, not in the transport, so each one is authenticated for its own URL.
    /// Reads (and 307/308 for any method) follow with the same method and body; an https → http
    /// downgrade is not followed.
    private func followingRedirects(_ request: HTTPRequest) async throws -> HTTPResponse {
        var current = request
        var hops = 0
        while true {
            let trusted = origin(current.url) == origin(request.url)
            var response = try await authenticated(current, trusted: trusted)
            response.url = current.url
            guard transport.followRedirects, [301, 302, 303, 307, 308].contains(response.status),
                [307, 308].contains(response.status)
                    || [.get, .head, .options, .propfind, .report].contains(current.method),
                let location = response.header("Location"),
                let next = URL(string: location, relativeTo: current.url)?.absoluteURL,
                !(current.url.scheme == "https" && next.scheme != "https")
            else { return response }
            hops += 1
            guard hops <= Self.maxRedirects else {
                throw ConnectorError(.protocolViolation, "the server redirected the request more than \(Self.maxRedirects) times")
            }
            current.url = next
            // A credential the caller set itself is for the first origin only.
            if origin(next) != origin(request.url) {
                current.headers.removeAll { $0.0.caseInsensitiveCompare("Authorization") == .orderedSame }
            }
        }
    }

    /// One hop: credentials sent ahead where known, challenges answered. Basic, bearer and NTLM
    /// go only to the origin the caller named (`trusted`): an NTLMv2 answer can be relayed or
    /// cracked offline. Digest never reveals the password.
    private func authenticated(_ request: HTTPRequest, trusted: Bool) async throws -> HTTPResponse {
        var request = request
        if request.header("User-Agent") == nil { request.headers.append(("User-Agent", userAgent)) }
        if trusted, let credential = ntlmCredential(for: request.url) {
            return try await ntlmExchange(request, credential)
        }
        let rejected: ConnectorError
        if case .bearer = auth {
            rejected = ConnectorError(.unauthorized, "the server refused the access token, a fresh one too; sign in again")
        } else {
            rejected = ConnectorError(.unauthorized, "the server rejected the user name or password")
        }
        // Whether the Authorization now set answers a challenge of this very exchange.
        var answered = false
        switch auth {
        case .none:
            break
        case .basic(let user, let password):
            guard trusted else { break }
            request.setHeader("Authorization", basicHeader(user, password))
            answered = true
        case .digest(let user, let password), .automatic(let user, let password):
            if let header = memory.nextDigest(for: request, user: user, password: password) {
                request.setHeader("Authorization", header)
            } else if case .automatic = auth, trusted, memory.withLock({ $0.basicOrigins.contains(origin(request.url)) }) {
                request.setHeader("Authorization", basicHeader(user, password))
                answered = true
            }
        case .bearer(let provider):
            guard trusted else { break }
            request.setHeader("Authorization", "Bearer \(try await token(provider, rejected: nil, request.url))")
        case .ntlm:
            break  // trusted origins went to ntlmExchange above
        }
        var bearerRefreshed = false
        // Bounded: a server answering stale=true forever must not keep us here.
        for _ in 0..<4 {
            let response = try await wire(request)
            guard response.status == 401 || response.status == 407 else { return response }
            if case .none = auth { return response }
            if response.status == 407 {
                throw ConnectorError(.unauthorized, "a proxy on the way to the server asks for credentials")
            }
            let challenges = AuthChallenge.parse(response.headers("WWW-Authenticate"))
            switch auth {
            case .none:
                return response
            case .basic, .ntlm:
                throw rejected
            case .bearer(let provider):
                guard trusted, !bearerRefreshed else { throw rejected }
                bearerRefreshed = true
                let refused = request.header("Authorization").map { String($0.dropFirst("Bearer ".count)) }
                request.setHeader("Authorization", "Bearer \(try await token(provider, rejected: refused, request.url))")
            case .digest(let user, let password), .automatic(let user, let password):
                if let digest = DigestChallenge.best(in: challenges), !answered || digest.stale {
                    request.setHeader("Authorization", memory.answer(digest, for: request, user: user, password: password))
                } else if case .automatic = auth, trusted, !answered, Self.prefersNTLM(challenges, request.url) {
                    memory.withLock { _ = $0.ntlmOrigins.insert(origin(request.url)) }
                    return try await ntlmExchange(request, NTLM.Credential(user: user, password: password, domain: nil))
                } else if case .automatic = auth, trusted, !answered, challenges.contains(where: { $0.scheme == "basic" }) {
                    memory.withLock { _ = $0.basicOrigins.insert(origin(request.url)) }
                    request.setHeader("Authorization", basicHeader(user, password))
                } else if answered || request.header("Authorization") != nil {
                    throw rejected
                } else {
                    let offered = challenges.map(\.scheme).joined(separator: ", ")
                    throw ConnectorError(.unauthorized, "the server asks for authentication HubSync does not answer "
                        + "(\(offered.isEmpty ? "no challenge" : offered))")
                }
                answered = true
            }
        }
        throw rejected
    }

    private func token(
        _ provider: @Sendable (_ rejected: String?) async throws -> String, rejected: String?, _ url: URL
    ) async throws -> String {
        do {
            return try await provider(rejected)
        } catch let error as ConnectorError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ConnectorError(.unauthorized, "no access token could be had: \(error)")
        }
    }

    /// One request on the wire (through `lane` when given), within `deadline`, counted and
    /// logged (method, path, status, time; never headers, query or bodies).
    func wire(_ request: HTTPRequest, on lane: HTTPLane? = nil) async throws -> HTTPResponse {
        sent.add(1, ordering: .relaxed)
        let start = ContinuousClock.now
        let what = "\(request.method) \(origin(request.url))\(Self.path(request.url))"
        do {
            let response = try await withDeadline { [transport] in
                if let lane { return try await lane.send(request) }
                return try await transport.send(request)
            }
            logger.debug("\(what) → \(response.status) in \(Self.millis(since: start)) ms")
            return response
        } catch {
            logger.debug("\(what) failed in \(Self.millis(since: start)) ms: \(error)")
            throw error
        }
    }

    /// Runs `send`, cancelled once `deadline` has passed. The transport must honour cancellation
    /// (AsyncHTTPClient does, body included).
    private func withDeadline(
        _ send: @escaping @Sendable () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let deadline = self.deadline, timer = self.deadlineTimer
        guard let response = try await firstBefore({ try await timer(deadline) }, send) else {
            throw HTTPTransportError(.tooSlow, "took more than \(deadline.components.seconds) s (headers and body); stopped waiting")
        }
        return response
    }

    /// The path alone, as sent: queries may carry tokens.
    public static func path(_ url: URL) -> String {
        URLComponents(url: url, resolvingAgainstBaseURL: true)?.percentEncodedPath ?? ""
    }

    private static func millis(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }
}
