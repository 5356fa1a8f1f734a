import Crypto
import Foundation

/// Extended Protection for Authentication as IIS enforces it for Exchange (tokenChecking
/// "Require"): an NTLM AUTHENTICATE must carry, inside its NTLMv2 response, the channel binding
/// of this very TLS channel (MD5 of the gss bindings of "tls-server-end-point:" + the hash of the
/// server's certificate) and a valid MIC. Anything else is refused like a wrong password.
/// Written from MS-NLMP and RFC 5929 alone: the connector's side is not used here.
public enum ExtendedProtection {
    /// Why a sign-in was refused (the client only ever sees a 401).
    public enum Refusal: String, Sendable, Equatable {
        case noBinding, wrongBinding, noMIC, wrongMIC
    }

    /// Nil when the AUTHENTICATE may pass: its binding matches `endPoint` (the server
    /// certificate's hash) and its MIC verifies with the session key `password` gives.
    static func check(authenticate message: [UInt8], _ auth: NTLM.Authenticate, password: String, negotiate: [UInt8],
                      challenge: [UInt8], endPoint: [UInt8]) -> Refusal? {
        // NTProofStr (16), then the blob: 28 bytes of header before its AV pairs.
        guard auth.ntResponse.count > 44 else { return .noBinding }
        let pairs = avPairs(Array(auth.ntResponse[44...]))
        guard let binding = pairs[10], binding != [UInt8](repeating: 0, count: 16) else { return .noBinding }
        guard binding == bindingHash(endPoint) else { return .wrongBinding }
        guard let flags = pairs[6], flags.count == 4, flags[0] & 0x2 != 0 else { return .noMIC }
        // The MIC sits after the flags and the VERSION: the payload must start past it.
        let payloadStart = [12, 20, 28, 36, 44, 52].compactMap { at -> Int? in
            NTLM.le16(message, at) == 0 ? nil : Int(NTLM.le32(message, at + 4))
        }.min() ?? message.count
        guard payloadStart >= 88, message.count >= 88 else { return .noMIC }
        var zeroed = message
        zeroed.replaceSubrange(72..<88, with: [UInt8](repeating: 0, count: 16))
        let key = exportedSessionKey(message, auth, password: password)
        return NTLM.hmac(key: key, data: negotiate + challenge + zeroed) == Array(message[72..<88]) ? nil : .wrongMIC
    }

    /// MD5 of gss_channel_bindings_struct: two empty addresses (type and length 0), then the
    /// application data with its length, little-endian.
    public static func bindingHash(_ endPoint: [UInt8]) -> [UInt8] {
        let data = Array("tls-server-end-point:".utf8) + endPoint
        let gss = [UInt8](repeating: 0, count: 16) + NTLM.u32(UInt32(data.count)) + data
        return Array(Insecure.MD5.hash(data: gss))
    }

    /// The key the MIC is made with: the session base key (HMAC-MD5 of NTOWFv2 and the
    /// NTProofStr), or, with KEY_EXCH, the random key the client sent sealed with it (RC4).
    static func exportedSessionKey(_ message: [UInt8], _ auth: NTLM.Authenticate, password: String) -> [UInt8] {
        let base = NTLM.hmac(key: NTLM.ntowfv2(password: password, user: auth.user, domain: auth.domain),
                             data: Array(auth.ntResponse[0..<16]))
        let length = Int(NTLM.le16(message, 52)), offset = Int(NTLM.le32(message, 56))
        guard auth.flags & 0x4000_0000 != 0, length == 16, offset + 16 <= message.count else { return base }
        return rc4(key: base, Array(message[offset..<offset + 16]))
    }

    /// AvId → value up to MsvAvEOL (the first of each id).
    static func avPairs(_ bytes: [UInt8]) -> [UInt16: [UInt8]] {
        var out: [UInt16: [UInt8]] = [:]
        var i = 0
        while i + 4 <= bytes.count {
            let id = NTLM.le16(bytes, i), length = Int(NTLM.le16(bytes, i + 2))
            guard id != 0, i + 4 + length <= bytes.count else { break }
            if out[id] == nil { out[id] = Array(bytes[i + 4..<i + 4 + length]) }
            i += 4 + length
        }
        return out
    }

    static func rc4(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var s = Array(0...255).map(UInt8.init)
        var j = 0
        for i in 0..<256 {
            j = (j + Int(s[i]) + Int(key[i % key.count])) & 0xff
            s.swapAt(i, j)
        }
        var (i, k) = (0, 0)
        return data.map { byte in
            i = (i + 1) & 0xff
            k = (k + Int(s[i])) & 0xff
            s.swapAt(i, k)
            return byte ^ s[(Int(s[i]) + Int(s[k])) & 0xff]
        }
    }
}
