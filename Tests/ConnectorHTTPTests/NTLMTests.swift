@testable import ConnectorHTTP
import Foundation
import Testing

@Suite struct MD4Tests {
    // RFC 1320 §A.5.
    @Test(arguments: [
        ("", "31d6cfe0d16ae931b73c59d7e0c089c0"),
        ("a", "bde52cb31de33e46245e05fbdbd6fb24"),
        ("abc", "a448017aaf21d8525fc10ae87aa6729d"),
        ("message digest", "d9130a8164549fe818874806e1c7014b"),
        ("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"),
        (String(repeating: "1234567890", count: 8), "e33b4ddc9c38f2199c3e7b164fcc0536"),
    ])
    func rfc1320(input: String, digest: String) {
        #expect(NTLMFixture.hex(MD4.hash(Array(input.utf8))) == digest)
    }

    @Test func ntHashOfPassword() {
        // MS-NLMP §4.2.2.1.2: NTOWFv1("Password").
        #expect(NTLMFixture.hex(MD4.hash(NTLM.utf16le("Password"))) == "a4f49c406510bdcab6824ee7c30fd852")
    }
}

@Suite struct NTLMMessageTests {
    let credential = NTLM.Credential(user: "User", password: "Password", domain: "Domain")

    // MS-NLMP §4.2.4.1.1.
    @Test func ntowfv2() {
        #expect(NTLMFixture.hex(NTLM.ntowfv2(credential)) == "0c868a403bfd7a93a3001ef22ef02e3f")
    }

    // MS-NLMP §4.2.4.2.1–2, through our whole CHALLENGE → AUTHENTICATE path.
    @Test func ntlmv2ResponsesOfTheSpecExample() throws {
        let challenge = try #require(NTLM.Challenge(NTLMFixture.specChallenge))
        #expect(NTLMFixture.hex(challenge.serverChallenge) == NTLMFixture.serverChallenge)
        #expect(challenge.timestamp == nil)
        let message = NTLM.authenticate(credential, challenge, clientChallenge: NTLMFixture.clientChallenge,
                                        now: NTLMFixture.epoch1601)
        let read = try #require(AuthenticateMessage(header: NTLMFixture.header(message)))
        #expect(read.ntProofStr == "68cd0ab851e51c96aabc927bebef6a1c")
        #expect(NTLMFixture.hex(read.lm) == "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa")
        // The blob: version 1 1, Z(6), Time 0, the client challenge, Z(4), the server's AV pairs, Z(4).
        let blob = Array(read.nt.dropFirst(16))
        #expect(Array(blob[0..<8]) == [1, 1, 0, 0, 0, 0, 0, 0])
        #expect(Array(blob[8..<16]) == [UInt8](repeating: 0, count: 8))
        #expect(Array(blob[16..<24]) == NTLMFixture.clientChallenge)
        #expect(Array(blob[28...]) == challenge.targetInfo + [0, 0, 0, 0])
        #expect(read.user == "User" && read.domain == "Domain" && read.workstation == "")
        #expect(read.flags & 0x1 != 0)  // UNICODE
    }

    @Test func aServerTimestampIsUsedAndZeroesTheLMv2Response() throws {
        let stamp: [UInt8] = [0x00, 0x80, 0x3e, 0xd5, 0xde, 0xb1, 0x9d, 0x01]
        let challenge = try #require(NTLM.Challenge(NTLMFixture.challenge(timestamp: stamp)))
        #expect(challenge.timestamp == stamp)
        let message = NTLM.authenticate(credential, challenge, clientChallenge: NTLMFixture.clientChallenge, now: Date())
        let read = try #require(AuthenticateMessage(header: NTLMFixture.header(message)))
        #expect(read.lm == [UInt8](repeating: 0, count: 24))
        #expect(Array(read.nt[24..<32]) == stamp)
        // Same inputs, same answer: the clock was not read.
        let again = NTLM.authenticate(credential, challenge, clientChallenge: NTLMFixture.clientChallenge,
                                      now: Date(timeIntervalSinceNow: 3600))
        #expect(again == message)
    }

