/// A typed identifier: the tag keeps a hub id from being passed where a spoke id belongs.
public struct Identifier<Tag>: Hashable, Sendable, Codable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// A readable id from a name: "Sales contacts" → "sales-contacts" (CLI and web UI alike).
    public init(slugOf name: String) {
        let lowered = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let s = String(lowered).split(separator: "-").joined(separator: "-")
        self.init(s.isEmpty ? "x" : s)
    }
}

public enum HubTag {}
public enum SpokeTag {}
public enum ItemTag {}
public enum RemoteTag {}
public enum RunTag {}

public typealias HubID = Identifier<HubTag>
public typealias SpokeID = Identifier<SpokeTag>
/// A canonical item in a hub.
public typealias ItemID = Identifier<ItemTag>
/// An item's id inside one spoke (EWS ItemId, People resourceName, CardDAV href, ...).
public typealias RemoteID = Identifier<RemoteTag>
/// One sync pass.
public typealias RunID = Identifier<RunTag>

public enum VersionTag {}
public enum CursorTag {}
/// The remote's concurrency token (ChangeKey, etag, ...): opaque to the engine.
public typealias RemoteVersion = Identifier<VersionTag>
/// The opaque incremental-sync cursor of a spoke (SyncState, syncToken, sync-token, deltaLink).
public typealias SpokeCursor = Identifier<CursorTag>

/// The mark the hub leaves on items it creates in a spoke, so a create is idempotent and its echo
/// is recognised: `hubsync:<hub>:<item>`.
public struct CreateMarker: Hashable, Sendable, Codable, CustomStringConvertible {
    public let hub: HubID
    public let item: ItemID
    public init(hub: HubID, item: ItemID) { self.hub = hub; self.item = item }
    public var description: String { "hubsync:\(hub.rawValue):\(item.rawValue)" }
    /// The marker as a file or resource name (`hubsync_h1_x1.vcf`): spokes that name what they
    /// store name the hub's own items after it, so a create retried after a crash lands on the
    /// item it made the first time.
    public var resourceName: String { resourceName(for: .contacts) }
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "hubsync", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        hub = HubID(String(parts[1]))
        item = ItemID(String(parts[2]))
    }
}
