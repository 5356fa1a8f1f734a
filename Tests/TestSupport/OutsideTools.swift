import Foundation
import Loopback
import Testing

/// The outside tools some tests need (real servers, official client libraries, a browser).
/// `script/bootstrap` installs them all: Debian packages, and a Python virtual environment
/// under `.build/venv` that `Python.path` finds. A test that needs a missing one is skipped
/// with a word on what is missing and how to get it, except in CI (`CI` set), where it fails.
public enum OutsideTool: String, Sendable, CaseIterable, CustomStringConvertible {
    case python, radicale, xandikos, pyspnego, exchangelib, googleClient, msgraph, selenium, chromium, chromedriver, openssl, curl
    /// Python `icalendar` and `recurring-ical-events`: the calendar oracles.
    case icalendar
    /// The Python `caldav` client: another CalDAV client reading what HubSync writes.
    case caldav
    /// Python's aiosmtpd: a real SMTP server the invitation mail goes to.
    case aiosmtpd
    /// Debian's PostgreSQL server binaries: the tests start a throwaway cluster (`PostgresCluster`).
    case postgresql

    public var description: String {
        switch self {
        case .python: "python3"
        case .googleClient: "google-api-python-client"
        case .msgraph: "msgraph-sdk and azure-identity"
        default: rawValue
        }
    }

    /// The Python modules it is, or nil for a program on PATH.
    var modules: [String]? {
        switch self {
        case .radicale: ["radicale"]
        case .xandikos: ["xandikos"]
        case .pyspnego: ["spnego"]
        case .exchangelib: ["exchangelib"]
        case .googleClient: ["googleapiclient", "google.auth"]
        case .msgraph: ["msgraph", "azure.identity"]
        case .selenium: ["selenium"]
        case .icalendar: ["icalendar", "recurring_ical_events"]
        case .caldav: ["caldav"]
        case .aiosmtpd: ["aiosmtpd"]
        case .python, .chromium, .chromedriver, .openssl, .curl, .postgresql: nil
        }
    }

    /// One Python process answers for every module at the first question.
    private static let askedOnce: Bool = Python.canImport(allCases.flatMap { $0.modules ?? [] })

    var programs: [String] {
        switch self {
        case .chromium: ["chromium", "chromium-browser", "google-chrome"]
        case .chromedriver: ["chromedriver"]
        case .openssl: ["openssl"]
        case .curl: ["curl"]
        default: []
        }
    }

    public var isAvailable: Bool {
        if self == .python { return Python.path != nil }
        if self == .postgresql { return PostgresCluster.binDirectory != nil }
        if let modules {
            _ = Self.askedOnce
            return Python.canImport(modules)
        }
        return programs.contains { ServerProcess.which($0) != nil || FileManager.default.isExecutableFile(atPath: "/usr/bin/\($0)") }
    }
}

public enum OutsideTools {
    /// `CI` set to anything but empty, 0, false or no.
    public static let inCI: Bool = {
        guard let ci = ProcessInfo.processInfo.environment["CI"]?.lowercased() else { return false }
        return !["", "0", "false", "no"].contains(ci)
    }()

    public static func missing(_ tools: [OutsideTool]) -> [OutsideTool] { tools.filter { !$0.isAvailable } }

    public static func message(_ missing: [OutsideTool]) -> String {
        "needs \(missing.map(\.description).joined(separator: ", ")), not installed here: "
            + "`script/test` (or `script/bootstrap`) installs every tool the tests use"
    }

    /// Call first in a test that needs these: skips it when one is missing (fails it in CI).
    /// (No source location parameter: its default is a macro that every caller's file would have
    /// to import Testing for.)
    public static func require(_ tools: OutsideTool...) throws {
        try require(tools)
    }

    public static func require(_ tools: [OutsideTool]) throws {
        let missing = missing(tools)
        guard !missing.isEmpty else { return }
        if inCI { throw Missing(description: "CI is set, and this test \(message(missing))") }
        try Test.cancel("skipped: \(message(missing))")
    }

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }
}
