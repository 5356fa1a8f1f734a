import ConnectorDAV
import ConnectorFolder
import ConnectorHTTP
import ConnectorKit
import Foundation
import HubServer
import SyncEngine
import SyncModel

/// The calendar spoke kinds (`caldav`, `ics-folder`): their setup and their connectors.
enum CalendarSpokes {
    /// A hub holds one kind of item: a calendar spoke on a contacts hub (or the other way round)
    /// would have nothing to sync, so it is refused with what to do instead.
    static func check(_ kind: SpokeKind, fits hub: HubConfig) throws {
        guard kind.objectKind != hub.objectKind else { return }
        switch hub.objectKind {
        case .contacts:
            throw CLIError(
                "hub \(hub.id) holds contacts, and a \(kind.rawValue) spoke holds calendar events: "
                    + "add it to a calendar hub (hubsync hub create NAME --object calendar)")
        case .calendar:
            throw CLIError(
                "hub \(hub.id) holds calendar events, and a \(kind.rawValue) spoke holds contacts: "
                    + "add it to a contacts hub, or use --kind caldav or --kind ics-folder here")
        }
    }

    /// The calendar a URL names: itself, or the only one holding events found from it.
    static func calendar(_ input: NetworkInput, client: HTTPClient) async throws -> CalendarCollection {
        let found = try await ConnectorDAV.Discovery.calendars(at: try input.serverURL(), http: client)
        if found.count == 1 { return found[0] }
        let list = found.map { "  \($0.url.absoluteString)" + ($0.displayName.map { "  (\($0))" } ?? "") }
        throw SetupError(field: "url", "\(found.count) calendars found; pick one by its URL:\n" + list.joined(separator: "\n"))
    }
}

extension Context {
    /// The live connector for a configured calendar spoke, within its budget for one pass (so
    /// made afresh for each pass).
    func calendarConnector(for spoke: SpokeConfig) throws -> any ItemConnector<Event> {
        ItemPassBudget(try bareCalendarConnector(for: spoke), budget: Self.passBudget, name: "spoke \(spoke.name)")
    }

    /// The live connectors of a hub's spokes, of the kind the hub holds; a spoke whose connector
    /// cannot be made is left out and `skipped` is told why.
    func connectors(for hub: HubConfig, skipped: (SpokeConfig, any Error) -> Void) throws -> HubConnectors {
        let spokes = try store.spokes(hub: hub.id)
        switch hub.objectKind {
        case .contacts:
            return .contacts(Self.made(spokes, skipped) { SyncEngine.asItemConnector(try connector(for: $0)) })
        case .calendar:
            return .calendar(Self.made(spokes, skipped) { try calendarConnector(for: $0) })
        }
    }

    private static func made<Item>(
        _ spokes: [SpokeConfig], _ skipped: (SpokeConfig, any Error) -> Void,
        _ make: (SpokeConfig) throws -> any ItemConnector<Item>
    ) -> [SpokeID: any ItemConnector<Item>] {
        var out: [SpokeID: any ItemConnector<Item>] = [:]
        for s in spokes {
            do {
                out[s.id] = try make(s)
            } catch {
                skipped(s, error)
            }
        }
        return out
    }

    private func bareCalendarConnector(for spoke: SpokeConfig) throws -> any ItemConnector<Event> {
        let logger = self.logger.with(["hub": "\(spoke.hub)", "spoke": "\(spoke.id)"])
        switch spoke.kind {
        case .icsFolder:
            guard let path = spoke.settings["path"] else { throw CLIError("spoke \(spoke.id) has no path") }
            return ICSFolderSpoke(directory: URL(fileURLWithPath: path))
        case .caldav:
            let net = try NetworkSettings(spoke, secrets: secrets, logger: logger)
            return try CalDAVCalendarSpoke(settings: CalDAVSettings(url: net.url), http: net.client, logger: logger)
        case .memory, .folder, .carddav, .ews, .google, .graph, .directory:
            throw CLIError("spoke \(spoke.id) holds contacts, not calendar events")
        }
    }
}
