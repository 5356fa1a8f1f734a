/// MD4 (RFC 1320), for the NT hash only: swift-crypto has no MD4 and OpenSSL 3 disables it.
/// Broken as a hash; NTLM needs it anyway.
enum MD4 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        // Padding: 0x80, zeros to 56 mod 64, then the bit length little-endian.
        var bytes = message
        bytes.append(0x80)
        while bytes.count % 64 != 56 { bytes.append(0) }
        let bits = UInt64(message.count) &* 8
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }

        var x = [UInt32](repeating: 0, count: 16)
        for block in stride(from: 0, to: bytes.count, by: 64) {
            for i in 0..<16 {
                let o = block + 4 * i
                x[i] = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
            }
            var (a, b, c, d) = state
            func rotl(_ v: UInt32, _ s: UInt32) -> UInt32 { v << s | v >> (32 - s) }
            // Round 1: F(x,y,z) = xy ∨ ¬xz.
            for i in stride(from: 0, to: 16, by: 4) {
                a = rotl(a &+ (b & c | ~b & d) &+ x[i], 3)
                d = rotl(d &+ (a & b | ~a & c) &+ x[i + 1], 7)
                c = rotl(c &+ (d & a | ~d & b) &+ x[i + 2], 11)
                b = rotl(b &+ (c & d | ~c & a) &+ x[i + 3], 19)
            }
            // Round 2: G(x,y,z) = xy ∨ xz ∨ yz, plus √2.
            for i in 0..<4 {
                a = rotl(a &+ (b & c | b & d | c & d) &+ x[i] &+ 0x5a82_7999, 3)
                d = rotl(d &+ (a & b | a & c | b & c) &+ x[i + 4] &+ 0x5a82_7999, 5)
                c = rotl(c &+ (d & a | d & b | a & b) &+ x[i + 8] &+ 0x5a82_7999, 9)
                b = rotl(b &+ (c & d | c & a | d & a) &+ x[i + 12] &+ 0x5a82_7999, 13)
            }
            // Round 3: H(x,y,z) = x ⊕ y ⊕ z, plus √3, words in bit-reversed order.
            for i in [0, 2, 1, 3] {
                a = rotl(a &+ (b ^ c ^ d) &+ x[i] &+ 0x6ed9_eba1, 3)
                d = rotl(d &+ (a ^ b ^ c) &+ x[i + 8] &+ 0x6ed9_eba1, 9)
                c = rotl(c &+ (d ^ a ^ b) &+ x[i + 4] &+ 0x6ed9_eba1, 11)
                b = rotl(b &+ (c ^ d ^ a) &+ x[i + 12] &+ 0x6ed9_eba1, 15)
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
        }
        return [state.0, state.1, state.2, state.3].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
    }
}
