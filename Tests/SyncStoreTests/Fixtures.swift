import Foundation
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncStoreSQLite
import Testing
import TestSupport

/// Every `SyncStore` implementation the conformance suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqliteInMemory, sqliteFile, postgres

    var testDescription: String { rawValue }

    /// The stores that implement `WebStateStore` (PostgresStore does not yet: a server on
    /// PostgreSQL keeps its sessions in memory, see HubApp.webState).
    static var keepingWebState: [StoreKind] { allCases.filter { $0 != .postgres } }

    /// Runs `body` against a fresh, empty store; a file store's files are removed afterwards.
    func with(_ body: (any SyncStore) throws -> Void) throws {
        switch self {
        case .memory: try body(MemoryStore())
        case .sqliteInMemory: try body(SQLiteStore.inMemory())
        case .sqliteFile:
            try TempDir.with { dir in try body(SQLiteStore(path: dir.appending(path: "hub.sqlite").path)) }
        case .postgres:
            // A fresh database of the process's throwaway cluster.
            try OutsideTools.require(.postgresql)
            try body(PostgresStore(PostgresURL(PostgresCluster.running().newDatabase())))
        }
    }
}

extension StoreKind {
    /// Runs `body` against a fresh, empty store with the sample items of `object`'s kind: the
    /// item-bearing conformance tests run once per store and per kind, from one generic body.
    func with(_ object: ObjectKind, _ body: (any SyncStore, any SampleItem.Type) throws -> Void) throws {
        let samples: any SampleItem.Type = switch object {
        case .contacts: Contact.self
        case .calendar: Event.self
        }
        try with { try body($0, samples) }
    }
}

/// What the conformance suite needs of an item kind: a few items to store.
protocol SampleItem: StoredItem {
    /// A small item; different names give different content.
    static func sample(_ name: String) -> Self
    /// Every field the kind has, set.
    static var full: Self { get }
    /// The emptiest item of the kind.
    static var blank: Self { get }
    /// At least five distinct fields (conflicts, field times).
    static var someFields: [Field] { get }
}

extension Contact: SampleItem {
    static func sample(_ name: String) -> Contact { person(name) }
    static var full: Contact { fullContact }
    static var blank: Contact { Contact() }
    static var someFields: [ContactField] { [.text(.givenName), .emails, .birthday, .custom("Region"), .photo] }
}

extension Event: SampleItem {
    static func sample(_ name: String) -> Event {
        Event(uid: "\(name)@example.com", master: EventFields(start: EventFixtures.at(2026, 3, 2), summary: name))
    }
    static var full: Event { EventFixtures.everything }
    static var blank: Event { Event(uid: "", master: nil) }
    static var someFields: [EventField] { [.summary, .start, .attendees, .overrides, .rule] }
}

/// The records of one kind, built from its samples: `Kit<Contact>` builds what `item`, `link`
/// and `batch` below do for contacts.
struct Kit<I: SampleItem> {
    func sample(_ name: String) -> I { I.sample(name) }

    /// A hub of `I`'s kind with two spokes.
    @discardableResult
    func makeHub(_ s: any SyncStore, _ id: HubID = hubA, spokes: [SpokeID] = [spoke1, spoke2]) throws -> HubConfig {
        let hub = HubConfig(id: id, name: "Hub \(id)", objectKind: I.objectKind)
        try s.saveHub(hub)
        for (n, spoke) in spokes.enumerated() {
            try s.saveSpoke(SpokeConfig(id: spoke, hub: id, name: "Spoke \(spoke)", kind: .memory, position: n))
        }
        return hub
    }

    func item(_ id: String, v: Int64, deleted: Bool = false, _ value: I? = nil, at t: Double = 0) -> HubRecord<I> {
        HubRecord(id: ItemID(id), item: value ?? sample(id), version: v, deleted: deleted, modifiedAt: at(t))
    }

    func link(
        _ spoke: SpokeID, _ item: String, _ remote: String, seen: Int64 = 1, version: String? = "etag-1"
    ) -> ItemLink<I> {
        ItemLink(
            spoke: spoke, item: ItemID(item), remoteID: RemoteID(remote), remoteVersion: version.map { RemoteVersion($0) },
            base: sample(item), hubVersionSeen: seen, createdByHub: false)
    }

