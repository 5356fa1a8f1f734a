import Foundation
import Testing

/// Calendar spokes join calendar hubs only, and contact spokes contacts hubs, each refused
/// elsewhere with what to do instead.
@Suite struct CalendarSpokeCLITests {
    @Test func aCalendarSpokeKindFitsOnlyACalendarHub() async throws {
        let cli = try CLI()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ics-cli-\(UUID().uuidString)")
        _ = await cli.run("hub create Team --object calendar")
        _ = await cli.run("hub create People")
        var r = await cli.run(["spoke", "add", "team", "--name", "Shared", "--kind", "ics-folder", "--path", dir.path])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("added spoke shared"))
        r = await cli.run("spoke list team")
        #expect(r.output.contains("ics-folder"))

        r = await cli.run(["spoke", "add", "people", "--name", "Cal", "--kind", "ics-folder", "--path", dir.path])
        #expect(r.exitCode != 0)
        #expect("\(r.error.map { "\($0)" } ?? "")".contains("hub create NAME --object calendar"))
        r = await cli.run(["spoke", "add", "people", "--name", "Cal", "--kind", "caldav", "--url", "http://127.0.0.1:1/"])
        #expect(r.exitCode != 0)
        #expect("\(r.error.map { "\($0)" } ?? "")".contains("holds contacts"))
        r = await cli.run(["spoke", "add", "team", "--name", "Cards", "--kind", "folder", "--path", dir.path])
        #expect(r.exitCode != 0)
        #expect("\(r.error.map { "\($0)" } ?? "")".contains("--kind caldav or --kind ics-folder"))
        r = await cli.run("spoke list people")
        #expect(!r.output.contains("cal"))
    }
}
