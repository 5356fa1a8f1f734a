import Foundation
import ConnectorHTTP
import ConnectorKit
import PIMFormats
import SyncModel

extension CardDAVSpoke {
    /// Bodies and ETags of the given cards (see `DAVCollection.multiget`), read. Cards that do
    /// not parse are item errors.
    func multiget(_ ids: [RemoteID]) async throws -> Fetched {
        let raw = try await dav.multiget(ids)
        var out = Fetched(gone: raw.gone, errors: raw.errors)
        for b in raw.bodies { out.add(b.id, CardMapping.parse(b.id, b.text, on: paths.server), etag: b.etag, text: b.text) }
        return out
    }

    /// One write; the server's refusal of this card is an item error, not the batch's.
    func apply(_ op: WriteOp, current: Fetched, version: VCardVersion) async throws -> WriteOutcome {
        switch op {
        case .create(let contact, let marker):
            let id = paths.resource(for: marker)
            var card = VCard.created(contact, marker: marker, version: version)
            var r = try await session.put(paths.url(id), CardMapping.body(card), type: DAVFlavor.card.contentType, condition: ("If-None-Match", "*"))
            if r.status == 403 || r.status == 409, card.marker != nil {
                // The first-seen UID is taken in this address book (RFC 6352 no-uid-conflict):
                // the card goes in under the marker instead.
                card = card.underMarker()
                r = try await session.put(paths.url(id), CardMapping.body(card), type: DAVFlavor.card.contentType, condition: ("If-None-Match", "*"))
            }
            switch r.status {
            case 200..<300: return .created(id, r.header("ETag").map { DAVVersion(etag: $0, card: card).remote })
            case 412:
                // Made by an earlier try whose answer was lost: the resource is ours (named after
                // our marker), so the create is done.
                let got = try await multiget([id])
                return .created(id, got.cards[id].flatMap { c in
                    c.1.map { DAVVersion(etag: $0, card: c.0, text: got.texts[id]).remote }
                })
            default: return DAVSession.refused(id, r, "create")
            }
        case .update(let id, let expected, let contact):
            let known = expected.map(DAVVersion.init)
            let card: VCard
            var body: Data?
            let match: String
            if let known, let plain = known.plain {
                card = VCard(version: plain.version, uid: plain.uid).updated(with: contact)
                match = known.etag
            } else {
                if current.gone.contains(id) { return .notFound }
                if let e = current.errors.first(where: { $0.remoteID == id }) { return .failed(e) }
                guard let (old, etag) = current.cards[id] else { return .notFound }
                if let known, let etag, known.etag != etag { return .conflict }
                guard let m = known?.etag ?? etag else {
                    return .failed(ItemError(remoteID: id, message: "the server gives no ETag: cannot update safely"))
                }
                card = old.updated(with: contact)
                // What nobody changed stays as the source wrote it, byte for byte.
                body = current.texts[id].map { Data(VCardPatch.write(card, over: $0, read: old).utf8) }
                match = m
            }
            let sent = body ?? CardMapping.body(card)
            let r = try await session.put(paths.url(id), sent, type: DAVFlavor.card.contentType, condition: ("If-Match", match))
            switch r.status {
            case 200..<300:
                let text = String(decoding: sent, as: UTF8.self)
                return .updated(r.header("ETag").map { DAVVersion(etag: $0, card: card, text: text).remote })
            case 412 where known?.plain != nil:
                // Written without reading first: 412 is an edit made since, or no card at all.
                return try await multiget([id]).gone.isEmpty ? .conflict : .notFound
            case 412: return .conflict
            case 404: return .notFound
            default: return DAVSession.refused(id, r, "update")
            }
        case .delete(let id, let expected):
            let r = try await session.delete(paths.url(id), ifMatch: expected.map { DAVVersion($0).etag })
            switch r.status {
            case 200..<300: return .deleted
            case 404, 410: return .notFound
            case 412: return .conflict
            default: return DAVSession.refused(id, r, "delete")
            }
        }
    }

}