    @Test func negotiateMessage() {
        // Signature, type 1, UNICODE|REQUEST_TARGET|NTLM|ALWAYS_SIGN|EXTENDED_SESSIONSECURITY|128|56, two empty fields.
        #expect(NTLMFixture.hex(NTLM.negotiate())
            == "4e544c4d5353500001000000058208a000000000200000000000000020000000")
    }

    @Test func clockGivesFileTime() {
        #expect(NTLM.fileTime(NTLMFixture.epoch1601) == [UInt8](repeating: 0, count: 8))
        // 1970-01-01: 116444736000000000 ticks.
        #expect(NTLM.fileTime(Date(timeIntervalSince1970: 0)) == [0x00, 0x80, 0x3e, 0xd5, 0xde, 0xb1, 0x9d, 0x01])
    }

    @Test func malformedChallengesAreRefused() {
        let good = NTLMFixture.specChallenge
        #expect(NTLM.Challenge(Array(good[0..<31])) == nil)
        var type3 = good
        type3[8] = 3
        #expect(NTLM.Challenge(type3) == nil)
        var overrun = good
        overrun[40] = 0xff  // TargetInfo length past the end
        #expect(NTLM.Challenge(overrun) == nil)
        var badPair = good
        badPair[70] = 0x7f  // first AV pair's length past the end
        #expect(NTLM.Challenge(badPair) == nil)
    }

    @Test func userNameForms() {
        let slash = NTLM.Credential(user: "CORP\\alice", password: "p", domain: nil)
        #expect(slash.user == "alice" && slash.domain == "CORP")
        let upn = NTLM.Credential(user: "alice@corp.example", password: "p", domain: nil)
        #expect(upn.user == "alice@corp.example" && upn.domain == "")
        let given = NTLM.Credential(user: "CORP\\alice", password: "p", domain: "OTHER")
        #expect(given.user == "CORP\\alice" && given.domain == "OTHER")
    }

    @Test func userIsUpperCasedOneCharacterForOne() {
        #expect(NTLM.upper("straße") == "STRAßE")
        #expect(NTLM.upper("élodie") == "ÉLODIE")
    }
}

@Suite struct NTLMChallengeHeaderTests {
    @Test func token68IsKeptWithItsPadding() {
        let challenges = AuthChallenge.parse(["Negotiate, NTLM", "NTLM TlRMTVNTUAACAAAA+/8=", "Basic realm=\"r\", Bearer abc=, NTLM"])
        #expect(challenges.map(\.scheme) == ["negotiate", "ntlm", "ntlm", "basic", "bearer", "ntlm"])
        #expect(challenges.map(\.token68) == [nil, nil, "TlRMTVNTUAACAAAA+/8=", nil, "abc=", nil])
        #expect(challenges[3].parameters == ["realm": "r"])
    }

    @Test func parametersAreNotTakenForToken68() {
        let challenges = AuthChallenge.parse(["Digest realm = \"a\", nonce=b", "Basic realm=x"])
        #expect(challenges.map(\.token68) == [nil, nil])
        #expect(challenges[0].parameters == ["realm": "a", "nonce": "b"])
        #expect(challenges[1].parameters == ["realm": "x"])
    }
}

@Suite struct LaneKeyTests {
    @Test func oneKeyPerUserDomainOriginAndPassword() {
        let base = LaneKey(origin: "https://mail.example", user: "alice", domain: "CORP", password: "p")
        #expect(base == LaneKey(origin: "https://mail.example", user: "alice", domain: "CORP", password: "p"))
        for other in [
            LaneKey(origin: "https://mail.example", user: "alice", domain: "CORP", password: "q"),
            LaneKey(origin: "https://mail.example", user: "bob", domain: "CORP", password: "p"),
            LaneKey(origin: "https://mail.example", user: "alice", domain: "", password: "p"),
            LaneKey(origin: "http://mail.example", user: "alice", domain: "CORP", password: "p"),
            LaneKey(origin: "https://mail.example", user: "alic", domain: "eCORP", password: "p"),
        ] {
            #expect(other != base)
        }
        #expect(!"\(base)".contains("alice") && !"\(base)".contains("CORP"))
    }
}
