import ConnectorHTTP
import Foundation
import Loopback
#if canImport(Glibc)
import Glibc
#endif

/// A local Radicale (the Python CardDAV server) for the web demo, when it is installed: its
/// storage in the demo directory, one user with a plain-text password, one address book filled
/// over CardDAV the way any client would. (Unchecked: the Process is only started, then stopped.)
final class DemoRadicale: @unchecked Sendable {
    let port: Int
    let user: String
    let password: String
    private let process: Process

    var base: URL { URL(string: "http://127.0.0.1:\(port)/")! }
    var book: URL { base.appendingPathComponent("\(user)/contacts/") }

    /// Whether `python3 -m radicale` would run here.
    static func available() -> Bool {
        guard let python = which("python3") else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import radicale"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// Starts it and waits until it accepts connections.
    init(directory: URL, user: String, password: String) async throws {
        guard let python = Self.which("python3") else { throw CLIError("python3 not found") }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let users = directory.appendingPathComponent("users")
        try "\(user):\(password)\n".write(to: users, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: users.path)
        port = try Loopback.freePort()
        self.user = user
        self.password = password
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        // Through a shim that asks the kernel to end Radicale with the demo (PR_SET_PDEATHSIG), so
        // a demo killed hard leaves no server behind, and that unblocks the signals a Swift
        // concurrency thread blocks (else SIGTERM never lands).
        process.arguments = ["-c", Self.shim, python, "-m", "radicale", "--server-hosts", "127.0.0.1:\(port)",
                             "--storage-filesystem-folder", directory.appendingPathComponent("data").path,
                             "--auth-type", "htpasswd", "--auth-htpasswd-filename", users.path,
                             "--auth-htpasswd-encryption", "plain", "--logging-level", "warning"]
        let log = directory.appendingPathComponent("radicale.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while !Loopback.accepts(port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                stop()
                throw CLIError("Radicale did not start (see \(log.path))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Makes the address book and PUTs the cards into it.
    func fill(_ cards: [(uid: String, vcard: String)]) async throws {
        let http = HTTPClient(transport: AHCTransport.shared(), auth: .basic(user: user, password: password))
        let mkcol = """
            <?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">\
            <D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>\
            <D:displayname>Contacts</D:displayname></D:prop></D:set></D:mkcol>
            """
        let made = try await http.send(HTTPRequest(
            HTTPMethod(rawValue: "MKCOL"), book, headers: [("Content-Type", "application/xml")], body: Data(mkcol.utf8)))
        guard made.status == 201 else { throw CLIError("Radicale refused to make the address book (\(made.status))") }
        for card in cards {
            let put = try await http.send(HTTPRequest(
                .put, book.appendingPathComponent(card.uid + ".vcf"), headers: [("Content-Type", "text/vcard; charset=utf-8")],
                body: Data(card.vcard.utf8)))
            guard put.isSuccess else { throw CLIError("Radicale refused a card (\(put.status))") }
        }
    }

    private static let shim = """
        import ctypes, os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
        os.execv(sys.argv[1], sys.argv[1:])
        """

    static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
