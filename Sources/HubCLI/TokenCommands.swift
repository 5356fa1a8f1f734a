import ArgumentParser
import Foundation
import HubServer
import SyncStore

/// `hubsync token`: API tokens for scripts and monitoring.
struct TokenGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for scripts and monitoring: create, list, revoke.",
        discussion: """
            A script sends its token as `Authorization: Bearer <token>` to the JSON API of `hubsync serve`. \
            A read token may only GET; an admin token may do what a signed-in admin may. The token is shown \
            once: only its SHA-256 is stored.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    static func service(_ global: GlobalOptions) throws -> APITokenService {
        guard let store = try global.openStore() as? any WebStateStore else { throw CLIError("this database keeps no API tokens") }
        return APITokenService(store: store)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token (printed once).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "What the token is for, e.g. monitoring.") var name: String
        @Option(help: "read (GET only) or admin (everything).") var scope = "read"

        func run() async throws {
            guard let scope = APITokenScope(rawValue: scope) else { throw CLIError("--scope is read or admin") }
            let (token, secret): (APIToken, String)
            do {
                (token, secret) = try service(global).create(name: name, scope: scope, by: NSUserName())
            } catch let e as APIError {
                throw CLIError(e.message)
            }
            Console.line("token \(token.id) \"\(token.name)\" (\(scope.rawValue)) created")
            Console.line("secret (shown only now; send it as Authorization: Bearer …):")
            // Alone on its line, so a script can take it with `tail -1`.
            Console.line(secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let all = try service(global).list()
            guard !all.isEmpty else { return Console.line("no API tokens yet: hubsync token create NAME --scope read") }
            var rows = [["ID", "NAME", "SCOPE", "CREATED", "LAST USED"]]
            for t in all {
                rows.append([t.id, t.name, t.scope.rawValue, Self.shown(t.createdAt), t.lastUsed.map(Self.shown) ?? "never"])
            }
            Console.line(table(rows))
        }

        static func shown(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once, on every server.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's id (hubsync token list).") var id: String

        func run() async throws {
            guard try service(global).revoke(id: id) else { throw CLIError("no API token \(id) (hubsync token list)") }
            Console.line("token \(id) revoked")
        }
    }
}
