import Foundation

/// A throwaway PostgreSQL cluster for the tests (PROTOCOLS.md §5.4): made with Debian's binaries
/// in a temporary directory once per test process, listening only on a Unix socket there, and
/// stopped and removed when the process exits. Each test takes its own fresh database.
/// As root (tests and CI run as root) the server runs as the `postgres` user: initdb refuses root.
public final class PostgresCluster: Sendable {
    public let directory: String
    let bin: String

    /// The binaries of the newest PostgreSQL installed (`/usr/lib/postgresql/N/bin`), if any.
    public static let binDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") && FileManager.default.isExecutableFile(atPath: "\($0)/psql") }
    }()

    private static let started = Result { try PostgresCluster() }

    /// The process's cluster, started on first use. Call `OutsideTools.require(.postgresql)` first.
    public static func running() throws -> PostgresCluster { try started.get() }

    private init() throws {
        guard let bin = Self.binDirectory else { throw Failure("no PostgreSQL binaries under /usr/lib/postgresql") }
        self.bin = bin
        var template = Array("/tmp/hubsync-pg.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("cannot make a temporary directory") }
        directory = String(cString: made)
        let asRoot = geteuid() == 0
        if asRoot {
            try Self.run("/bin/chown", ["postgres", directory])
        }
        try Self.run(bin + "/initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", "hub", "--no-sync", "-E", "UTF8"],
                     asPostgres: asRoot)
        // Many tests run at once, each with its own database and a few connections.
        try Self.run(bin + "/pg_ctl", [
            "-D", "\(directory)/data", "-l", "\(directory)/log", "-w", "-o",
            "-k \(directory) -c listen_addresses='' -c fsync=off -c max_connections=500 -c shared_buffers=32MB",
            "start",
        ], asPostgres: asRoot)
        Self.runningDirectory = (directory, bin, asRoot)
        atexit { PostgresCluster.stopAtExit() }
    }

    /// A new, empty database; its `postgres://` URL (Unix socket, user `hub`, no password).
    public func newDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try Self.run(bin + "/psql", ["-h", directory, "-U", "hub", "-d", "postgres", "-q", "-c", "CREATE DATABASE \(name)"])
        return url(database: name)
    }

    public func url(database: String) -> String { "postgres://hub@/\(database)?host=\(directory)" }

    /// Runs SQL through psql (for checks the store has no API for); the output, unaligned.
    public func psql(_ database: String, _ sql: String) throws -> String {
        try Self.run(bin + "/psql", ["-h", directory, "-U", "hub", "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }

    // MARK: Plumbing

    nonisolated(unsafe) private static var runningDirectory: (String, String, Bool)?

    private static func stopAtExit() {
        guard let (directory, bin, asRoot) = runningDirectory else { return }
        _ = try? run(bin + "/pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"], asPostgres: asRoot)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a program to its end; its output (stdout and stderr) as text.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], asPostgres: Bool = false) throws -> String {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
        // posix_spawn and waitpid rather than Foundation's Process: its wait for the child stalled
        // here after pg_ctl had left the server running. Output goes to a file, not a pipe: the
        // server would inherit a pipe and hold it open.
        let outPath = NSTemporaryDirectory() + "hubsync-pg-\(UUID().uuidString).out"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        guard spawned == 0 else { throw Failure("cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // WIFEXITED and WEXITSTATUS, spelled out (the C macros are not imported).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw Failure("\((program as NSString).lastPathComponent) failed (status \(status)): \(text.suffix(2000))")
        }
        return text
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
