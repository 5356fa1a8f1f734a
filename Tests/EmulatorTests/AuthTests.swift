import Emulators
import Foundation
import Testing

@Suite struct AuthTests {
    let getFolder = "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"contacts\"/></m:FolderIds></m:GetFolder>"

    @Test func basicGoodAndBad() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        let good = try await fx.soap(getFolder)
        #expect(good.status == 200)
        #expect(try good.responseCodes().map(\.1) == ["NoError"])
        let bad = try await fx.soap(getFolder, authorization: "Basic " + Data("ann:wrong".utf8).base64EncodedString())
        #expect(bad.status == 401)
        let none = try await fx.soap(getFolder, authorization: nil)
        #expect(none.status == 401)
        #expect(none.header("WWW-Authenticate").sorted() == ["Basic realm=\"127.0.0.1\"", "NTLM"])
        // DOMAIN\user and the e-mail address are accepted as Basic user names too.
        for name in ["EXAMPLE\\ann", "ann@example.com"] {
            let r = try await fx.soap(getFolder, authorization: "Basic " + Data("\(name):secret".utf8).base64EncodedString())
            #expect(r.status == 200, "\(name)")
        }
        #expect(fx.emulator.authStats.basicFailed == 1)
    }

    @Test func ntlmOnlyRefusesBasic() async throws {
        let fx = try await EWSFixture.start(auth: [.ntlm])
        defer { Task { await fx.emulator.stop() } }
        let r = try await fx.soap(getFolder)
        #expect(r.status == 401)
        #expect(r.header("WWW-Authenticate") == ["NTLM"])
    }

    @Test func bearerTokens() async throws {
        let fx = try await EWSFixture.start(auth: [.ntlm])
        defer { Task { await fx.emulator.stop() } }
        fx.emulator.addBearerToken("token-123", for: EWSFixture.email)
        #expect(try await fx.soap(getFolder, authorization: "Bearer token-123").status == 200)
        #expect(try await fx.soap(getFolder, authorization: "Bearer nope").status == 401)
    }

    @Test func autodiscoverPOX() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        func request(_ email: String) -> String {
            """
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request>\
            <EMailAddress>\(email)</EMailAddress><AcceptableResponseSchema>\
            http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\
            </Request></Autodiscover>
            """
        }
        let upper = URL(string: fx.emulator.autodiscoverURL!.absoluteString.replacingOccurrences(of: "/autodiscover/autodiscover.xml",
                                                                                                  with: "/Autodiscover/Autodiscover.xml"))!
        #expect(try await post(upper, body: request(EWSFixture.email), authorization: nil).status == 401)
        let ok = try await post(upper, body: request(EWSFixture.email), authorization: EWSFixture.basicAuth)
        let protocols = try ok.xml().findAll("Protocol")
        #expect(protocols.compactMap { $0.childText("Type") } == ["EXCH", "EXPR"])
        #expect(protocols.allSatisfy { $0.childText("EwsUrl") == fx.url.absoluteString })
        let unknown = try await post(fx.emulator.autodiscoverURL!, body: request("nobody@example.com"), authorization: EWSFixture.basicAuth)
        #expect(try unknown.xml().findAll("ErrorCode").first?.text == "500")
    }
}

