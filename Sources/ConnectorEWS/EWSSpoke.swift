import ConnectorHTTP
import ConnectorKit
import ConnectorXML
import Foundation
import Logging
import SyncModel

/// One Exchange mailbox contacts folder as a spoke: SyncFolderItems for changes, GetItem for
/// bodies, ChangeKey-guarded writes, a hidden named property marking what the hub created.
public struct EWSSpoke: SpokeConnector {
    let session: EWSSession
    let settings: EWSSettings
    let logger: Logger

    public init(settings: EWSSettings, http: ConnectorHTTPClient, logger: Logger = ConnectorHTTPClient.silent) {
        self.settings = settings
        self.session = EWSSession(http: http, url: settings.url, version: settings.version, source: settings.source)
        self.logger = logger
    }

    /// The retry policy EWS needs: HTTPClient's, reading ErrorServerBusy's back-off.
    public static func retryPolicy(_ base: RetryPolicy = RetryPolicy()) -> RetryPolicy {
        var p = base
        p.advice = EWSSession.retryAdvice
        return p
    }

    /// Exchange fields the hub has no field for, which a field mapping may name
    /// (`custom.OfficeLocation`).
    public static let customFields = EWSContact.extraFields

    public var capabilities: Set<ContactField>? { nil }
    public var fit: (@Sendable (Contact) -> Contact)? { EWSContact.fit }
    public var maxBatch: Int { settings.batchSize }

    var folder: String { session.folderXML(settings.folderID) }
    /// The server, as errors name it.
    var server: String { ServerName.of(settings.url) }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: cursor, page: page, known: .none)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        try await ConnectorError.naming(server: server) { try await self.pullHere(since: cursor, page: page, known: known) }
    }

    private func pullHere(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        var mode: PullPage.Mode = cursor == nil ? .full : .incremental
        var state = cursor?.rawValue
        if let page {
            // The mode rides in the page token: a full listing stays full to its last page.
            mode = page.rawValue.hasPrefix("F") ? .full : .incremental
            state = String(page.rawValue.dropFirst())
        }
        var listing: SyncListing
        do {
            listing = try await sync(state)
        } catch SyncStateError.invalid {
            guard page == nil else {
                throw ConnectorError(.unavailable, "the mailbox's sync state expired mid-listing; the next sync lists it whole")
            }
            logger.info("sync state refused; listing the folder whole")
            mode = .full
            listing = try await sync(nil)
        }
        var (changes, unchanged, errors) = try await bodies(listing.upserts, known: known)
        changes += listing.deletes.map { .delete(RemoteID($0)) }
        let prefix = mode == .full ? "F" : "I"
        return PullPage(
            mode: mode, changes: changes, errors: errors,
            next: listing.last ? nil : PageToken(prefix + listing.state),
            cursor: listing.last ? SpokeCursor(listing.state) : nil, unchanged: unchanged)
    }

    /// The items whose ChangeKey moved, read in batches; the others listed as unchanged.
    func bodies(_ upserts: [(id: String, changeKey: String)], known: KnownVersions) async throws
        -> ([RemoteChange], [RemoteID], [ItemError])
    {
        let held = try await known(upserts.map { RemoteID($0.id) })
        var unchanged: [RemoteID] = []
        var wanted: [String] = []
        for u in upserts {
            if let v = held[RemoteID(u.id)], EWSVersion(v).changeKey == u.changeKey {
                unchanged.append(RemoteID(u.id))
            } else {
                wanted.append(u.id)
            }
        }
        var changes: [RemoteChange] = []
        var errors: [ItemError] = []
        for batch in wanted.chunked(settings.batchSize) {
            let (items, failed) = try await getItems(Array(batch))
            changes += items.map { .upsert($0) }
            errors += failed
        }
        return (changes, unchanged, errors)
    }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.fetchHere(id) }
    }

    private func fetchHere(_ id: RemoteID) async throws -> RemoteItem? {
        let (items, errors) = try await getItems([id.rawValue])
        if let error = errors.first { throw ConnectorError(.protocolViolation, "cannot read \(id): \(error.message)") }
        return items.first
    }

    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.findHere(marker: marker) }
    }

    private func findHere(marker: CreateMarker) async throws -> RemoteItem? {
        let messages = try await session.call(Op.findMarker(folder: folder, marker: marker.description))
        guard let m = messages.first else { return nil }
        guard m.success else { throw ConnectorError(.protocolViolation, "cannot search the folder: \(m.errorText)") }
        for node in m.items {
            if let id = node.child(.t("ItemId"))?.attributes["Id"], let item = try await fetch(RemoteID(id)) {
                return item
            }
        }
        return nil
    }

    /// GetItem for some ids, photos included. Items gone meanwhile are left out (a full listing
    /// then counts them deleted); other refusals are item errors.
    func getItems(_ ids: [String]) async throws -> ([RemoteItem], [ItemError]) {
        let messages = try await session.call(Op.getItem(ids))
        var read: [ContactItem] = []
        var errors: [ItemError] = []
        for (id, m) in zip(ids, messages) {
            if m.success {
                read += m.items.compactMap(ContactReader.item)
            } else if m.code != "ErrorItemNotFound" {
                errors.append(ItemError(remoteID: RemoteID(id), message: m.errorText))
            }
        }
        let photos = try await photos(read.compactMap(\.photoAttachment))
        let items = read.map { item -> RemoteItem in
            var slots = item.slots
            var version = EWSVersion(changeKey: item.changeKey)
            if let att = item.photoAttachment, let photo = photos[att] {
                slots.photo = photo
                version.photo = .init(hash: EWSVersion.hash(photo), attachment: att)
            }
            return RemoteItem(
                id: RemoteID(item.id), version: version.remote, contact: slots.contact, modifiedAt: item.modifiedAt,
                marker: item.marker.flatMap(CreateMarker.init(parsing:)))
        }
        return (items, errors)
    }

    /// Contact photos by attachment id, one GetAttachment per batch.
    func photos(_ ids: [String]) async throws -> [String: Photo] {
        var out: [String: Photo] = [:]
        for batch in ids.chunked(settings.batchSize) {
            for m in try await session.call(Op.getAttachments(Array(batch))) where m.success {
                for att in m.node.child(.m("Attachments"))?.all(.t("FileAttachment")) ?? [] {
                    guard let id = att.child(.t("AttachmentId"))?.attributes["Id"],
                        let data = att.value(.t("Content")).flatMap({ Data(base64Encoded: $0) })
                    else { continue }
                    out[id] = Photo(data: data, mediaType: att.value(.t("ContentType")) ?? "image/jpeg")
                }
            }
        }
        return out
    }
}
