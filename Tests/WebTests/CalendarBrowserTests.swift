import Foundation
import HubServer
import Loopback
import Secrets
import SyncModel
import SyncStoreSQLite
import TestSupport
import Testing
@testable import HubCLI

/// A calendar hub made in the wizard in headless Chromium (python/web_calendar.py): a folder of
/// .ics files holding the demo's team calendar and an empty calendar on a real Radicale, synced
/// with Sync now; the Upcoming events tab lists the series with both sources, and Radicale then
/// holds every series. Skipped without chromium, chromedriver, selenium and Radicale, unless CI is set.
@Suite(.serialized) struct CalendarBrowserTests {
    static let admin = "admin", adminPassword = "correct horse battery staple"
    static let shots = "calendar"

    @Test(.timeLimit(.minutes(10)))
    func aCalendarHubFromTheWizardShowsItsUpcomingEventsAndTheirSources() async throws {
        try OutsideTools.require(BrowserTools.needed + [.radicale])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-webcal-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let radicale = try await DemoRadicale(directory: directory.appendingPathComponent("radicale"), user: "ann", password: "Radicale-pass-1")
        defer { radicale.stop() }
        try await radicale.fill([])  // the address book and an empty calendar
        let folder = directory.appendingPathComponent("team-calendar")
        let series = try DemoCalendar.seed(folder, today: DemoCalendarHub.today())

        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path)
        let secrets = try SecretBox.load(keyFile: directory.appendingPathComponent("hubsync.key"), environment: [:])
        let app = HubApp(store: store, provider: try ConnectorProvider(store: store, secrets: secrets),
                         settings: HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4))
        try app.createAdmin(user: Self.admin, password: Self.adminPassword)
        let port = try await app.start()
        defer { Task { await app.stop() } }

        try clearScreenshots(of: Self.shots)
        let out = try await PythonScript.run(
            "web_calendar.py", in: BrowserTools.scripts,
            ["calendar", "--url", "http://127.0.0.1:\(port)", "--shots", BrowserTools.screenshots.appendingPathComponent(Self.shots).path,
             "--admin-user", Self.admin, "--admin-password", Self.adminPassword, "--folder", folder.path,
             "--caldav-url", radicale.base.absoluteString, "--caldav-user", radicale.user, "--caldav-password", radicale.password,
             "--expect", "Team meeting", "--expect", "Monthly review", "--expect", "Dr. Keller"],
            needs: BrowserTools.needed)
        print(out)
        #expect(out.contains("SUMMARY: calendar all checks passed"))
        #expect(screenshots(of: Self.shots)["upcoming-events"]?.isPNG == true)

        // Radicale's calendar now holds every series of the folder, one resource each.
        let hub = HubID(slugOf: "Team calendar")
        await app.waitForSync(hub)
        #expect(try store.liveItemCount(hub: hub) == series)
        let listing = try curl(["-s", "-X", "PROPFIND", "-H", "Depth: 1", "-u", "\(radicale.user):\(radicale.password)",
                                radicale.calendar.absoluteString])
        #expect(listing.components(separatedBy: ".ics</").count - 1 == series, "\(listing)")
    }

    /// curl's standard output.
    func curl(_ args: [String]) throws -> String {
        try OutsideTools.require(.curl)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
