import SyncModel

/// A contact's version as the hub keeps it: the ChangeKey (what EWS checks on update), plus the
/// photo the item holds (a hash of its bytes and the attachment id), so an update sends the photo
/// only when it changed and knows which attachment to replace, without reading the item first.
struct EWSVersion: Hashable, Sendable {
    var changeKey: String
    var photo: PhotoRef?

    struct PhotoRef: Hashable, Sendable {
        var hash: String
        var attachment: String
    }

    private static let separator: Character = "\u{1F}"

    init(changeKey: String, photo: PhotoRef? = nil) {
        self.changeKey = changeKey
        self.photo = photo
    }

    init(_ version: RemoteVersion) {
        let parts = version.rawValue.split(separator: Self.separator, omittingEmptySubsequences: false).map(String.init)
        changeKey = parts[0]
        photo = parts.count == 3 ? PhotoRef(hash: parts[1], attachment: parts[2]) : nil
    }

    var remote: RemoteVersion {
        RemoteVersion(photo.map { "\(changeKey)\(Self.separator)\($0.hash)\(Self.separator)\($0.attachment)" } ?? changeKey)
    }

    /// Stable across runs, and enough to tell one photo from another.
    static func hash(_ photo: Photo) -> String {
        String(ContentHash(hashing: photo.data).value, radix: 16)
    }
}
