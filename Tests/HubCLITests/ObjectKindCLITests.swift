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
}
