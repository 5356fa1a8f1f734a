import Foundation

/// What a hub holds: one kind of item, chosen when the hub is created.
public enum ObjectKind: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case contacts, calendar

    /// The extension of one item stored as a file or resource (vCard, iCalendar).
    public var fileExtension: String {
        switch self {
        case .contacts: "vcf"
        case .calendar: "ics"
        }
    }

    public var description: String { rawValue }
}

/// An item type a hub can hold: what the engine needs beyond the field schema, at the level of
/// the whole item (its kind, its identity across sources, its canonical form and content hash).
/// The engine is written once over this; contacts and events conform.
public protocol KindedItem: SyncItem where Field: Codable {
    static var objectKind: ObjectKind { get }
    /// The identity sources share for one item (vCard UID, iCalendar UID); nil when none.
    var identity: String? { get }
    /// The canonical form every stored and compared item is in.
    func canonical() -> Self
    /// A stable hash of the content as it is (call on a canonical item; order of set-like
    /// entries ignored): equal hashes mean nothing to sync.
    var itemHash: ContentHash { get }
}

extension Contact: KindedItem {
    public static var objectKind: ObjectKind { .contacts }
    public var identity: String? { uid }
    public func canonical() -> Contact { normalized() }
    public var itemHash: ContentHash { rawContentHash }
}

extension Event: KindedItem {
    public static var objectKind: ObjectKind { .calendar }
    public var identity: String? { uid.isEmpty ? nil : uid }
    public func canonical() -> Event { normalized() }
    public var itemHash: ContentHash { rawContentHash }
}

extension CreateMarker {
    /// The marker as the name of a stored item of `kind` (`hubsync_h1_x1.ics`).
    public func resourceName(for kind: ObjectKind) -> String {
        String(description.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }) + "." + kind.fileExtension
    }
}
