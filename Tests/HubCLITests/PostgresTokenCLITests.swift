import Foundation
import Testing
import TestSupport
import SyncStorePostgres
@testable import HubCLI

/// `hubsync token` on PostgreSQL: the tokens live in the database (`WebStateStore`), kept only
/// as their SHA-256, so any server of the installation accepts them.
@Suite struct PostgresTokenCLITests {
    @Test func createdListedAndRevoked() async throws {
        let cli = try PostgresCLITests.cli()
        let made = await cli.run(["token", "create", "monitoring", "--scope", "read"])
        #expect(made.error == nil, "\(String(describing: made.error))")
        let secret = try #require(TokenCLITests.secret(in: made.output), "\(made.output)")
        let id = try #require(made.output.split(separator: " ").dropFirst().first.map(String.init), "\(made.output)")
        let store = try PostgresStore(PostgresURL(cli.db))
        let stored = try #require(try store.apiTokens().first)
        #expect(stored.id == id && stored.name == "monitoring" && stored.scope == .read)
        #expect(stored.tokenHash != secret && !stored.tokenHash.contains(secret))
        #expect(await cli.run(["token", "list"]).output.contains("monitoring"))
        #expect(await cli.run(["token", "revoke", id]).error == nil)
        #expect(try store.apiTokens().isEmpty)
        #expect(await cli.run(["token", "revoke", id]).error != nil)
    }
}
