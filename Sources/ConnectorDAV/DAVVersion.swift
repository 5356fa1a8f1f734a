import ConnectorKit
import PIMFormats
import SyncModel

/// A card's version as the spoke hands it to the engine: its ETag and, when the card holds
/// nothing the hub does not map (no unknown properties, no custom fields) and reads as the hub
/// would write it, its vCard version and UID. With those an update can be written whole without
/// reading the card first: the If-Match on the ETag still guards against an edit made since. A
/// card written another way is read first, so its untouched lines keep their bytes.
struct DAVVersion: Hashable {
    var etag: String
    var plain: (version: VCardVersion, uid: String)?

    private static let separator: Character = "\u{1F}"

    /// `text`: the card's text as read or sent; nil when it is `VCardWriter`'s own.
    init(etag: String, card: VCard?, text: String? = nil) {
        self.etag = etag
        // The rewrite-and-compare last: it is the dear check (a tenth of a first pull's time).
        if let card, card.unknown.isEmpty, card.contact.custom.isEmpty, card.marker == nil, let uid = card.uid,
            !uid.contains(Self.separator), text.map({ VCardPatch.isCanonical($0, card) }) ?? true
        {
            plain = (card.version, uid)
        }
    }

    init(_ v: RemoteVersion) {
        let parts = v.rawValue.split(separator: Self.separator, maxSplits: 2, omittingEmptySubsequences: false)
        etag = String(parts[0])
        if parts.count == 3, let version = VCardVersion(rawValue: String(parts[1])) {
            plain = (version, String(parts[2]))
        }
    }

    var remote: RemoteVersion {
        guard let plain else { return RemoteVersion(etag) }
        return RemoteVersion([etag, plain.version.rawValue, plain.uid].joined(separator: String(Self.separator)))
    }

    static func == (a: DAVVersion, b: DAVVersion) -> Bool { a.remote == b.remote }
    func hash(into h: inout Hasher) { h.combine(remote) }
}
