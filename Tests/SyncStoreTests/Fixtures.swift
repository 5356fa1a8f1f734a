import Foundation
import SyncModel
import SyncStore
import SyncStoreSQLite
import Testing

/// Every `SyncStore` implementation the conformance suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqliteInMemory, sqliteFile

    var testDescription: String { rawValue }

    /// Runs `body` against a fresh, empty store; a file store's files are removed afterwards.
    func with(_ body: (any SyncStore) throws -> Void) throws {
        switch self {
        case .memory: try body(MemoryStore())
        case .sqliteInMemory: try body(SQLiteStore.inMemory())
        case .sqliteFile:
            try TempDir.with { dir in try body(SQLiteStore(path: dir.appending(path: "hub.sqlite").path)) }
        }
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

func item(_ id: String, v: Int64, deleted: Bool = false, contact: Contact? = nil, at t: Double = 0) -> HubItem {
    HubItem(id: ItemID(id), contact: contact ?? person(id), version: v, deleted: deleted, modifiedAt: at(t))
}

func link(_ spoke: SpokeID, _ item: String, _ remote: String, seen: Int64 = 1, version: String? = "etag-1") -> Link {
    Link(
        spoke: spoke, item: ItemID(item), remoteID: RemoteID(remote), remoteVersion: version.map { RemoteVersion($0) },
        base: person(item), hubVersionSeen: seen, createdByHub: false)
}

func batch(_ build: (inout WriteBatch) -> Void) -> WriteBatch {
    var b = WriteBatch()
    build(&b)
    return b
}

@discardableResult
func makeHub(_ s: any SyncStore, _ id: HubID = hubA, spokes: [SpokeID] = [spoke1, spoke2]) throws -> HubConfig {
    let hub = HubConfig(id: id, name: "Hub \(id)")
    try s.saveHub(hub)
    for (n, spoke) in spokes.enumerated() {
        try s.saveSpoke(SpokeConfig(id: spoke, hub: id, name: "Spoke \(spoke)", kind: .memory, position: n))
    }
    return hub
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
