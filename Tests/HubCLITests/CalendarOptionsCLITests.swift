import Foundation
import Testing
import SyncModel
import SyncStoreSQLite
@testable import HubCLI

/// A calendar spoke's window, private events and busy-only filter, set by `spoke add/set` and
/// kept in the spoke's options; refused on a contact hub.
@Suite struct CalendarOptionsCLITests {
    @Test func spokeAddAndSetKeepTheCalendarOptions() async throws {
        let cli = try CLI()
        var r = await cli.run("hub create Team --object calendar")
        #expect(r.error == nil)
        r = await cli.run(["spoke", "add", "team", "--name", "Office", "--kind", "ics-folder", "--path", try cli.folder("a").path,
                           "--window-past", "7", "--private", "busy", "--categorize", "Team"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("window: 7 days back, 365 days ahead"))
        #expect(r.output.contains("private events: copied as busy time"))
        r = await cli.run("spoke set team office --window-future 90 --busy-only")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("window: 7 days back, 90 days ahead"))
        #expect(r.output.contains("only events that block time"))
        let store = try SQLiteStore(path: cli.db)
        let spoke = try #require(try store.spokes(hub: HubID("team")).first)
        #expect(spoke.options.calendar == CalendarOptions(pastDays: 7, futureDays: 90, privateEvents: .busy, busyOnly: true))
        #expect(spoke.options.categorizeAs == "Team")
        r = await cli.run("spoke set team office --private skip --all-events")
        #expect(try store.spokes(hub: HubID("team")).first?.options.calendar
            == CalendarOptions(pastDays: 7, futureDays: 90, privateEvents: .skip))
        r = await cli.run("spoke set team office --private hide")
        #expect(r.exitCode != 0)
        r = await cli.run("spoke set team office --window-past -1")
        #expect(r.exitCode != 0)
    }

    @Test func aContactHubRefusesCalendarOptions() async throws {
        let cli = try CLI()
        await cli.run("hub create People")
        let r = await cli.run(["spoke", "add", "people", "--name", "Office", "--path", try cli.folder("a").path,
                               "--private", "skip"])
        #expect(r.exitCode != 0)
        #expect(try SQLiteStore(path: cli.db).spokes(hub: HubID("people")).isEmpty)
    }
}
