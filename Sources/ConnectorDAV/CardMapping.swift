import Foundation
import ConnectorKit
import PIMFormats
import SyncModel

/// Pure mapping between what a CardDAV server holds and the spoke's items.
enum CardMapping {
    static func item(_ id: RemoteID, etag: String?, card: VCard, text: String?) -> RemoteItem {
        RemoteItem(
            id: id, version: etag.map { DAVVersion(etag: $0, card: card, text: text).remote }, contact: card.identifiedContact,
            modifiedAt: card.revision.flatMap(revisionDate), marker: card.createMarker)
    }

    /// Group cards (vCard 4 `KIND:group`, Apple's `X-ADDRESSBOOKSERVER-KIND:group`) list
    /// members; they are not people and must not reach other address books as empty contacts.
    static func isGroup(_ card: VCard) -> Bool {
        card.unknown.contains { p in
            (p.name == "KIND" || p.name == "X-ADDRESSBOOKSERVER-KIND") && p.value.lowercased() == "group"
        }
    }

    static func parse(_ id: RemoteID, _ text: String) -> Result<VCard, ItemError> {
        do {
            return .success(try VCardParser.parse(text))
        } catch {
            return .failure(ItemError(remoteID: id, message: "unreadable vCard: \(error)"))
        }
    }

    /// The card the hub creates: under the item's first-seen UID, or the create marker (which
    /// names the resource either way).
    static func newCard(_ contact: Contact, marker: CreateMarker, version: VCardVersion) -> Data {
        Data(VCardWriter.write(VCard.created(contact, marker: marker, version: version)).utf8)
    }

    static func body(_ card: VCard) -> Data { Data(VCardWriter.write(card).utf8) }

    /// REV as servers and clients write it: `20261125T143000Z`, `2026-11-25T14:30:00Z`, with or
    /// without fractions; a date alone is not precise enough to order edits, so it is ignored.
    static func revisionDate(_ rev: String) -> Date? {
        guard rev.hasSuffix("Z") else { return nil }
        let d = Array(rev.unicodeScalars.filter { ("0"..."9").contains($0) }.map { Int($0.value) - 48 })
        guard d.count >= 14 else { return nil }
        func n(_ i: Int, _ len: Int) -> Int { d[i..<i + len].reduce(0) { $0 * 10 + $1 } }
        let c = DateComponents(
            year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2), second: n(12, 2))
        return utc.date(from: c)
    }

    private static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}
