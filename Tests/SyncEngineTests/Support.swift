import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport

/// Small helpers shared by the engine feature tests. Contacts are looked up by given name, which
/// every test keeps unique.

/// Every engine feature test runs on each store: the reference in-memory one and SQLite.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite
    func make() throws -> any SyncStore {
        switch self {
        case .memory: MemoryStore()
        case .sqlite: try SQLiteStore.inMemory()
        }
    }
    var testDescription: String { rawValue }
}

func person(
    _ given: String, _ family: String = "Test", email: String? = nil, phone: String? = nil, org: String? = nil,
    title: String? = nil, categories: [String] = [], custom: [String: String] = [:]
) -> Contact {
    Contact(
        givenName: given, familyName: family, organization: org, title: title,
        emails: email.map { [LabeledValue($0, label: .work)] } ?? [],
        phones: phone.map { [LabeledValue($0, label: .mobile)] } ?? [],
        categories: categories, custom: custom)
}

extension Harness {
    /// Every journal entry of the hub, newest first.
    func journal() throws -> [JournalEntry] { try store.journal(hub: hub, JournalQuery(limit: 100_000)) }

    func liveItem(_ given: String) throws -> HubItem? {
        try store.liveItems(hub: hub).first { $0.contact.givenName == given }
    }

    /// Any item, tombstones included.
    func anyItem(_ given: String) throws -> HubItem? {
        try store.items(hub: hub, changedAfter: 0, limit: Int.max).first { $0.contact.givenName == given }
    }

    func hubNames() throws -> Set<String> { Set(try hubContacts().compactMap(\.givenName)) }

    func state(_ spoke: Int) throws -> SpokeState { try store.spokeState(hub: hub, spoke: configs[spoke].id) }

    /// Stats of spoke `i` in `run` (zero when the spoke did nothing).
    func stats(_ run: RunRecord, _ i: Int) -> SpokeRunStats { run.stats[configs[i].id] ?? SpokeRunStats() }

    /// The hub and every two-way spoke hold the same contacts (hub terms, no mapping in play).
    func expectConverged(spokes indices: [Int], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let hub = Harness.sorted(try hubContacts())
        for i in indices {
            #expect(Harness.sorted(spokes[i].contacts) == hub, "spoke \(i) differs from the hub",
                    sourceLocation: sourceLocation)
        }
    }
}

extension MemorySpoke {
    var names: Set<String> { Set(contacts.compactMap(\.givenName)) }

    func id(_ given: String) -> RemoteID? { entries.first { $0.value.contact.givenName == given }?.key }

    func contact(_ given: String) -> Contact? { entries.values.first { $0.contact.givenName == given }?.contact }

    /// A person edits the contact named `given` in this source.
    func edit(_ given: String, sourceLocation: SourceLocation = #_sourceLocation, _ change: (inout Contact) -> Void) {
        guard let id = id(given), var c = entries[id]?.contact else {
            Issue.record("no \(given) in \(name)", sourceLocation: sourceLocation)
            return
        }
        change(&c)
        userUpsert(c, id: id)
    }

    /// A person deletes the contact named `given` in this source.
    func delete(_ given: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let id = id(given) else {
            Issue.record("no \(given) in \(name)", sourceLocation: sourceLocation)
            return
        }
        userDelete(id)
    }

    /// Records every write op the engine sends from now on (replaces any hook).
    func recordWrites() -> Shared<[WriteOp]> {
        let log = Shared<[WriteOp]>([])
        setHook { op, phase in
            if phase == .before, case .write(let w) = op { log.withLock { $0.append(w) } }
        }
        return log
    }
}

extension Shared where Value == [WriteOp] {
    var all: [WriteOp] { withLock { $0 } }
    func reset() { withLock { $0 = [] } }
    var creates: Int { all.count { if case .create = $0 { true } else { false } } }
    var updates: Int { all.count { if case .update = $0 { true } else { false } } }
    var deletes: Int { all.count { if case .delete = $0 { true } else { false } } }
}
