import Foundation
import Synchronization

/// The Python that runs the outside tools (Radicale, Xandikos, the official client libraries of
/// the tests): `$HUBSYNC_PYTHON`, else the project's own virtual environment that
/// `script/bootstrap` makes (`.build/venv` under the current directory, which `swift test` and
/// `swift run` set to the package root), else `python3` on PATH.
public enum Python {
    /// Where the project's virtual environment lives, relative to the package root.
    public static let venv = ".build/venv"

    public static var path: String? {
        let env = ProcessInfo.processInfo.environment
        if let given = env["HUBSYNC_PYTHON"], !given.isEmpty { return given }
        let local = FileManager.default.currentDirectoryPath + "/\(venv)/bin/python3"
        if FileManager.default.isExecutableFile(atPath: local) { return local }
        return ServerProcess.which("python3")
    }

    private static let found = Mutex<[String: Bool]>([:])

    /// Whether this Python has every module (found, not imported: importing exchangelib or
    /// Google's client takes seconds on a loaded machine). One process asks for all of them, and
    /// the answers are kept for the process's life.
    public static func canImport(_ modules: [String]) -> Bool {
        let unknown = found.withLock { known in modules.filter { known[$0] == nil } }
        if !unknown.isEmpty {
            let present = Set(lines(["-c", Self.finder] + unknown) ?? [])
            found.withLock { known in for m in unknown { known[m] = present.contains(m) } }
        }
        return found.withLock { known in modules.allSatisfy { known[$0] == true } }
    }

    /// Prints each module of argv that `find_spec` finds (a dotted one needs its parent first).
    private static let finder = """
        import importlib.util, sys
        for name in sys.argv[1:]:
            try:
                if importlib.util.find_spec(name) is not None: print(name)
            except Exception:
                pass
        """

    /// The lines a run printed, or nil when it could not run or failed.
    private static func lines(_ arguments: [String]) -> [String]? {
        guard let python = path else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
