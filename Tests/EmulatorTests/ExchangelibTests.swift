import Emulators
import Foundation
import Testing

/// The real Python client (exchangelib==5.6.0, see the requirements file) against the emulator.
@Suite(.serialized) struct ExchangelibTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python")

    /// NTLM and Basic against Exchange 2016; NTLM against Exchange 2010 SP2, where exchangelib (told
    /// 15.1) gets ErrorInvalidServerVersion for the newer schemas and falls back to Exchange2010_SP2.
    @Test(arguments: [("NTLM", ExchangeVersion.exchange2016), ("BASIC", .exchange2016), ("NTLM", .exchange2010SP2)])
    func contactsRoundTrip(auth: String, version: ExchangeVersion) async throws {
        let fx = try await EWSFixture.start(version: version, auth: auth == "NTLM" ? [.ntlm] : [.basic])
        defer { Task { await fx.emulator.stop() } }
        try fx.emulator.seedContacts(3, in: EWSFixture.email)
        // exchangelib must honour ErrorServerBusy's BackOffMilliseconds and retry.
        fx.emulator.faults.inject(.serverBusy(backOffMilliseconds: 50), count: 1, operation: "GetItem")
        let out = try await runPython("exchangelib_contacts.py",
                                      [fx.url.absoluteString, EWSFixture.user, EWSFixture.password, auth, EWSFixture.email])
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
        let out = try await runPython("exchangelib_autodiscover.py",
                                      [fx.emulator.autodiscoverSOAPURL!.absoluteString, EWSFixture.user, EWSFixture.password,
                                       EWSFixture.email, fx.url.absoluteString])
        print(out)
        #expect(out.contains("SUMMARY: exchangelib autodiscover passed"))
        #expect(fx.emulator.requestCount("GetUserSettings") > 0)
    }

    struct ScriptFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3 script args…` without blocking the concurrency pool; throws with the script's
    /// stderr when it exits non-zero.
    func runPython(_ script: String, _ args: [String]) async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ewsemu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scripts.appendingPathComponent(script).path] + args
        var env = ProcessInfo.processInfo.environment
        env["TMPDIR"] = dir.path  // exchangelib's autodiscover cache file lives there
        env["PYTHONUNBUFFERED"] = "1"
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let status: Int32 = try await withCheckedThrowingContinuation { cont in
            process.terminationHandler = { cont.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { cont.resume(throwing: error) }
        }
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw ScriptFailed(description: "\(script) exited \(status)\n--- stdout\n\(out)\n--- stderr\n\(err)\n"
                + "(needs python3 with exchangelib==5.6.0: pip install -r the project's requirements file)")
        }
        return out
    }
}
