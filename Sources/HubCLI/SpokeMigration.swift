import ConnectorEWS
import ConnectorGraph
import ConnectorHTTP
import Foundation
import HubServer
import Secrets
import SyncEngine
import SyncModel
import SyncStore

/// An Exchange Online spoke leaving EWS for Microsoft Graph (PROTOCOLS.md §1.9): the same mailbox
/// and folder, its links kept. Everything that talks to Microsoft happens here, before the
/// switch; the switch itself is one store transaction (`SyncEngine.switchConnector`), so a crash
/// at any point leaves a working EWS spoke or a working Graph spoke.
enum SpokeMigration {
    /// What `prepare` found, for the report.
    struct Prepared: Sendable {
        var change: ConnectorSwitch
        var folder: GraphFolder
        var account: String?
        var linked: Int
        var untranslated: Int
    }

    /// The Graph spoke for the EWS spoke's mailbox and folder, and its links' ids translated
    /// (`translateExchangeIds`, ≤1000 a request). `graph` says how to reach the mailbox: app-only
    /// (its `mailbox` set) or delegated with `tokens`.
    static func prepare(
        _ spoke: SpokeConfig, store: any SyncStore, graph: GraphSettings, tokens: GraphTokens?, secrets: SecretBox,
        retry: RetryPolicy = RetryPolicy()
    ) async throws -> Prepared {
        guard spoke.kind == .ews else {
            throw SetupError("Only an Exchange (EWS) spoke moves to Microsoft 365; spoke \(spoke.id) is \(spoke.kind.rawValue).")
        }
        try movable(spoke.settings, appOnlyMailbox: graph.mailbox)
        let (http, refreshToken, appToken) = M365Setup.authorized(graph, tokens: tokens, retry: retry)
        // The links as they are now; a pass that links more meanwhile is caught by the switch.
        let remoteIDs = try store.linkedRemoteIDs(hub: spoke.hub, spoke: spoke.id)
        var versions: [RemoteID: RemoteVersion?] = [:]
        for chunk in remoteIDs.sorted().chunked(1000) {
            for (id, link) in try store.links(hub: spoke.hub, spoke: spoke.id, remoteIDs: Array(chunk)) {
                versions[id] = link.remoteVersion
            }
        }
        let ewsFolder = spoke.settings["ews.folder"]
        let translated = try await ExchangeIds.translate(
            ewsIDs: remoteIDs.map(\.rawValue) + (ewsFolder.map { [$0] } ?? []), graph, http: http)
        let folder = try await graphFolder(ewsFolder, translated: ewsFolder.flatMap { translated[$0] },
                                           name: spoke.settings["ews.folderName"], graph, http: http)
        var map: [RemoteID: (id: RemoteID, version: RemoteVersion?)] = [:]
        for id in remoteIDs {
            guard let target = translated[id.rawValue] else { continue }
            let version = versions[id].flatMap { $0 }.map(EWSSpoke.changeKey(of:))
            map[id] = (RemoteID(target), ExchangeIds.version(ewsChangeKey: version))
        }
        var account = graph.mailbox
        if account == nil { account = await GraphFolders.account(graph, http: http) }
        var moved = spoke
        moved.kind = .graph
        moved.settings = try M365Setup.stored(graph, folder: folder, account: account, refreshToken: refreshToken(), secrets: secrets)
        if let t = appToken() { moved.settings[AppTokenCache.key] = AppTokenCache.sealed(t, box: secrets) }
        return Prepared(
            change: ConnectorSwitch(spoke: moved, translated: map, asked: remoteIDs), folder: folder, account: account,
            linked: remoteIDs.count, untranslated: remoteIDs.count - map.count)
    }

    /// Graph reaches the same mailbox only for the kinds it has: no public folders at all, and
    /// another user's mailbox only app-only, named as the spoke names it.
    static func movable(_ settings: [String: String], appOnlyMailbox: String?) throws {
        switch try EWSSource(stored: settings) {
        case .userMailbox:
            return
        case .publicFolder:
            throw SetupError("Microsoft Graph has no public folders: a public-folder spoke stays on Exchange (EWS).")
        case .otherMailbox(let address, _):
            guard appOnlyMailbox?.lowercased() == address.lowercased() else {
                throw SetupError(field: "email", "This spoke syncs the mailbox \(address): move it with app-only access to that mailbox.")
            }
        }
    }

    /// The Graph folder the EWS spoke synced: its id translated, checked in the mailbox. The
    /// default Contacts folder stays "the default" (Graph's `/contacts`).
    static func graphFolder(
        _ ewsFolder: String?, translated: String?, name: String?, _ graph: GraphSettings, http: HTTPClient
    ) async throws -> GraphFolder {
        let folders = try await GraphFolders.list(graph, http: http)
        guard let ewsFolder else { return folders[0] }
        guard let id = translated else {
            throw SetupError(field: "folder", "Microsoft Graph could not translate the spoke's folder id (\(ewsFolder)); is this the same mailbox?")
        }
        if let f = folders.first(where: { $0.id == id }) { return f }
        guard let found = try await ExchangeIds.folder(id: id, graph, http: http) else {
            throw SetupError(field: "folder", "The spoke's folder \(name ?? ewsFolder) is not in the mailbox Microsoft Graph reached; is this the same mailbox?")
        }
        // Not below the default folder (or deeper than the listing goes): the default folder
        // itself when it has its name, else that folder by id.
        if (name ?? "").lowercased() == folders[0].path.lowercased() { return folders[0] }
        var named = found
        named.path = name ?? found.name
        return named
    }

    /// The mailbox an app-only migration reaches when none is given: the EWS spoke's user, when
    /// it signs in with an address.
    static func defaultMailbox(_ spoke: SpokeConfig) -> String? {
        spoke.settings["user"].flatMap { $0.contains("@") ? $0 : nil }
    }
}
