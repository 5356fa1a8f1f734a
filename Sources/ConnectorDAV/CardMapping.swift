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

    /// A card as the server sent it: the card, read without the lines that could not be (each
    /// reported with the card's href, the server and the line, as the folder spoke does for
    /// files), or why the card cannot be read at all (an error of that item only).
    static func parse(_ id: RemoteID, _ text: String, on server: String) -> (card: Result<VCard, ItemError>, skipped: [ItemError]) {
        let card = "the card \(id.rawValue) on \(server)"
        // (An item's error is shown after its href already.)
        let unreadable = "the card on \(server) cannot be read"
        let parsed = VCardParser.read(data: Data(text.utf8))
        if case .failure(let e)? = parsed.first(where: { if case .failure = $0.result { true } else { false } })?.result {
            return (.failure(ItemError(remoteID: id, message: "\(unreadable): \(e.description)")), [])
        }
        guard parsed.count == 1, let one = parsed.first else {
            let why = parsed.isEmpty ? "holds no vCard" : "holds \(parsed.count) vCards where one was expected"
            return (.failure(ItemError(remoteID: id, message: "the card on \(server) \(why)")), [])
        }
        switch one.result {
        case .success(let c):
            // (Reported without the id: the card itself synced.)
            let skipped = one.skipped.map { ItemError(remoteID: nil, message: "\(card): \($0.error.description) (line skipped)") }
            return (.success(c), skipped)
        case .failure(let e):
            return (.failure(ItemError(remoteID: id, message: "\(unreadable): \(e.description)")), [])
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
