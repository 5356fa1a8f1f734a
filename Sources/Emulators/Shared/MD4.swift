/// MD4 (RFC 1320). Only for the NTLM NT hash; swift-crypto has no MD4.
public enum MD4 {
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var a0: UInt32 = 0x6745_2301, b0: UInt32 = 0xEFCD_AB89, c0: UInt32 = 0x98BA_DCFE, d0: UInt32 = 0x1032_5476
        var msg = message
        let bitLength = UInt64(message.count) &* 8
        msg.append(0x80)
        while msg.count % 64 != 56 { msg.append(0) }
        for i in 0..<8 { msg.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }

        func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
        for chunk in stride(from: 0, to: msg.count, by: 64) {
            var x = [UInt32](repeating: 0, count: 16)
            for i in 0..<16 {
                let o = chunk + i * 4
                x[i] = UInt32(msg[o]) | UInt32(msg[o + 1]) << 8 | UInt32(msg[o + 2]) << 16 | UInt32(msg[o + 3]) << 24
            }
            var a = a0, b = b0, c = c0, d = d0
            // Round 1: F(x,y,z) = (x & y) | (~x & z)
            for i in 0..<16 {
                let s: [UInt32] = [3, 7, 11, 19]
                let f = (b & c) | (~b & d)
                let t = rotl(a &+ f &+ x[i], s[i % 4])
                (a, b, c, d) = (d, t, b, c)
            }
            // Round 2: G(x,y,z) = (x & y) | (x & z) | (y & z), constant 0x5A827999
            let order2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]
            for i in 0..<16 {
                let s: [UInt32] = [3, 5, 9, 13]
                let g = (b & c) | (b & d) | (c & d)
                let t = rotl(a &+ g &+ x[order2[i]] &+ 0x5A82_7999, s[i % 4])
                (a, b, c, d) = (d, t, b, c)
            }
            // Round 3: H(x,y,z) = x ^ y ^ z, constant 0x6ED9EBA1
            let order3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15]
            for i in 0..<16 {
                let s: [UInt32] = [3, 9, 11, 15]
                let h = b ^ c ^ d
                let t = rotl(a &+ h &+ x[order3[i]] &+ 0x6ED9_EBA1, s[i % 4])
                (a, b, c, d) = (d, t, b, c)
            }
            a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
        }
        var out: [UInt8] = []
        for v in [a0, b0, c0, d0] { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
        return out
    }
}
