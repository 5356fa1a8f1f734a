import Foundation
import Testing

/// A hub holds one kind of item, chosen when it is created; list and show say which.
@Suite struct ObjectKindCLITests {
    @Test func aHubIsCreatedForContactsOrForCalendarEvents() async throws {
        let cli = try CLI()
        var r = await cli.run("hub create Team --object calendar")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("of calendar"))
        r = await cli.run("hub create People")
        #expect(r.output.contains("of contacts"))
        r = await cli.run("hub list")
        let lines = r.output.split(separator: "\n")
        #expect(lines.contains { $0.contains("team") && $0.contains("calendar") })
        #expect(lines.contains { $0.contains("people") && $0.contains("contacts") })
        r = await cli.run("hub show team")
        #expect(r.output.contains("0 events"))
        r = await cli.run("hub show people")
        #expect(r.output.contains("0 contacts"))
        r = await cli.run("hub create Other --object tasks")
        #expect(r.exitCode != 0)
    }

    /// A calendar hub syncs like a contact hub (its own spokes, its own kind of item); `sync
    /// --all` syncs hubs of both kinds.
    @Test func aCalendarHubSyncsAndAllSyncsBothKinds() async throws {
        let cli = try CLI()
        var r = await cli.run("hub create Team --object calendar")
        #expect(r.output.contains("--kind ics-folder"))
        r = await cli.run("hub create People")
        #expect(r.output.contains("--kind folder"))
        r = await cli.run("sync team")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("syncing hub team"))
        r = await cli.run("sync --all")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("syncing hub team"))
        #expect(r.output.contains("syncing hub people"))
    }
}
