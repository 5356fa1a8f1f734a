import ConnectorHTTP
import Foundation

/// MS-NLMP §4.2 test inputs, and an AUTHENTICATE reader written from the spec (not from ours).
enum NTLMFixture {
    static let serverChallenge = "0123456789abcdef"
    static let clientChallenge = [UInt8](repeating: 0xaa, count: 8)
    /// FILETIME 0: the §4.2.4 examples use Time = 0.
    static let epoch1601 = Date(timeIntervalSince1970: -11_644_473_600)
    static let inputs = NTLMInputs(clientChallenge: { clientChallenge }, now: { epoch1601 })

    /// §4.2.4.3 CHALLENGE_MESSAGE: target name "Server", TargetInfo NbDomainName "Domain",
    /// NbComputerName "Server", no timestamp.
    static let specChallenge = bytes(
        "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000"
            + "060070170000000f53006500720076006500720002000c0044006f006d00610069006e0001000c005300650072007600"
            + "6500720000000000")

    /// A CHALLENGE as Windows sends it today: the §4.2.4 one plus MsvAvTimestamp.
    static func challenge(timestamp: [UInt8]) -> [UInt8] {
        let info = avPair(2, utf16("Domain")) + avPair(1, utf16("Server")) + avPair(7, timestamp) + [0, 0, 0, 0]
        // Header, empty target name, the §4.2.4 flags, challenge and reserved, TargetInfo at 48.
        return Array(specChallenge[0..<12]) + le16(0) + le16(0) + le32(48) + Array(specChallenge[20..<40])
            + le16(info.count) + le16(info.count) + le32(48) + info
    }

    static func header(_ message: [UInt8]) -> String { "NTLM " + Data(message).base64EncodedString() }

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    static func hex(_ b: some Sequence<UInt8>) -> String { b.map { String(format: "%02x", $0) }.joined() }
    static func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] } }
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xffff) + le16(v >> 16) }
    static func avPair(_ id: Int, _ value: [UInt8]) -> [UInt8] { le16(id) + le16(value.count) + value }
}

/// An AUTHENTICATE message read back field by field (MS-NLMP §2.2.1.3).
struct AuthenticateMessage {
    var lm: [UInt8], nt: [UInt8]
    var domain: String, user: String, workstation: String
    var flags: UInt32

    init?(header: String?) {
        guard let header, header.hasPrefix("NTLM "), let data = Data(base64Encoded: String(header.dropFirst(5))) else {
            return nil
        }
        let b = Array(data)
        guard b.count >= 64, Array(b[0..<8]) == Array("NTLMSSP\0".utf8), Self.u32(b, 8) == 3 else { return nil }
        func field(_ at: Int) -> [UInt8]? {
            let length = Int(b[at]) | Int(b[at + 1]) << 8, offset = Int(Self.u32(b, at + 4))
            return offset + length <= b.count ? Array(b[offset..<offset + length]) : nil
        }
        func text(_ at: Int) -> String? {
            field(at).map { bytes in
                String(decoding: stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 },
                       as: UTF16.self)
            }
        }
        guard let lm = field(12), let nt = field(20), let domain = text(28), let user = text(36),
            let workstation = text(44)
        else { return nil }
        (self.lm, self.nt, self.domain, self.user, self.workstation) = (lm, nt, domain, user, workstation)
        flags = Self.u32(b, 60)
    }

    var ntProofStr: String { NTLMFixture.hex(nt.prefix(16)) }

    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}
