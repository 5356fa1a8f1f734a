import Foundation
import HubServer
import SyncModel
import SyncStore

/// The web demo's calendar hub: a folder of .ics files holding DemoCalendar's series (a weekly
/// meeting with a moved and a cancelled instance, the holidays, a last-workday review across
/// DST, a private appointment) and, when Radicale runs, a calendar there, each added through the
/// wizard's own setup code and synced once, so "Upcoming events" shows them with their sources.
enum DemoCalendarHub {
    static let hubName = "Team calendar"
    static let folderSpoke = "Team folder"
    static let calDAVSpoke = "Radicale calendar"

    /// Today in UTC, the day the demo's series are dated around.
    static func today(_ now: Date = Date()) -> CivilDate {
        CivilDateTime(secondsSinceEpoch: Int(now.timeIntervalSince1970)).date
    }

    /// Makes the hub and its spokes and syncs it once; returns the hub, how many series the
    /// folder holds, and the first run.
    static func make(
        provider: ConnectorProvider, store: any SyncStore, folder: URL, calendar: SpokeForm?, today: CivilDate, ctx: Context
    ) async throws -> (hub: HubConfig, series: Int, run: RunRecord) {
        let series = try DemoCalendar.seed(folder, today: today)
        let hub = HubConfig(id: HubID(slugOf: hubName), name: hubName, objectKind: .calendar)
        try store.saveHub(hub)
        var spokes = [(folderSpoke, SpokeKind.icsFolder, SpokeForm(path: folder.path))]
        if let calendar { spokes.append((calDAVSpoke, .caldav, calendar)) }
        for (position, (name, kind, form)) in spokes.enumerated() {
            let spoke = SpokeConfig(
                id: SpokeID(slugOf: name), hub: hub.id, name: name, kind: kind, position: position,
                options: kind.adjusted(SpokeOptions()), settings: try await provider.settings(kind, form, folder: nil))
            try provider.checkConnector(for: spoke)
            try store.saveSpoke(spoke)
        }
        let connectors = try ctx.connectors(for: hub) { spoke, error in
            ctx.logger.warning("demo calendar spoke skipped", metadata: ["spoke": "\(spoke.id)", "error": "\(error)"])
        }
        let run = try await ctx.engine.sync(hub: hub.id, connectors: connectors) { _ in }
        return (hub, series, run)
    }
}