    func intent(_ spoke: SpokeID, _ item: ItemID, _ t: Double, base: I? = nil, hub: HubID = hubA) -> ItemCreateIntent<I> {
        ItemCreateIntent(spoke: spoke, item: item, marker: CreateMarker(hub: hub, item: item),
                         base: base ?? sample(item.rawValue), startedAt: at(t))
    }

    func entry(
        _ item: ItemID, hub: HubID = hubA, run: RunID?, _ source: JournalSource, _ kind: JournalKind, t: Double,
        old: I?, new: I?, conflicts: [I.Field] = []
    ) -> ItemJournalEntry<I> {
        ItemJournalEntry(hub: hub, run: run, item: item, source: source, at: at(t), kind: kind, old: old, new: new,
                         conflicts: conflicts)
    }

    func batch(_ build: (inout ItemWriteBatch<I>) -> Void) -> ItemWriteBatch<I> {
        var b = ItemWriteBatch<I>()
        build(&b)
        return b
    }
}

enum TempDir {
    static func with<T>(_ body: (URL) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appending(path: "syncstore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try body(dir)
    }
}

let hubA: HubID = "hub-a"
let hubB: HubID = "hub-b"
let spoke1: SpokeID = "spoke-1"
let spoke2: SpokeID = "spoke-2"

/// Dates with sub-millisecond parts, so a lossy date encoding shows up.
func at(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: 750_000_000.123_456_7 + seconds) }

func person(_ name: String) -> Contact {
    Contact(
        givenName: name, familyName: "Tester", emails: [LabeledValue("\(name.lowercased())@example.com", label: .work)])
}

/// A contact with every field set.
let fullContact = Contact(
    namePrefix: "Dr.", givenName: "Ada", middleName: "K.", familyName: "Lovelace", nameSuffix: "PhD",
    nickname: "Countess", displayName: "Ada Lovelace", organization: "Analytical", department: "Engines",
    title: "Programmer", birthday: PartialDate(year: 1815, month: 12, day: 10),
    anniversary: PartialDate(year: nil, month: 7, day: 8), notes: "Line 1\nLine 2 ünïcødé 🚀",
    emails: [LabeledValue("ada@example.com", label: .work), LabeledValue("ada@home.example", label: .home)],
    phones: [LabeledValue("+441234567", label: .mobile)],
    addresses: [
        PostalAddress(label: .home, street: "1 St James's Sq", city: "London", postalCode: "SW1", country: "UK")
    ],
    websites: [LabeledValue("https://example.com", label: .other)], ims: [LabeledValue("ada@xmpp", label: .other)],
    categories: ["VIP", "Math"], photo: Photo(data: Data([0, 1, 2, 255]), mediaType: "image/png"),
    custom: ["Region": "EMEA", "Tier": "1"])

// The contact spellings, for the tests of what has no kind (configuration, runs, holds) and of
// SQLite's specifics.
func item(_ id: String, v: Int64, deleted: Bool = false, contact: Contact? = nil, at t: Double = 0) -> HubItem {
    Kit<Contact>().item(id, v: v, deleted: deleted, contact, at: t)
}

func link(_ spoke: SpokeID, _ item: String, _ remote: String, seen: Int64 = 1, version: String? = "etag-1") -> Link {
    Kit<Contact>().link(spoke, item, remote, seen: seen, version: version)
}

func batch(_ build: (inout WriteBatch) -> Void) -> WriteBatch { Kit<Contact>().batch(build) }

@discardableResult
func makeHub(_ s: any SyncStore, _ id: HubID = hubA, spokes: [SpokeID] = [spoke1, spoke2]) throws -> HubConfig {
    try Kit<Contact>().makeHub(s, id, spokes: spokes)
}

/// Expects `body` to throw a `StoreError` of `kind`.
func expectStoreError(
    _ kind: StoreError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected StoreError \(kind), nothing was thrown", sourceLocation: sourceLocation)
    } catch let e as StoreError {
        #expect(e.kind == kind, "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected StoreError \(kind), got \(error)", sourceLocation: sourceLocation)
    }
}
