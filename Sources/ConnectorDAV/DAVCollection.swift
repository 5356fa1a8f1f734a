import Foundation
import ConnectorHTTP
import ConnectorKit
import SyncModel

/// What differs between a CardDAV address book and a CalDAV calendar on the wire; everything
/// else (listings, sync-collection, multiget, conditional writes) is the same WebDAV.
struct DAVFlavor: Sendable {
    /// The body property: `card:address-data` or `cal:calendar-data`.
    let data: DAVName
    let dataElement: String
    /// The multiget REPORT element.
    let multiget: String
    let contentType: String
    /// For messages: "card", "calendar object".
    let noun: String
    /// What a server sends instead of a body: "no vCard", "no iCalendar".
    let format: String

    static let card = DAVFlavor(
        data: .c("address-data"), dataElement: "card:address-data", multiget: "card:addressbook-multiget",
        contentType: "text/vcard; charset=utf-8", noun: "card", format: "vCard")
    static let calendar = DAVFlavor(
        data: .cal("calendar-data"), dataElement: "cal:calendar-data", multiget: "cal:calendar-multiget",
        contentType: "text/calendar; charset=utf-8", noun: "calendar object", format: "iCalendar")
}

/// Bodies read with a multiget, unparsed: each flavour reads its own format.
struct RawFetched: Sendable {
    var bodies: [(id: RemoteID, text: String, etag: String?)] = []
    var gone: [RemoteID] = []
    var errors: [ItemError] = []

    mutating func merge(_ o: RawFetched) {
        bodies += o.bodies
        gone += o.gone
        errors += o.errors
    }
}

/// One collection on a server, as both spokes read it.
struct DAVCollection: Sendable {
    let session: DAVSession
    let paths: DAVPaths
    let flavor: DAVFlavor

    /// Bodies and ETags of the given resources; those the server says are gone (404) are `gone`.
    ///
    /// One resource can spoil the answer for all (larger than an XML text may be, bytes XML
    /// cannot hold): an answer that cannot be read is asked for again one by one, and one whose
    /// own answer cannot be read is that item's error. (When none can be read, the server is
    /// what is broken: the spoke fails.)
    func multiget(_ ids: [RemoteID]) async throws -> RawFetched {
        do {
            return try await multigetOnce(ids)
        } catch let e as ConnectorError where e.kind == .protocolViolation && ids.count > 1 {
            var out = RawFetched()
            var unreadable: [ItemError] = []
            for id in ids {
                do {
                    out.merge(try await multigetOnce([id]))
                } catch let one as ConnectorError where one.kind == .protocolViolation {
                    unreadable.append(ItemError(remoteID: id, message: one.description))
                }
            }
            if unreadable.count == ids.count { throw e }
            out.errors += unreadable
            return out
        }
    }

    private func multigetOnce(_ ids: [RemoteID]) async throws -> RawFetched {
        var out = RawFetched()
        guard !ids.isEmpty else { return out }
        let r = try await session.report(paths.collectionURL, depth: 1, DAVBody.multiget(ids.map(\.rawValue), flavor))
        let ms = try session.multistatus(r, "REPORT \(flavor.multiget.split(separator: ":").last ?? "")")
        var missing = Set(ids)
        for resp in ms.responses where paths.isMember(resp.href) {
            let id = paths.id(resp.href)
            missing.remove(id)
            if resp.status == 404 || resp.missing.contains(flavor.data) && resp.props.isEmpty {
                out.gone.append(id)
                continue
            }
            guard let text = resp.props[flavor.data]?.text, !text.isEmpty else {
                out.errors.append(ItemError(remoteID: id, message: "the server sent no \(flavor.format) (status \(resp.status ?? 0))"))
                continue
            }
            out.bodies.append((id, text, resp.text(.d("getetag"))))
        }
        for id in missing.sorted() {
            out.errors.append(ItemError(remoteID: id, message: "the server left the \(flavor.noun) out of its multiget answer"))
        }
        return out
    }

    /// Every member's ETag by a Depth 1 PROPFIND (servers without sync-collection).
    func memberETags() async throws -> [(RemoteID, String)] {
        let ms = try await session.propfind(paths.collectionURL, depth: 1, DAVBody.etagListing)
        var listed: [(RemoteID, String)] = []
        for r in ms.responses where paths.isMember(r.href) && !r.names(in: .d("resourcetype")).contains(.d("collection")) {
            guard let etag = r.text(.d("getetag")) else { continue }
            listed.append((paths.id(r.href), etag))
        }
        return listed
    }

    /// RFC 6578. nil when the server refuses the token (expired, from before a restore...) or
    /// the report. A truncated answer (507 on the collection) is continued from the token it gave.
    /// `bodies`: changed resources come with the listing (see `Listing.inline`).
    func syncListing(token start: String?, known: KnownVersions, bodies: Bool) async throws -> Listing? {
        var token = start
        var state: [RemoteID: String?] = [:]  // etag, or nil when deleted
        var order: [RemoteID] = []
        var inline: [RemoteID: (text: String, etag: String)] = [:]
        var rounds = 0
        while true {
            rounds += 1
            let r = try await session.report(
                paths.collectionURL, depth: 0, DAVBody.syncCollection(token: token, data: bodies ? flavor.dataElement : nil))
            if r.status != 207 {
                // A refused token: Radicale answers 403, Xandikos 412, others 409 or 400, all with
                // valid-sync-token. Without a token: a server that lists the report but cannot
                // do it; the etag listing serves instead.
                if (400..<500).contains(r.status), r.status != 404 { return nil }
                throw session.unexpected(r, "REPORT sync-collection")
            }
            let ms = try session.parse(r, "REPORT sync-collection")
            var truncated = false
            for resp in ms.responses {
                guard paths.isMember(resp.href) else {
                    truncated = truncated || resp.status == 507
                    continue
                }
                let id = paths.id(resp.href)
                if state[id] == nil { order.append(id) }
                if resp.status == 404 || (resp.props[.d("getetag")] == nil && resp.missing.contains(.d("getetag"))) {
                    state[id] = .some(nil)
                    inline[id] = nil
                } else if let etag = resp.text(.d("getetag")) {
                    state[id] = .some(etag)
                    inline[id] = resp.props[flavor.data].flatMap { $0.text.isEmpty ? nil : ($0.text, etag) }
                }
            }
            let next = ms.syncToken ?? token
            guard truncated, next != token, rounds < 1000 else {
                token = next
                break
            }
            token = next
        }
        var l = Listing(mode: start == nil ? .full : .incremental, cursor: token.map { DAVCursor.sync($0).cursor })
        l.inline = inline
        var listed: [(RemoteID, String)] = []
        for id in order {
            switch state[id] {
            case .some(.some(let etag)): listed.append((id, etag))
            case .some(.none): l.deleted.append(id)
            case .none: break
            }
        }
        try await l.sort(listed, known: known)
        return l
    }
}
