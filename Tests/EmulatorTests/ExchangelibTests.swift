import Emulators
import Foundation
import TestSupport
import Testing

/// The real Python client (exchangelib==5.6.0, see the requirements file) against the emulator.
@Suite(.serialized) struct ExchangelibTests {

    /// NTLM and Basic against Exchange 2016; NTLM against Exchange 2010 SP2, where exchangelib (told
    /// 15.1) gets ErrorInvalidServerVersion for the newer schemas and falls back to Exchange2010_SP2.
    @Test(arguments: [("NTLM", ExchangeVersion.exchange2016), ("BASIC", .exchange2016), ("NTLM", .exchange2010SP2)])
    func contactsRoundTrip(auth: String, version: ExchangeVersion) async throws {
        let fx = try await EWSFixture.start(version: version, auth: auth == "NTLM" ? [.ntlm] : [.basic])
        defer { Task { await fx.emulator.stop() } }
        try fx.emulator.seedContacts(3, in: EWSFixture.email)
        // exchangelib must honour ErrorServerBusy's BackOffMilliseconds and retry.
        fx.emulator.faults.inject(.serverBusy(backOffMilliseconds: 50), count: 1, operation: "GetItem")
        let out = try await PythonScript.run("exchangelib_contacts.py",
                                      [fx.url.absoluteString, EWSFixture.user, EWSFixture.password, auth, EWSFixture.email],
                                            needs: [.exchangelib])
        print(out)
        #expect(out.contains("SUMMARY: exchangelib \(auth) all checks passed"))
        #expect(out.contains("ok: negotiated EWS schema \(version.newestSchema)"))
        let stats = fx.emulator.authStats
        if auth == "NTLM" {
            #expect(stats.ntlmHandshakesStarted > 0 && stats.ntlmSucceeded > 0 && stats.basicSucceeded == 0)
        } else {
            #expect(stats.basicSucceeded > 0 && stats.ntlmHandshakesStarted == 0)
        }
        #expect(fx.emulator.faults.injectedCount == 1)
        for op in ["GetFolder", "FindItem", "GetItem", "CreateItem", "UpdateItem", "DeleteItem", "SyncFolderItems",
                   "CreateAttachment", "GetAttachment", "DeleteAttachment"] {
            #expect(fx.emulator.requestCount(op) > 0, "\(op) was not used")
        }
    }

    @Test func autodiscoverFindsTheEmulator() async throws {
        let fx = try await EWSFixture.start(auth: [.ntlm])
        defer { Task { await fx.emulator.stop() } }
        let out = try await PythonScript.run("exchangelib_autodiscover.py",
                                      [fx.emulator.autodiscoverSOAPURL!.absoluteString, EWSFixture.user, EWSFixture.password,
                                       EWSFixture.email, fx.url.absoluteString],
                                            needs: [.exchangelib])
        print(out)
        #expect(out.contains("SUMMARY: exchangelib autodiscover passed"))
        #expect(fx.emulator.requestCount("GetUserSettings") > 0)
    }
}
