import ConnectorKit
import Foundation

/// NTLM over HTTP: the handshake logs in a connection, not a request, so it runs on a lane of
/// the transport, held from the first message to the final response.
extension HTTPClient {
    /// The credential when NTLM is what this origin gets: always with `.ntlm`, and with
    /// `.automatic` once the origin asked for it.
    func ntlmCredential(for url: URL) -> NTLM.Credential? {
        switch auth {
        case .ntlm(let user, let password, let domain):
            return NTLM.Credential(user: user, password: password, domain: domain)
        case .automatic(let user, let password) where memory.withLock({ $0.ntlmOrigins.contains(origin(url)) }):
            return NTLM.Credential(user: user, password: password, domain: nil)
        default:
            return nil
        }
    }

    /// Whether `.automatic` answers these challenges (Digest not usable) with NTLM. Offered with
    /// Basic, Basic wins over https: TLS guards it, and it costs no handshake nor a connection per
    /// login. Over plain http NTLM wins: it never sends the password.
    static func prefersNTLM(_ challenges: [AuthChallenge], _ url: URL) -> Bool {
        guard challenges.contains(where: { $0.scheme == "ntlm" }) else { return false }
        return url.scheme?.lowercased() != "https" || !challenges.contains { $0.scheme == "basic" }
    }

    /// One request over NTLM: sent bare on a lane already logged in, else (or when that gets a
    /// 401: the connection was closed and reopened) NEGOTIATE → CHALLENGE → AUTHENTICATE with the
    /// request. At most one handshake per call, but for one more when a sign-in bound to a cached
    /// certificate is refused and the server now shows another. Its 401s are not rejections, a
    /// 401 to the AUTHENTICATE is. The body goes with every leg: a server that stopped asking for
    /// auth would otherwise act on a request without it.
    func ntlmExchange(_ request: HTTPRequest, _ credential: NTLM.Credential) async throws -> HTTPResponse {
        let key = LaneKey(origin: origin(request.url), user: credential.user, domain: credential.domain,
                          password: credential.password)
        // Over https the sign-in is bound to the server's certificate (Extended Protection).
        let source = request.url.scheme?.lowercased() == "https" ? transport as? any TLSEndPointSource : nil
        let host = request.url.host ?? "", port = request.url.port ?? 443
        var binding = try await source?.serverEndPoint(host: host, port: port, fresh: false)
        if let binding, !binding.cached { logBinding(binding.endPoint, request.url) }
        return try await transport.withLane(key) { lane in
            var request = request
            if lane.authenticated {
                lane.authenticated = false
                let response = try await checked(wire(request, on: lane))
                guard response.status == 401 else {
                    lane.authenticated = true
                    return response
                }
            }
            var (response, signedIn) = try await ntlmHandshake(&request, credential, on: lane, binding: binding?.endPoint)
            // Answered before any sign-in (throttled, or no auth asked): as it is.
            guard signedIn else { return response }
            if response.status == 401, let source, binding?.cached == true {
                // The certificate may have changed since it was read: read it again, and sign in
                // again if it did.
                let again = try await source.serverEndPoint(host: host, port: port, fresh: true)
                logBinding(again.endPoint, request.url)
                if again.endPoint != binding?.endPoint {
                    binding = again
                    (response, signedIn) = try await ntlmHandshake(&request, credential, on: lane, binding: again.endPoint)
                    guard signedIn else { return response }
                }
            }
            guard response.status != 401 else { throw Self.ntlmRefused(https: source != nil, binding: binding?.endPoint) }
            lane.authenticated = true
            return response
        }
    }

    /// NEGOTIATE → CHALLENGE → AUTHENTICATE on `lane`: the AUTHENTICATE's answer, whatever its
    /// status (`signedIn`), or the NEGOTIATE's when it was not a challenge.
    private func ntlmHandshake(_ request: inout HTTPRequest, _ credential: NTLM.Credential, on lane: HTTPLane,
                               binding: TLSServerEndPoint?) async throws -> (HTTPResponse, signedIn: Bool) {
        let negotiate = NTLM.negotiate()
        request.setHeader("Authorization", "NTLM " + Data(negotiate).base64EncodedString())
        let challenged = try await checked(wire(request, on: lane))
        guard challenged.status == 401 else { return (challenged, false) }
        let challenges = AuthChallenge.parse(challenged.headers("WWW-Authenticate"))
        guard let token = challenges.first(where: { $0.scheme == "ntlm" && $0.token68 != nil })?.token68 else {
            let offered = challenges.map(\.scheme).joined(separator: ", ")
            throw ConnectorError(.unauthorized, "the server did not answer NTLM with a challenge "
                + "(it offers \(offered.isEmpty ? "nothing" : offered))")
        }
        guard let bytes = Data(base64Encoded: token), let challenge = NTLM.Challenge(Array(bytes)) else {
            throw ConnectorError(.protocolViolation, "the server sent a malformed NTLM challenge")
        }
        // The handshake dies with its connection: the AUTHENTICATE would go out on a new one
        // and fail as if the password were wrong.
        if challenged.header("Connection")?.lowercased().contains("close") == true {
            throw ConnectorError(.protocolViolation, "the server closes the connection in the middle of the NTLM "
                + "handshake (a proxy in between that does not keep connections?)")
        }
        memory.withLock { _ = $0.ntlmOrigins.insert(origin(request.url)) }
        let message = NTLM.authenticate(credential, challenge, clientChallenge: ntlmInputs.clientChallenge(),
                                        now: ntlmInputs.now(), negotiate: negotiate, binding: binding)
        request.setHeader("Authorization", "NTLM " + Data(message).base64EncodedString())
        return (try await checked(wire(request, on: lane)), true)
    }

    /// Which certificate sign-ins are bound to (a hash, nothing secret): what to compare when a
    /// proxy is suspected.
    private func logBinding(_ endPoint: TLSServerEndPoint?, _ url: URL) {
        let what = endPoint.map { "bound to the certificate hash " + $0.hash.prefix(8).map { String(format: "%02x", $0) }.joined() + "…" }
            ?? "unbound (no tls-server-end-point for this certificate)"
        logger.debug("\(origin(url)): NTLM sign-ins \(what)")
    }

    /// A refused AUTHENTICATE. Over https it may be Extended Protection rather than the password:
    /// the server cannot tell the admin which (a wrong binding looks like a wrong password).
    static func ntlmRefused(https: Bool, binding: TLSServerEndPoint?) -> ConnectorError {
        let password = "the server rejected the user name or password"
        guard https else { return ConnectorError(.unauthorized, password) }
        let why = binding != nil
            ? "the channel binding HubSync sent for the certificate it was shown (a proxy or load balancer that ends "
                + "TLS in front of the server shows another one)"
            : "a channel binding, which HubSync could not make for this server's certificate"
        return ConnectorError(.unauthorized, "\(password), or Extended Protection on the server refused \(why)")
    }

    private func checked(_ response: HTTPResponse) throws -> HTTPResponse {
        guard response.status != 407 else {
            throw ConnectorError(.unauthorized, "a proxy on the way to the server asks for credentials")
        }
        return response
    }
}
