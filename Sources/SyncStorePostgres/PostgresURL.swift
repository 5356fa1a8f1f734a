import Foundation
import PostgresNIO
import SyncStore

/// A `postgres://` (or `postgresql://`) URL as libpq reads it: `postgres://user:password@host:port/db`,
/// with `?host=/dir` for the Unix socket in that directory and `?sslmode=disable|prefer|require`.
/// Its description never shows the password.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public var user: String
    public var password: String?
    /// A host name, or the directory of a Unix socket (starts with `/`).
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: String

    /// Whether `text` names a PostgreSQL database rather than a file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(user: String, password: String? = nil, host: String, port: Int = 5432, database: String, sslMode: String = "prefer") {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    public init(_ text: String) throws {
        // Parsed by hand: URLComponents would not read a socket directory in the query.
        guard Self.isPostgres(text), text.utf8.count <= 4096, let url = URLComponents(string: text) else {
            throw StoreError(.io, "not a postgres:// URL")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        user = url.user.flatMap { $0.removingPercentEncoding } ?? query["user"]
            ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = url.password.flatMap { $0.removingPercentEncoding } ?? query["password"]
        host = query["host"] ?? url.host.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 } ?? "/var/run/postgresql"
        port = url.port ?? query["port"].flatMap(Int.init) ?? 5432
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? query["dbname"] ?? user
        sslMode = query["sslmode"] ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw StoreError(.io, "unknown sslmode \(sslMode)")
        }
    }

    /// The URL with the password replaced: what logs and messages may show.
    public var description: String {
        let credentials = password == nil ? user : "\(user):***"
        let place = host.hasPrefix("/") ? "/\(database)?host=\(host)" : "\(host):\(port)/\(database)"
        return "postgres://\(credentials)@\(place)"
    }

    var configuration: PostgresConnection.Configuration {
        get throws {
            if host.hasPrefix("/") {
                return .init(unixSocketPath: "\(host)/.s.PGSQL.\(port)", username: user, password: password, database: database)
            }
            let tls: PostgresConnection.Configuration.TLS
            switch sslMode {
            case "disable", "allow": tls = .disable
            case "prefer":
                tls = .prefer(try NIOSSLContext(configuration: Self.tlsConfiguration(verify: false)))
            default:
                tls = .require(try NIOSSLContext(configuration: Self.tlsConfiguration(verify: sslMode != "require")))
            }
            return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
    }

    /// libpq's `prefer` and `require` encrypt without checking the certificate; `verify-*` check it.
    private static func tlsConfiguration(verify: Bool) -> TLSConfiguration {
        var c = TLSConfiguration.makeClientConfiguration()
        if !verify { c.certificateVerification = .none }
        return c
    }
}
