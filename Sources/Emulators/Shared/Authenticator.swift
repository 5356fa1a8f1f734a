import Foundation
import Synchronization

/// Which challenge schemes a server offers. Bearer tokens are accepted whenever an account has one.
public struct AuthSchemes: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let basic = AuthSchemes(rawValue: 1)
    public static let ntlm = AuthSchemes(rawValue: 2)
    public static let all: AuthSchemes = [.basic, .ntlm]
}

/// An identity the authenticator may accept.
public struct AuthAccount: Sendable {
    public var id: String
    public var user: String
    public var email: String
    public var password: String
    public var domain: String
    public var bearerTokens: Set<String>
    public init(id: String, user: String, email: String, password: String, domain: String, bearerTokens: Set<String> = []) {
        self.id = id; self.user = user; self.email = email; self.password = password
        self.domain = domain; self.bearerTokens = bearerTokens
    }

    /// True when `name` (user, DOMAIN\user, user@domain or the e-mail address) names this account.
    func matches(name: String, domain claimedDomain: String?) -> Bool {
        var name = name, claimed = claimedDomain ?? ""
        if let slash = name.firstIndex(of: "\\") {
            claimed = String(name[..<slash]); name = String(name[name.index(after: slash)...])
        }
        let domainOK = claimed.isEmpty || claimed.caseInsensitiveCompare(domain) == .orderedSame
            || domain.split(separator: ".").first.map { claimed.caseInsensitiveCompare(String($0)) == .orderedSame } == true
        if name.caseInsensitiveCompare(email) == .orderedSame { return true }
        return domainOK && name.caseInsensitiveCompare(user) == .orderedSame
    }
}

/// Outcome of authenticating one request.
public enum AuthOutcome: Sendable, Equatable {
    case authenticated(accountID: String, scheme: String)
    /// Answer 401 with these WWW-Authenticate values.
    case challenge([String])
}

/// Counters, for tests that must prove which scheme really ran.
public struct AuthStats: Sendable, Equatable {
    public var ntlmHandshakesStarted = 0
    public var ntlmSucceeded = 0
    public var ntlmFailed = 0
    public var basicSucceeded = 0
    public var basicFailed = 0
    public var bearerSucceeded = 0
    public var challenges = 0
    /// NTLM sign-ins with a right password refused by Extended Protection, by reason.
    public var extendedProtectionRefused: [ExtendedProtection.Refusal: Int] = [:]
}

/// Basic, NTLM (bound to the TCP connection) and Bearer authentication.
public final class Authenticator: Sendable {
    /// A pending handshake keeps its messages: the MIC signs them.
    enum ConnState: Sendable { case challenged([UInt8], negotiate: [UInt8], challenge: [UInt8]), authenticated(String) }
    struct State: Sendable {
        var schemes: AuthSchemes
        /// The tls-server-end-point hash NTLM sign-ins must be bound to (Extended Protection on).
        var extendedProtection: [UInt8]?
        var connections: [ObjectIdentifier: ConnState] = [:]
        var stats = AuthStats()
    }

    private let state: Mutex<State>
    public let names: NTLM.ServerNames
    public let realm: String

    public init(schemes: AuthSchemes, realm: String = "127.0.0.1", names: NTLM.ServerNames = .init()) {
        state = Mutex(State(schemes: schemes))
        self.realm = realm
        self.names = names
    }

    public var schemes: AuthSchemes {
        get { state.withLock { $0.schemes } }
        set { state.withLock { $0.schemes = newValue } }
    }
    public var stats: AuthStats { state.withLock { $0.stats } }
    /// Extended Protection: when set (to the hash of the server's certificate, RFC 5929), an NTLM
    /// sign-in without that channel binding or a valid MIC is refused like a wrong password.
    public var extendedProtection: [UInt8]? {
        get { state.withLock { $0.extendedProtection } }
        set { state.withLock { $0.extendedProtection = newValue } }
    }

    /// Forgets a closed connection.
    public func connectionClosed(_ id: ObjectIdentifier) { _ = state.withLock { $0.connections.removeValue(forKey: id) } }

    public func authenticate(authorization: String?, connection: ObjectIdentifier, accounts: [AuthAccount]) -> AuthOutcome {
        state.withLock { st in
            let offers = offers(st.schemes)
            guard let header = authorization?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
                if case .authenticated(let id) = st.connections[connection], st.schemes.contains(.ntlm) {
                    return .authenticated(accountID: id, scheme: "NTLM")
                }
                st.stats.challenges += 1
                return .challenge(offers)
            }
            let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
            let scheme = parts[0].lowercased(), payload = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            switch scheme {
            case "bearer":
                if let acct = accounts.first(where: { $0.bearerTokens.contains(payload) }) {
                    st.stats.bearerSucceeded += 1
                    return .authenticated(accountID: acct.id, scheme: "Bearer")
                }
            case "basic" where st.schemes.contains(.basic):
                if let decoded = Data(base64Encoded: payload).map({ String(decoding: $0, as: UTF8.self) }),
                   let colon = decoded.firstIndex(of: ":") {
                    let user = String(decoded[..<colon]), password = String(decoded[decoded.index(after: colon)...])
                    if let acct = accounts.first(where: { $0.matches(name: user, domain: nil) && $0.password == password }) {
                        st.stats.basicSucceeded += 1
                        return .authenticated(accountID: acct.id, scheme: "Basic")
                    }
                }
                st.stats.basicFailed += 1
            case "ntlm" where st.schemes.contains(.ntlm), "negotiate" where st.schemes.contains(.ntlm):
                let token = Data(base64Encoded: payload).map { [UInt8]($0) } ?? []
                switch NTLM.messageType(token) {
                case 1:
                    var challenge = [UInt8](repeating: 0, count: 8)
                    for i in challenge.indices { challenge[i] = UInt8.random(in: 0...255) }
                    st.stats.ntlmHandshakesStarted += 1
                    let type2 = NTLM.challenge(negotiate: token, serverChallenge: challenge, names: names)
                    st.connections[connection] = .challenged(challenge, negotiate: token, challenge: type2)
                    return .challenge(["\(parts[0]) " + Data(type2).base64EncodedString()])
                case 3:
                    guard case .challenged(let challenge, let negotiate, let type2) = st.connections[connection],
                          let msg = NTLM.parseAuthenticate(token),
                          let acct = accounts.first(where: { $0.matches(name: msg.user, domain: msg.domain) }),
                          NTLM.verify(msg, password: acct.password, serverChallenge: challenge)
                    else {
                        st.connections[connection] = nil
                        st.stats.ntlmFailed += 1
                        break
                    }
                    if let endPoint = st.extendedProtection,
                       let refusal = ExtendedProtection.check(authenticate: token, msg, password: acct.password,
                                                              negotiate: negotiate, challenge: type2, endPoint: endPoint) {
                        st.connections[connection] = nil
                        st.stats.ntlmFailed += 1
                        st.stats.extendedProtectionRefused[refusal, default: 0] += 1
                        break
                    }
                    st.connections[connection] = .authenticated(acct.id)
                    st.stats.ntlmSucceeded += 1
                    return .authenticated(accountID: acct.id, scheme: "NTLM")
                default:
                    st.stats.ntlmFailed += 1
                }
            default:
                break
            }
            st.stats.challenges += 1
            return .challenge(offers)
        }
    }

    private func offers(_ schemes: AuthSchemes) -> [String] {
        var out: [String] = []
        if schemes.contains(.ntlm) { out.append("NTLM") }
        if schemes.contains(.basic) { out.append("Basic realm=\"\(realm)\"") }
        return out
    }
}
