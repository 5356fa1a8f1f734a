import Emulators
import Foundation
import Testing

/// Google's own Python client (google-api-python-client==2.202.0, google-auth==2.63.0) against the
/// People emulator, using the discovery document shipped in the package.
@Suite(.serialized) struct PeopleClientTests {
    typealias F = PeopleFixture
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("python/people_client.py")

    @Test func googleAPIPythonClient() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        try fx.g.seedContacts(3, in: F.email)
        // The script starts with an expired access token: the client must refresh at /token.
        fx.g.expireAccessTokens()
        let out = try await runScript([fx.base.absoluteString, F.clientID, F.secret, fx.access, fx.refresh, "3"])
        print(out)
        #expect(out.contains("SUMMARY: people client all checks passed"))
        #expect(fx.g.requestCount("oauth.token.refresh_token") == 1 && fx.g.requestCount("unauthenticated") == 1)
        for op in ["people.connections.list", "people.batchCreateContacts", "people.updateContact", "people.batchUpdateContacts",
                   "people.deleteContact", "people.batchDeleteContacts", "people.updateContactPhoto", "people.getBatchGet",
                   "contactGroups.create", "contactGroups.members.modify", "contactGroups.update", "contactGroups.delete"] {
            #expect(fx.g.requestCount(op) > 0, "\(op) was not used")
        }
        // What the client did is what the emulator holds.
        let contacts = try fx.g.contacts(in: F.email)
        #expect(contacts.count == 3 + 4 - 2)
        #expect(contacts.contains { $0.familyName == "Renamed" && $0.phones == ["+1 555 0100"] })
        #expect(contacts.filter { $0.familyName == "Batched" }.count == 2)
        #expect(try fx.g.groups(in: F.email).count == 2)
    }

    struct ScriptFailed: Error, CustomStringConvertible { var description: String }

    /// Runs the script without blocking the concurrency pool; throws with its stderr on failure.
    func runScript(_ args: [String]) async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peopleemu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path] + args
        var env = ProcessInfo.processInfo.environment
        env["PYTHONUNBUFFERED"] = "1"
        env["NO_PROXY"] = "127.0.0.1,localhost"
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
            throw ScriptFailed(description: "people_client.py exited \(status)\n--- stdout\n\(out)\n--- stderr\n\(err)\n"
                + "(needs python3 with google-api-python-client==2.202.0 and google-auth==2.63.0)")
        }
        return out
    }
}
