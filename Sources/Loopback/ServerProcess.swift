import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real server (Radicale, Xandikos, a Python test server) run on loopback as a child process,
/// for a test or the demo: started on a free port, ready once the port accepts connections,
/// killed on `stop()`, when the value goes away, or when this process dies. Its output goes to a
/// log file in its directory (a new temporary one unless given).
public final class ServerProcess: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    public var log: URL { directory.appendingPathComponent("server.log") }
    private let process: Process
    /// The shim's standard input: its writing end lives exactly as long as this process, so the
    /// shim reads end-of-file when this process dies, however it dies.
    private let lifeline = Pipe()

    /// `arguments(port, directory)` builds the command line; `executable` is looked up in PATH
    /// (`python3` is `Python.path`: the project's virtual environment when there is one).
    public init(
        _ executable: String, environment: [String: String] = [:], directory: URL? = nil,
        startTimeout: Duration = .seconds(30), arguments: (Int, URL) throws -> [String]
    ) async throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("hubsync-server-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        process = Process()
        guard let path = executable == "python3" ? Python.path : Self.which(executable),
              let python = Python.path
        else {
            throw ServerError("\(executable) not found: `script/bootstrap` installs the tools the tests use")
        }
        // Through a shim that ends the server with this process, so a crashed or interrupted
        // test run leaves no server behind, and that unblocks the signals a Swift concurrency
        // thread blocks (else SIGTERM never lands). Not PR_SET_PDEATHSIG: it fires when the
        // *thread* that started the child exits, and the concurrency pool retires idle threads,
        // which stopped servers in the middle of tests ("server exited (0)").
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.shim, path] + (try arguments(port, self.directory))
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, b in b }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        defer { try? out.close() }
        process.standardOutput = out
        process.standardError = out
        process.standardInput = lifeline
        try process.run()
        do {
            try await waitUntilListening(startTimeout)
        } catch {
            stop()  // a server that did not come up (or a cancelled wait) is never left behind
            throw error
        }
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// What the server printed so far (for failure messages).
    public func output() -> String {
        (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }

    /// Polls the port: servers say "listening" in many ways, a connect is the one test that holds.
    /// The port is tried once more after the deadline: on a loaded machine this task may not
    /// run again until well after the server came up.
    private func waitUntilListening(_ timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if !process.isRunning {
                throw ServerError("server exited (\(process.terminationStatus)):\n\(output())")
            }
            if Loopback.accepts(port) { return }
            if ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        stop()
        throw ServerError("server not listening on \(port) after \(timeout):\n\(output())")
    }

    /// Runs the server as its child; stops it on SIGTERM/SIGINT or when its standard input (the
    /// lifeline) reaches end-of-file; exits with the server's status.
    private static let shim = """
        import os, signal, subprocess, sys, threading
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        server = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
        def stop(*_):
            if server.poll() is None:
                server.terminate()
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        def watch():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            stop()
        threading.Thread(target=watch, daemon=True).start()
        code = server.wait()
        os._exit(code if code >= 0 else 128 - code)
        """

    public static func which(_ name: String) -> String? {
        if name.contains("/") { return name }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static func freePort() throws -> Int { try Loopback.freePort() }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

extension ServerProcess {
    /// Radicale (PyPI) on loopback with its storage folder in `directory` (a new temporary one
    /// unless given) and Basic auth for one user, its password in a file only we can read.
    public static func radicale(
        user: String, password: String, directory: URL? = nil, logLevel: String = "info",
        startTimeout: Duration = .seconds(30)
    ) async throws -> ServerProcess {
        try await ServerProcess("python3", directory: directory, startTimeout: startTimeout) { port, dir in
            let users = dir.appendingPathComponent("users")
            try "\(user):\(password)\n".write(to: users, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: users.path)
            return [
                "-m", "radicale", "--server-hosts", "127.0.0.1:\(port)",
                "--storage-filesystem-folder", dir.appendingPathComponent("data").path,
                "--auth-type", "htpasswd", "--auth-htpasswd-filename", users.path,
                "--auth-htpasswd-encryption", "plain", "--logging-level", logLevel,
            ]
        }
    }
}
