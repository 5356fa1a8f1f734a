import Foundation
import HubServer
import SyncModel
import Testing
import TestSupport
@testable import HubCLI

/// The web wizard's calendar kinds: a CalDAV calendar found on a real Radicale and stored as
/// `spoke add --kind caldav` stores it, and a folder of .ics files; the catalog says which kinds
/// hold events.
@Suite struct ProviderCalendarTests {
    static let mkcalendar = #"<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></D:mkcol>"#

    @Test func theCatalogOffersTheCalendarKindsForCalendarHubs() throws {
        let kinds = try CLI().provider().kinds
        #expect(kinds.filter { $0.object == .calendar }.map(\.kind) == [.caldav, .icsFolder])
        #expect(kinds.filter { $0.object == .contacts }.contains { $0.kind == .carddav })
        #expect(kinds.filter { $0.object == .calendar }.allSatisfy { $0.available })
    }

    @Test func calDAVCalendarsAndSettings() async throws {
        try OutsideTools.require(.radicale)
        let server = try await ServerProcess.radicale(user: "alice", password: "s3cret-pw")
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)/"
        for name in ["team", "holidays"] {
            try curl(["-X", "MKCOL", "-u", "alice:s3cret-pw", "-H", "Content-Type: application/xml", "--data", Self.mkcalendar,
                      base + "alice/\(name)/"])
        }
        try curl(["-X", "MKCOL", "-u", "alice:s3cret-pw", "-H", "Content-Type: application/xml", "--data", mkcol, base + "alice/book/"])
        let cli = try CLI()
        let provider = try cli.provider()
        let form = SpokeForm(url: base, user: "alice", password: "s3cret-pw")

        // The calendars, not the address book; two of them, so none is the default.
        let found = try await provider.discover(.caldav, form)
        #expect(found.folders.map { URL(string: $0.id)!.lastPathComponent }.sorted() == ["holidays", "team"])
        #expect(found.folders.allSatisfy { !$0.isDefault })
        #expect(await blamedField { _ = try await provider.settings(.caldav, form, folder: nil) } == "folder")
        let team = try #require(found.folders.first { $0.id.hasSuffix("/team/") })
        let made = try await provider.settings(.caldav, form, folder: team.id)

        _ = await cli.run("hub create Team --object calendar")
        let r = await cli.run(["spoke", "add", "team", "--name", "Team", "--kind", "caldav", "--url", base + "alice/team/",
                               "--user", "alice", "--password", "s3cret-pw"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        try expectSameSettings(made, try cli.storedSettings(hub: "team", spoke: "team"), secrets: try cli.secrets())
        let spoke = SpokeConfig(id: SpokeID("t"), hub: HubID("team"), name: "T", kind: .caldav, position: 3, settings: made)
        try provider.checkConnector(for: spoke)
        #expect(provider.describe(spoke) == ["url": team.id, "user": "alice", "folder": "team"])

        let wrong = SpokeForm(url: base, user: "alice", password: "wrong")
        #expect(await blamedField { _ = try await provider.discover(.caldav, wrong) } == "password")
    }

    @Test func aFolderOfICSFiles() async throws {
        let cli = try CLI()
        let provider = try cli.provider()
        let dir = cli.dir.appendingPathComponent("calendar")
        let found = try await provider.discover(.icsFolder, SpokeForm(path: dir.path))
        #expect(found.folders.map(\.isDefault) == [true] && found.folders.first?.count == nil)
        let made = try await provider.settings(.icsFolder, SpokeForm(path: dir.path), folder: nil)
        #expect(made["path"] == dir.path && FileManager.default.fileExists(atPath: dir.path))
        try Data("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8).write(to: dir.appendingPathComponent("a.ics"))
        #expect(try await provider.discover(.icsFolder, SpokeForm(path: dir.path)).folders.first?.count == 1)
        let spoke = SpokeConfig(id: SpokeID("f"), hub: HubID("team"), name: "F", kind: .icsFolder, position: 0, settings: made)
        try provider.checkConnector(for: spoke)
        #expect(await blamedField { _ = try await provider.settings(.icsFolder, SpokeForm(), folder: nil) } == "path")
    }
}
