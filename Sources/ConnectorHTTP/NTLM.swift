import Crypto
import Foundation

/// NTLM messages (MS-NLMP), NTLMv2 only, built and read without state: the handshake is
/// `HTTPClient`'s. No signing or sealing (HTTP needs neither): the session key only signs the
/// handshake itself (the MIC), which Extended Protection requires with the channel binding.
enum NTLM {
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt32
        static let unicode = Flags(rawValue: 0x0000_0001)
        static let requestTarget = Flags(rawValue: 0x0000_0004)
        static let ntlm = Flags(rawValue: 0x0000_0200)
        static let alwaysSign = Flags(rawValue: 0x0000_8000)
        static let extendedSessionSecurity = Flags(rawValue: 0x0008_0000)
        static let targetInfo = Flags(rawValue: 0x0080_0000)
        static let use128 = Flags(rawValue: 0x2000_0000)
        static let use56 = Flags(rawValue: 0x8000_0000)

        /// What we ask for (no VERSION: it is there for debugging only).
        static let requested: Flags = [.unicode, .requestTarget, .ntlm, .alwaysSign, .extendedSessionSecurity, .use128, .use56]
    }

    private static let signature = Array("NTLMSSP\0".utf8)

    /// Type 1 NEGOTIATE: no domain or workstation (empty fields pointing past the 32-byte header).
    static func negotiate() -> [UInt8] {
        var m = Writer()
        m.bytes(signature)
        m.u32(1)
        m.u32(Flags.requested.rawValue)
        m.field(length: 0, offset: 32)
        m.field(length: 0, offset: 32)
        return m.out
    }

    /// Type 2 CHALLENGE, as far as NTLMv2 needs it.
    struct Challenge: Sendable, Equatable {
        var flags: Flags
        var serverChallenge: [UInt8]
        /// The AV pairs as the server sent them: they go back verbatim inside the NTLMv2 blob.
        var targetInfo: [UInt8]
        /// MsvAvTimestamp (FILETIME, little-endian) when the server sent one.
        var timestamp: [UInt8]?
        /// The message as received: the MIC signs it.
        var raw: [UInt8]

        /// Nil when the message is not a well-formed CHALLENGE.
        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 32, Array(bytes[0..<8]) == signature, Reader.u32(bytes, 8) == 2 else { return nil }
            flags = Flags(rawValue: Reader.u32(bytes, 20))
            serverChallenge = Array(bytes[24..<32])
            raw = bytes
            targetInfo = []
            timestamp = nil
            // Servers from before NTLMv2 end at the challenge; NTLMv2 then answers with an empty list.
            guard bytes.count >= 48 else { return }
            let length = Int(Reader.u16(bytes, 40)), offset = Int(Reader.u32(bytes, 44))
            guard length > 0 else { return }
            guard offset >= 48, offset + length <= bytes.count else { return nil }
            targetInfo = Array(bytes[offset..<offset + length])
            guard let pairs = Self.avPairs(targetInfo) else { return nil }
            timestamp = pairs.first { $0.id == 7 && $0.value.count == 8 }?.value
        }

        init(flags: Flags, serverChallenge: [UInt8], targetInfo: [UInt8], timestamp: [UInt8]?, raw: [UInt8] = []) {
            self.raw = raw
            self.flags = flags
            self.serverChallenge = serverChallenge
            self.targetInfo = targetInfo
            self.timestamp = timestamp
        }

        /// (AvId, value) up to MsvAvEOL; nil when a pair runs past the end.
        static func avPairs(_ info: [UInt8]) -> [(id: UInt16, value: [UInt8])]? {
            var pairs: [(id: UInt16, value: [UInt8])] = []
            var i = 0
            while i + 4 <= info.count {
                let id = Reader.u16(info, i), length = Int(Reader.u16(info, i + 2))
                if id == 0 { return pairs }
                guard i + 4 + length <= info.count else { return nil }
                pairs.append((id, Array(info[i + 4..<i + 4 + length])))
                i += 4 + length
            }
            return nil
        }
    }

    /// Who answers. A domain given apart wins; else "DOMAIN\user" is split, and "user@domain"
    /// (a UPN) goes whole with an empty domain, as Windows itself sends it: the server resolves it.
    struct Credential: Sendable {
        var user: String
        var domain: String
        var password: String

        init(user: String, password: String, domain: String?) {
            self.password = password
            if let domain {
                (self.user, self.domain) = (user, domain)
            } else if let slash = user.firstIndex(of: "\\") {
                (self.user, self.domain) = (String(user[user.index(after: slash)...]), String(user[..<slash]))
            } else {
                (self.user, self.domain) = (user, "")
            }
        }
    }

    /// NTOWFv2 = HMAC-MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) + domain)); the domain
    /// keeps its case.
    static func ntowfv2(_ credential: Credential) -> [UInt8] {
        let ntHash = MD4.hash(utf16le(credential.password))
        return hmacMD5(key: ntHash, utf16le(upper(credential.user) + credential.domain))
    }

    /// The NTLMv2 and LMv2 responses (MS-NLMP §3.3.2), over `targetInfo` (the server's AV pairs,
    /// with ours added). `time` is a FILETIME, little-endian.
    static func responses(_ credential: Credential, _ challenge: Challenge, clientChallenge: [UInt8], time: [UInt8],
                          targetInfo: [UInt8]? = nil) -> (nt: [UInt8], lm: [UInt8])
    {
        let key = ntowfv2(credential)
        // Responserversion, HiResponserversion, Z(6), Time, ClientChallenge, Z(4), AV pairs, Z(4).
        let blob = [1, 1] + [UInt8](repeating: 0, count: 6) + time + clientChallenge + [0, 0, 0, 0]
            + (targetInfo ?? challenge.targetInfo) + [0, 0, 0, 0]
        let proof = hmacMD5(key: key, challenge.serverChallenge + blob)
        // With a server timestamp the LMv2 response SHOULD be Z(24) (MS-NLMP §3.1.5.1.2).
        let lm = challenge.timestamp != nil
            ? [UInt8](repeating: 0, count: 24)
            : hmacMD5(key: key, challenge.serverChallenge + clientChallenge) + clientChallenge
        return (proof + blob, lm)
    }

    /// Type 3 AUTHENTICATE. `now` is used only when the challenge carries no timestamp. With a
    /// server timestamp it carries a MIC over the three messages (`negotiate` as sent), and with
    /// `binding` (https) the channel binding: Extended Protection refuses a sign-in without both.
    static func authenticate(_ credential: Credential, _ challenge: Challenge, clientChallenge: [UInt8], now: Date,
                             negotiate: [UInt8] = NTLM.negotiate(), binding: TLSServerEndPoint? = nil) -> [UInt8]
    {
        let time = challenge.timestamp ?? fileTime(now)
        // MS-NLMP §3.1.5.1.2: a MIC when the server sent a timestamp.
        let withMIC = challenge.timestamp != nil
        let info = withMIC || binding != nil
            ? targetInfo(challenge.targetInfo, mic: withMIC, binding: binding) : challenge.targetInfo
        let (nt, lm) = responses(credential, challenge, clientChallenge: clientChallenge, time: time, targetInfo: info)
        let domain = utf16le(credential.domain), user = utf16le(credential.user)
        // We write UTF-16 whatever the server prefers; every server since NT 4 reads it.
        let flags = challenge.flags.intersection(Flags.requested).union([.unicode, .ntlm])
        // With a MIC: the VERSION (zero: we do not negotiate it) and the MIC come after the flags.
        let header = withMIC ? 88 : 64
        var m = Writer()
        m.bytes(signature)
        m.u32(3)
        var offset = header
        for part in [lm, nt, domain, user, [], []] {  // …, workstation, encrypted session key
            m.field(length: part.count, offset: offset)
            offset += part.count
        }
        m.u32(flags.rawValue)
        if withMIC { m.bytes([UInt8](repeating: 0, count: 24)) }
        for part in [lm, nt, domain, user] { m.bytes(part) }
        guard withMIC else { return m.out }
        let mic = self.mic(sessionKey: sessionBaseKey(credential, ntResponse: nt), negotiate: negotiate,
                           challenge: challenge.raw, authenticate: m.out)
        m.out.replaceSubrange(72..<88, with: mic)
        return m.out
    }

    /// The server's AV pairs with MsvAvFlags (MIC present) and MsvAvChannelBindings set, before
    /// MsvAvEOL. A pair of either kind the server sent is replaced, its other flags kept.
    static func targetInfo(_ info: [UInt8], mic: Bool, binding: TLSServerEndPoint?) -> [UInt8] {
        var pairs = Challenge.avPairs(info) ?? []
        if mic {
            let old = pairs.first { $0.id == 6 && $0.value.count == 4 }.map { Reader.u32($0.value, 0) } ?? 0
            let flags = old | 0x2
            let value = (0..<4).map { UInt8(truncatingIfNeeded: flags >> (8 * UInt32($0))) }
            if let i = pairs.firstIndex(where: { $0.id == 6 }) { pairs[i].value = value } else { pairs.append((6, value)) }
        }
        if let binding {
            pairs.removeAll { $0.id == 10 }
            pairs.append((10, binding.avChannelBindings))
        }
        var w = Writer()
        for pair in pairs {
            w.u16(Int(pair.id))
            w.u16(pair.value.count)
            w.bytes(pair.value)
        }
        w.bytes([0, 0, 0, 0])
        return w.out
    }

    /// NTLMv2 SessionBaseKey = HMAC-MD5(NTOWFv2, NTProofStr). Without KEY_EXCH (we never ask for
    /// it) it is also the exported session key the MIC is keyed with.
    static func sessionBaseKey(_ credential: Credential, ntResponse: [UInt8]) -> [UInt8] {
        hmacMD5(key: ntowfv2(credential), Array(ntResponse.prefix(16)))
    }

    /// MIC = HMAC-MD5(ExportedSessionKey, NEGOTIATE + CHALLENGE + AUTHENTICATE with the MIC zeroed).
    static func mic(sessionKey: [UInt8], negotiate: [UInt8], challenge: [UInt8], authenticate: [UInt8]) -> [UInt8] {
        hmacMD5(key: sessionKey, negotiate + challenge + authenticate)
    }

    /// 100 ns ticks since 1601-01-01 UTC, little-endian.
    static func fileTime(_ date: Date) -> [UInt8] {
        let ticks = UInt64(max(0, (date.timeIntervalSince1970 + 11_644_473_600) * 10_000_000))
        return (0..<8).map { UInt8(truncatingIfNeeded: ticks >> (8 * UInt64($0))) }
    }

    static func utf16le(_ s: String) -> [UInt8] {
        s.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    /// Windows upper-cases one character for one (simple case mapping): "ß" stays "ß", not "SS".
    static func upper(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let mapped = scalar.properties.uppercaseMapping.unicodeScalars
            out.append(contentsOf: mapped.count == 1 ? Array(mapped) : [scalar])
        }
        return String(out)
    }

    static func hmacMD5(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    private struct Writer {
        var out: [UInt8] = []
        mutating func bytes(_ b: [UInt8]) { out += b }
        mutating func u16(_ v: Int) { out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
        mutating func u32(_ v: UInt32) { out += (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
        /// A security buffer: length, allocated length, offset into the message.
        mutating func field(length: Int, offset: Int) {
            u16(length)
            u16(length)
            u32(UInt32(offset))
        }
    }

    private enum Reader {
        static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
        static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
            UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
        }
    }
}

/// What an NTLM answer takes from outside: a fresh client challenge, and the time (sent only
/// when the server's challenge has none). Injected so tests are exact.
public struct NTLMInputs: Sendable {
    public var clientChallenge: @Sendable () -> [UInt8]
    public var now: @Sendable () -> Date

    public init(
        clientChallenge: @escaping @Sendable () -> [UInt8] = { (0..<8).map { _ in UInt8.random(in: 0...255) } },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.clientChallenge = clientChallenge
        self.now = now
    }
}
