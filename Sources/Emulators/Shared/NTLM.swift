import Crypto
import Foundation

/// Server side of NTLM (MS-NLMP), NTLMv2 only: builds the CHALLENGE_MESSAGE and verifies the
/// AUTHENTICATE_MESSAGE's NTProofStr. Session security (signing/sealing, MIC) is not checked.
public enum NTLM {
    public struct ServerNames: Sendable {
        public var nbDomain = "EMULATOR"
        public var nbComputer = "EWSEMU"
        public var dnsDomain = "emulator.local"
        public var dnsComputer = "ewsemu.emulator.local"
        public init() {}
    }

    public struct Authenticate: Sendable {
        public var domain: String
        public var user: String
        public var workstation: String
        public var ntResponse: [UInt8]
        public var flags: UInt32
    }

    static let signature: [UInt8] = Array("NTLMSSP".utf8) + [0]
    static let unicode: UInt32 = 0x0000_0001
    static let requestTarget: UInt32 = 0x0000_0004
    static let negotiateNTLM: UInt32 = 0x0000_0200
    static let targetTypeDomain: UInt32 = 0x0001_0000
    static let targetInfo: UInt32 = 0x0080_0000
    static let negotiateVersion: UInt32 = 0x0200_0000
    /// Flags echoed back when the client asks for them.
    static let echoed: UInt32 = 0x0000_0001 | 0x0000_0010 | 0x0000_0020 | 0x0000_0200 | 0x0000_8000
        | 0x0008_0000 | 0x2000_0000 | 0x4000_0000 | 0x8000_0000 | 0x0200_0000

    /// Message type (1, 2 or 3) of a raw NTLM message, nil when it is not NTLMSSP.
    public static func messageType(_ msg: [UInt8]) -> UInt32? {
        guard msg.count >= 12, Array(msg[0..<8]) == signature else { return nil }
        return le32(msg, 8)
    }

    /// CHALLENGE_MESSAGE for a NEGOTIATE_MESSAGE.
    public static func challenge(negotiate: [UInt8], serverChallenge: [UInt8], names: ServerNames, now: Date = Date()) -> [UInt8] {
        let clientFlags = negotiate.count >= 16 ? le32(negotiate, 12) : unicode
        let flags = (clientFlags & echoed) | unicode | requestTarget | negotiateNTLM | targetTypeDomain | targetInfo
        let target = utf16(names.nbDomain)
        var info: [UInt8] = []
        func av(_ id: UInt16, _ value: [UInt8]) {
            info += u16(id) + u16(UInt16(value.count)) + value
        }
        av(2, utf16(names.nbDomain))
        av(1, utf16(names.nbComputer))
        av(4, utf16(names.dnsDomain))
        av(3, utf16(names.dnsComputer))
        // FILETIME: 100 ns ticks since 1601-01-01.
        let ticks = UInt64((now.timeIntervalSince1970 + 11_644_473_600) * 10_000_000)
        av(7, (0..<8).map { UInt8(truncatingIfNeeded: ticks >> (8 * UInt64($0))) })
        av(0, [])
        let headerSize = 56
        var msg = signature + u32(2)
        msg += u16(UInt16(target.count)) + u16(UInt16(target.count)) + u32(UInt32(headerSize))
        msg += u32(flags) + serverChallenge + [UInt8](repeating: 0, count: 8)
        msg += u16(UInt16(info.count)) + u16(UInt16(info.count)) + u32(UInt32(headerSize + target.count))
        msg += [10, 0, 0x63, 0x45, 0, 0, 0, 15]  // version 10.0.17763, NTLM revision 15
        return msg + target + info
    }

    /// Parses an AUTHENTICATE_MESSAGE.
    public static func parseAuthenticate(_ msg: [UInt8]) -> Authenticate? {
        guard messageType(msg) == 3, msg.count >= 64 else { return nil }
        func field(_ offset: Int) -> [UInt8]? {
            let len = Int(le16(msg, offset)), start = Int(le32(msg, offset + 4))
            guard start + len <= msg.count else { return nil }
            return Array(msg[start..<start + len])
        }
        let flags = le32(msg, 60)
        guard let nt = field(20), let dom = field(28), let usr = field(36), let ws = field(44) else { return nil }
        let decode: ([UInt8]) -> String = { bytes in
            if flags & unicode != 0 {
                let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
                return String(decoding: units, as: UTF16.self)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return Authenticate(domain: decode(dom), user: decode(usr), workstation: decode(ws), ntResponse: nt, flags: flags)
    }

    /// NT hash = MD4(UTF-16LE(password)).
    public static func ntHash(password: String) -> [UInt8] { MD4.hash(utf16(password)) }

    /// NTOWFv2 = HMAC-MD5(NT hash, UTF-16LE(uppercase(user) + domain)).
    public static func ntowfv2(password: String, user: String, domain: String) -> [UInt8] {
        hmac(key: ntHash(password: password), data: utf16(user.uppercased() + domain))
    }

    /// Checks an NTLMv2 response: NTProofStr == HMAC-MD5(NTOWFv2, serverChallenge + blob).
    public static func verify(_ auth: Authenticate, password: String, serverChallenge: [UInt8]) -> Bool {
        guard auth.ntResponse.count > 24 else { return false }  // NTLMv1 is refused
        let proof = Array(auth.ntResponse[0..<16]), blob = Array(auth.ntResponse[16...])
        let key = ntowfv2(password: password, user: auth.user, domain: auth.domain)
        return hmac(key: key, data: serverChallenge + blob) == proof
    }

    static func hmac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    static func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
    static func le16(_ b: [UInt8], _ o: Int) -> UInt16 { o + 1 < b.count ? UInt16(b[o]) | UInt16(b[o + 1]) << 8 : 0 }
    static func le32(_ b: [UInt8], _ o: Int) -> UInt32 {
        o + 3 < b.count ? UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24 : 0
    }
}
