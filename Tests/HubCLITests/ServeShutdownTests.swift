import Emulators
import Foundation
import Synchronization
import Testing
import TestSupport
import SyncModel
import SyncStoreSQLite
@testable import HubCLI

/// `hubsync serve` as a process: SIGTERM in the middle of a pass whose source stopped answering
/// ends the process with status 0 soon after the grace, the cancelled pass leaves the hub
/// consistent, and the next sync completes it.
@Suite struct ServeShutdownTests {
    @Test func sigtermMidPassCancelsItAfterTheGraceAndExitsZero() async throws {
        let hubsync = try #require(Self.executable(), "the hubsync executable is not built")
        let google = PeopleEmulator()
        google.addAccount(email: "ann@example.com", clientID: "cli-test", clientSecret: "cli-secret")
        let base = try await google.start()
        _ = try google.createContact(in: "ann@example.com", givenName: "Gus", familyName: "Gray", emailAddress: "gus@example.com")
        let cli = try CLI()
        _ = await cli.run("hub create Team --every-minutes 5")
        var r = await cli.run(["spoke", "add", "team", "--name", "Google", "--kind", "google", "--client-id", "cli-test",
                               "--client-secret", "cli-secret", "--google-endpoint", base.absoluteString,
                               "--google-account", "ann@example.com", "--open-with", "curl -sSL -o /dev/null"])
        try #require(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        let folder = try cli.folder("office")
        r = await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path])
        try #require(r.error == nil)

        // The source takes the listing request and never answers it (until the test ends).
        let (hits, hit) = AsyncStream<Void>.makeStream()
        let release = Release()
        google.faults.setHook { operation in
            guard operation == "people.connections.list" else { return }
            hit.yield()
            await release.wait()
        }

        let serve = Process()
        serve.executableURL = hubsync
        serve.arguments = ["serve", "--db", cli.db, "--port", "0", "--shutdown-grace", "1", "--log-format", "json"]
        serve.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        serve.standardError = errors
        let exited = AsyncStream<Int32>.makeStream()
        serve.terminationHandler = { p in exited.continuation.yield(p.terminationStatus) }
        try serve.run()
        // A bound on a hung child, so a failure cannot hang the suite: killed, it fails the test.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            if serve.isRunning { kill(serve.processIdentifier, SIGKILL) }
        }
        // The hub never ran, so the scheduler starts it at once; wait until its pull is stuck.
        var it = hits.makeAsyncIterator()
        _ = await it.next()
        let signalled = ContinuousClock.now
        kill(serve.processIdentifier, SIGTERM)
        var statuses = exited.stream.makeAsyncIterator()
        let status = await statuses.next()
        let took = ContinuousClock.now - signalled
        watchdog.cancel()
        await release.open()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status == 0, "\(log)")
        #expect(took < .seconds(20), "took \(took)")
        #expect(took >= .seconds(1), "did not wait for the grace: \(took)")
        #expect(log.contains("were cancelled"), "\(log)")

        // The next sync (the source answers again) completes the hub.
        google.faults.setHook(nil)
        r = await cli.run("sync team")
        #expect(r.exitCode == 0, "\(r.output) \(r.log)")
        #expect(try readCards(folder).map(\.givenName) == ["Gus"])
        await google.stop()
    }

    /// The built `hubsync` beside the test bundle (swift build puts products together).
    static func executable() -> URL? {
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("hubsync")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    actor Release {
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private var opened = false
        func wait() async {
            if opened { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func open() {
            opened = true
            for w in waiters { w.resume() }
            waiters = []
        }
    }
}
