import ConnectorHTTP
import ConnectorKit
import Foundation
import Logging
import SyncModel

/// A Microsoft 365 mailbox's contacts folder as a spoke: contact delta with the whole deltaLink
/// as the cursor, `$batch` writes guarded by etags, a single-value extended property marking
/// what the hub created.
public struct GraphSpoke: SpokeConnector {
    let api: GraphAPI
    let settings: GraphSettings
    let logger: Logger

    /// `http` carries the mailbox's bearer auth (`GraphTokenSource.auth`) and at most 4 requests
    /// at a time (`Mailboxes.client`); `budget` is the mailbox's (shared by its folders' spokes).
    public init(settings: GraphSettings, http: HTTPClient, budget: RequestBudget? = nil, logger: Logger = HTTPClient.silent) {
        self.settings = settings
        self.api = GraphAPI(http: http, base: settings.graphBase,
                            budget: budget ?? RequestBudget(limit: settings.requestsPerWindow, per: settings.window))
        self.logger = logger
    }

    /// Exchange fields the hub has no field for, which a field mapping may name (`custom.OfficeLocation`).
    public static let customFields = ContactMapping.extras.map(\.custom)

    public var capabilities: Set<ContactField>? { nil }
    public var fit: (@Sendable (Contact) -> Contact)? { ContactMapping.fit }
    public var maxBatch: Int { settings.batchSize }
    /// The server, as errors name it.
    var server: String { ServerName.of(settings.graphBase) }

    struct DeltaPage: Decodable {
        var value: [JSONObject]?
        var next: String?
        var delta: String?
        enum CodingKeys: String, CodingKey {
            case value
            case next = "@odata.nextLink"
            case delta = "@odata.deltaLink"
        }
    }

    /// What a delta round asks for: enough to tell what changed (Graph keeps the `$select` of a
    /// round's first request in its links). The bodies come from reads with `$expand`, which
    /// delta does not take.
    static let deltaSelect = "id,changeKey,lastModifiedDateTime"

    var firstDeltaURL: URL { api.url(settings.contactsPath + "/delta", [("$select", Self.deltaSelect)]) }

    /// The `$select` and `$expand` of every read of whole items: the mapped fields, and the
    /// marker, phone and photo-flag extended properties.
    static var readQuery: [(String, String)] {
        [("$select", ContactMapping.selected.joined(separator: ",")), ("$expand", ExtendedProperties.expand)]
    }

    var firstListURL: URL { api.url(settings.contactsPath, Self.readQuery + [("$top", "\(settings.listPageSize)")]) }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: cursor, page: page, known: .none)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        try await ConnectorError.naming(server: server) { try await self.pullHere(since: cursor, page: page, known: known) }
    }

    private func pullHere(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        do {
            return try await pullPage(since: cursor, page: page, known: known)
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    /// One contact's path, whichever folder holds it.
    func item(_ id: String) -> String { settings.root + "/contacts/" + GraphSettings.segment(id) }

    static func instant(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }
}