@Suite struct NTLMTests {
    @Test func md4Vectors() {
        func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(MD4.hash([])) == "31d6cfe0d16ae931b73c59d7e0c089c0")
        #expect(hex(MD4.hash(Array("abc".utf8))) == "a448017aaf21d8525fc10ae87aa6729d")
        #expect(hex(MD4.hash(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8)))
                == "e33b4ddc9c38f2199c3e7b164fcc0536")
        // MS-NLMP 4.2.2.1.2: NTOWFv1("Password").
        #expect(hex(NTLM.ntHash(password: "Password")) == "a4f49c406510bdcab6824ee7c30fd852")
        // MS-NLMP 4.2.4.1.1: NTOWFv2("Password", "User", "Domain").
        #expect(hex(NTLM.ntowfv2(password: "Password", user: "User", domain: "Domain")) == "0c868a403bfd7a93a3001ef22ef02e3f")
    }

    /// A hand-built NTLMv2 exchange through `Authenticator`: the Type 3 only counts on the connection
    /// that received the challenge, and an authenticated connection needs no further header.
    @Test func handshakeIsBoundToTheConnection() throws {
        let auth = Authenticator(schemes: [.ntlm])
        let accounts = [AuthAccount(id: "ann", user: "ann", email: "ann@example.com", password: "secret", domain: "EXAMPLE")]
        final class Conn {}
        let a = Conn(), b = Conn()
        let (idA, idB) = (ObjectIdentifier(a), ObjectIdentifier(b))
        let type1: [UInt8] = Array("NTLMSSP".utf8) + [0, 1, 0, 0, 0, 0x07, 0x82, 0x08, 0xA2] + [UInt8](repeating: 0, count: 16)
        guard case .challenge(let offers) = auth.authenticate(authorization: "NTLM " + Data(type1).base64EncodedString(),
                                                               connection: idA, accounts: accounts),
              let type2 = offers.first.flatMap({ Data(base64Encoded: String($0.dropFirst(5))) }) else {
            Issue.record("no challenge"); return
        }
        let challenge = Array(type2[24..<32])
        let type3 = Self.type3(user: "ann", domain: "EXAMPLE", password: "secret", challenge: challenge)
        let header = "NTLM " + Data(type3).base64EncodedString()
        #expect(auth.authenticate(authorization: header, connection: idB, accounts: accounts) == .challenge(["NTLM"]))
        #expect(auth.authenticate(authorization: header, connection: idA, accounts: accounts)
                == .authenticated(accountID: "ann", scheme: "NTLM"))
        #expect(auth.authenticate(authorization: nil, connection: idA, accounts: accounts)
                == .authenticated(accountID: "ann", scheme: "NTLM"))
        #expect(auth.authenticate(authorization: nil, connection: idB, accounts: accounts) == .challenge(["NTLM"]))
        auth.connectionClosed(idA)
        #expect(auth.authenticate(authorization: nil, connection: idA, accounts: accounts) == .challenge(["NTLM"]))
        let wrong = Self.type3(user: "ann", domain: "EXAMPLE", password: "nope", challenge: challenge)
        _ = auth.authenticate(authorization: "NTLM " + Data(type1).base64EncodedString(), connection: idA, accounts: accounts)
        #expect(auth.authenticate(authorization: "NTLM " + Data(wrong).base64EncodedString(), connection: idA, accounts: accounts)
                == .challenge(["NTLM"]))
        #expect(auth.stats.ntlmSucceeded == 1 && auth.stats.ntlmFailed == 2)
    }

    /// AUTHENTICATE_MESSAGE with an NTLMv2 response (client side of MS-NLMP 3.3.2).
    static func type3(user: String, domain: String, password: String, challenge: [UInt8]) -> [UInt8] {
        func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        let blob: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + [UInt8](repeating: 0xAA, count: 8)
            + [0, 0, 0, 0] + [0, 0, 0, 0]
        let key = NTLM.ntowfv2(password: password, user: user, domain: domain)
        let proof = NTLMTestCrypto.hmacMD5(key: key, data: challenge + blob)
        let nt = proof + blob, dom = utf16(domain), usr = utf16(user)
        func field(_ len: Int, _ off: Int) -> [UInt8] {
            [UInt8(len & 0xFF), UInt8(len >> 8), UInt8(len & 0xFF), UInt8(len >> 8),
             UInt8(off & 0xFF), UInt8((off >> 8) & 0xFF), 0, 0]
        }
        let base = 64
        var msg: [UInt8] = Array("NTLMSSP".utf8) + [0, 3, 0, 0, 0]
        msg += field(0, base)                                   // LM
        msg += field(nt.count, base)                            // NT
        msg += field(dom.count, base + nt.count)                // domain
        msg += field(usr.count, base + nt.count + dom.count)    // user
        msg += field(0, base + nt.count + dom.count + usr.count) // workstation
        msg += field(0, base + nt.count + dom.count + usr.count) // session key
        msg += [0x05, 0x82, 0x08, 0xA2]                         // flags (UNICODE set)
        return msg + nt + dom + usr
    }
}
