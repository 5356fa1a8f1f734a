import Foundation

/// A stable 64-bit content hash (FNV-1a over a canonical encoding). Stable across runs and
/// machines, so it can be stored and compared later. Order of multi-valued entries is ignored:
/// a source that reorders emails has not changed the contact.
public struct ContentHash: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
    /// FNV-1a of raw bytes (a file, a photo), for versions that must stay the same across runs.
    public init(hashing bytes: some Sequence<UInt8>) {
        var h = FNV1a()
        h.add(bytes)
        value = h.state
    }
    public init?(hex: String) {
        guard let v = UInt64(hex, radix: 16) else { return nil }
        value = v
    }
}

struct FNV1a {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes {
            state ^= UInt64(b)
            state = state &* 0x0000_0100_0000_01b3
        }
    }
    /// A field: its tag, its bytes, a terminator that cannot occur in UTF-8.
    mutating func field(_ tag: UInt8, _ text: String) {
        add(CollectionOfOne(tag))
        add(text.utf8)
        add(CollectionOfOne(0xFF))
    }
}

extension Contact {
    /// The hash of the normalised contact.
    public var contentHash: ContentHash { normalized().rawContentHash }

    /// The hash of this contact as it is; call on a contact already normalised.
    public var rawContentHash: ContentHash { ContactSchema.schema.hash(self) }

    static func hashed(_ v: LabeledValue) -> String {
        "\(v.label.rawValue)\u{1F}\(v.value)" + details(v.customLabel, v.preferred, v.service)
    }

    /// Label details hash only when there are some: an entry without them hashes as it did
    /// before they existed, so stored hashes stay valid and an upgrade changes nothing.
    static func details(_ custom: String?, _ preferred: Bool, _ service: String?) -> String {
        guard custom != nil || preferred || service != nil else { return "" }
        return "\u{1E}\(custom ?? "")\u{1F}\(preferred ? "1" : "0")\u{1F}\(service ?? "")"
    }
}
