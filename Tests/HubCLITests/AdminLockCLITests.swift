import Foundation
import Testing
@testable import HubCLI

/// restore, holds approve/reject, spoke remove and hub delete change the hub: each takes the
/// hub's lock, so none runs beside a sync in another process.
@Suite struct AdminLockCLITests {
    @Test func adminCommandsWaitForNoSync() async throws {
        let cli = try CLI()
        let a = try cli.folder("a")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run("sync team")
        var held = try HubLock(database: cli.db, hub: "team")
        #expect(held != nil)
        for line in ["restore team --entry 1", "holds approve team A", "holds reject team A", "spoke remove team A",
                     "hub delete team --yes"] {
            let busy = await cli.run(line)
            #expect("\(busy.error.map { "\($0)" } ?? "")".contains("being synced by another process"), "\(line)")
        }
        held = nil
        #expect(await cli.run("restore team --entry 1").exitCode == 0)
        #expect(await cli.run("hub delete team --yes").exitCode == 0)
    }
}
