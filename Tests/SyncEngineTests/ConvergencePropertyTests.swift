import Foundation
import Synchronization
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import SyncCore
import SyncStoreSQLite
import TestSupport

/// Model-based property test: random creates, edits and deletes on three two-way spokes, syncs
/// that crash at random points (store commits, before and after remote writes) or hit transient
/// errors, and expired cursors. At every quiet point the system must have converged: every spoke
/// equal to the hub, no duplicate, nothing created lost, and each field holding what its last
/// editors wrote.
@Suite struct ConvergencePropertyTests {
    /// HUBSYNC_SEED=n replays one seed (with HUBSYNC_TRACE=1 to print what happened).
    static let seeds: [UInt64] = ProcessInfo.processInfo.environment["HUBSYNC_SEED"].flatMap { UInt64($0) }.map { [$0] }
        ?? [1, 2, 3, 4, 5, 6]

    @Test(arguments: seeds)
    func convergesUnderCrashes(seed: UInt64) async throws {
        var model = try Model<Contact>(seed: seed, store: MemoryStore())
        try await model.run(steps: 1000)
        #expect(model.convergedChecks >= 20)
        #expect(model.crashes > 10)
        #expect(model.glitches > 0 && model.rejected > 0)
    }

    /// With a spoke that tags what the hub writes there ("Categorize data in spoke"): the tag
    /// never leaks into the hub or the other spokes, whatever crashes in between.
    @Test(arguments: seeds.map { $0 + 200 })
    func convergesWithACategorizingSpoke(seed: UInt64) async throws {
        var model = try Model<Contact>(
            seed: seed, store: MemoryStore(), options: [.init(), .init(categorizeAs: "HubSync"), .init()])
        try await model.run(steps: 400)
        #expect(model.convergedChecks >= 8)
        #expect(try model.harness.hubContacts().allSatisfy { $0.categories.isEmpty })
        // What the hub wrote there carries the tag; what people made there carries none until
        // the hub writes it.
        let entries = model.harness.spokes[1].entries.values
        #expect(entries.allSatisfy { $0.contact.categories == ["HubSync"] || $0.contact.categories.isEmpty })
        #expect(entries.filter { $0.marker != nil }.allSatisfy { $0.contact.categories == ["HubSync"] })
        #expect(entries.contains { $0.marker != nil })
    }

    /// With a spoke that only takes contacts with an email: removing an item's last email takes
    /// it out of that spoke (if the hub put it there) and nowhere else, across crashes.
    @Test(arguments: seeds.map { $0 + 300 })
    func convergesWithAFilteredSpoke(seed: UInt64) async throws {
        var model = try Model<Contact>(
            seed: seed, store: MemoryStore(),
            options: [.init(), .init(filter: SpokeFilter(requireEmail: true)), .init()])
        try await model.run(steps: 400)
        #expect(model.convergedChecks >= 8)
        #expect(model.leftTheFilter > 0)
    }

    /// The same on the SQLite store: its transactions, not the memory store's, must make every
    /// crash point safe.
    @Test(arguments: seeds.map { $0 + 100 })
    func convergesUnderCrashesOnSQLite(seed: UInt64) async throws {
        var model = try Model<Contact>(seed: seed, store: SQLiteStore.inMemory())
        try await model.run(steps: 400)
        #expect(model.convergedChecks >= 8)
        #expect(model.crashes > 4)
    }

    /// The same model over calendar events, through the same engine: series whose title, place,
    /// notes and one moved instance's title are edited, attendees added, removed and rewritten.
    @Test(arguments: seeds.map { $0 + 400 })
    func eventsConvergeUnderCrashes(seed: UInt64) async throws {
        var model = try Model<Event>(seed: seed, store: MemoryStore())
        try await model.run(steps: 400)
        #expect(model.convergedChecks >= 8)
        #expect(model.crashes > 4)
        #expect(model.glitches > 0)
    }

    @Test(arguments: seeds.prefix(3).map { $0 + 500 })
    func eventsConvergeUnderCrashesOnSQLite(seed: UInt64) async throws {
        var model = try Model<Event>(seed: seed, store: SQLiteStore.inMemory())
        try await model.run(steps: 240)
        #expect(model.convergedChecks >= 5)
        #expect(model.crashes > 2)
    }
}

private let modelTracing = ProcessInfo.processInfo.environment["HUBSYNC_TRACE"] != nil

struct Model<Item: PropertyItem> {
    var rng: SeededRandom
    let harness: ItemHarness<Item>
    let crashing: CrashingStore
    let faults: Shared<SeededRandom>
    let faultRate = Shared(0.0)
    var nextToken = 0
    var nextValue = 0
    var crashes = 0
    /// Edits that removed an item's last email (taking it out of an email filter).
    var leftTheFilter = 0
    /// Listings that came back empty once, and the holds they made that an admin rejected.
    var glitches = 0
    var rejected = 0
    var convergedChecks = 0
    /// Tokens ever created, and those deleted by someone.
    var created = Set<String>()
    var epoch = Epoch()
    /// Field values at the last convergence, per token.
    var settled: [String: Item] = [:]
    /// What happened, for the failure message.
    var trace: [String] = []

    struct Epoch {
        var textEdits: [String: [String: [Int: String]]] = [:]  // token → field → spoke → last value
        var textAll: [String: [String: Set<String>]] = [:]  // every value written in the epoch
        var emailsAdded: [String: [String: Int]] = [:]  // token → email (by key: lower-cased) → spoke
        var emailsRemoved: [String: [String: Int]] = [:]
        /// Emails (by key) whose display form someone edited: an edit, which beats a removal.
        var emailsReformatted: [String: Set<String>] = [:]
        var deletedBy: [String: Set<Int>] = [:]
        var editedBy: [String: Set<Int>] = [:]
        var created = Set<String>()
        /// Deleted in a spoke while the hub's create there was unconfirmed.
        var ambiguous = Set<String>()
        /// Edited in a spoke that had deleted it earlier in the epoch (so another spoke's edit
        /// brought it back there): a later edit, which beats the deletes.
        var editedAfterDelete = Set<String>()
    }

    mutating func noteEdit(_ t: String, on spoke: Int) {
        epoch.editedBy[t, default: []].insert(spoke)
        if epoch.deletedBy[t]?.contains(spoke) == true { epoch.editedAfterDelete.insert(t) }
    }

    init(seed: UInt64, store: any SyncStore, options: [SpokeOptions] = [.init(), .init(), .init()]) throws {
        rng = SeededRandom(seed: seed)
        faults = Shared(SeededRandom(seed: seed &* 7919))
        crashing = CrashingStore(store)
        // Every deletion a spoke reports goes through, but a listing with nothing in it is held:
        // the glitch steps make such listings, and holds left at a quiet point were real
        // deletions, which the admin confirms.
        harness = try ItemHarness(
            store: crashing, spokeOptions: options,
            deletionGuard: DeletionGuard(percent: 100, minimum: 1), batchSize: 4)
        let faults = self.faults, rate = self.faultRate
        crashing.setCrashes {
            let p = rate.withLock { $0 }
            return faults.withLock { r in
                guard r.chance(p) else { return .none }
                return r.chance(0.5) ? .beforeCommit : .afterCommit
            }
        }
        for spoke in harness.spokes {
            spoke.setHook { _, _ in
                let p = rate.withLock { $0 }
                try faults.withLock { r in
                    if r.chance(p) { throw r.chance(0.7) ? Crash() as any Error : ConnectorError(.unavailable, "flaky") }
                }
            }
        }
    }

    func token(_ c: Item) -> String { c.token }

    static var tracing: Bool { modelTracing }

    /// Traced live to stderr (interleaved with the engine's debug log) when HUBSYNC_TRACE is set.
    mutating func note(_ line: String) {
        if Self.tracing { FileHandle.standardError.write(Data("# \(line)\n".utf8)) }
        trace.append(line)
    }

    func createPending(token t: String, spoke: Int) throws -> Bool {
        let intents = try harness.store.intents(Item.self, hub: harness.hub, spoke: harness.configs[spoke].id)
        let items = try harness.store.items(Item.self, hub: harness.hub, ids: intents.map(\.item))
        return items.values.contains { token($0.item) == t }
    }

    mutating func value() -> String {
        nextValue += 1
        return "v\(nextValue)"
    }

    mutating func run(steps: Int) async throws {
        for step in 1...steps {
            let spoke = Int.random(in: 0..<3, using: &rng)
            let s = harness.spokes[spoke]
            let entries = s.entries.sorted { $0.key < $1.key }
            let roll = Int.random(in: 0..<100, using: &rng)
            switch roll {
            case 0..<15:
                nextToken += 1
                let t = "t\(nextToken)"
                created.insert(t)
                epoch.created.insert(t)
                let first = value(), second = value()
                let c = Item.make(token: t, first, second)
                epoch.textAll[t] = [:]
                for f in Item.editable { if let v = c[keyPath: f.path] { epoch.textAll[t]![f.name] = [v] } }
                let id = s.userUpsert(c)
                note("create \(t) on \(spoke) as \(id)")
            case 15..<55 where !entries.isEmpty:
                let (id, e) = entries.randomElement(using: &rng)!
                var c = e.item
                let t = token(c)
                let f = Item.editable.randomElement(using: &rng)!
                let v = value()
                c[keyPath: f.path] = v
                epoch.textEdits[t, default: [:]][f.name, default: [:]][spoke] = v
                epoch.textAll[t, default: [:]][f.name, default: []].insert(v)
                noteEdit(t, on: spoke)
                s.userUpsert(c, id: id)
                note("edit \(t).\(f)=\(v) on \(spoke)")
            case 55..<65 where !entries.isEmpty:
                let (id, e) = entries.randomElement(using: &rng)!
                var c = e.item
                let t = token(c)
                let mail = Item.entry(value(), token: t)
                c.add(mail)
                epoch.emailsAdded[t, default: [:]][Item.key(mail)] = spoke
                noteEdit(t, on: spoke)
                s.userUpsert(c, id: id)
                note("add email \(t) \(mail) on \(spoke)")
            case 65..<72 where !entries.isEmpty:
                let (id, e) = entries.randomElement(using: &rng)!
                var c = e.item
                guard let victim = c.entries.randomElement(using: &rng) else { break }
                let t = token(c)
                c.remove(victim)
                if c.entries.isEmpty { leftTheFilter += 1 }
                epoch.emailsRemoved[t, default: [:]][Item.key(victim)] = spoke
                noteEdit(t, on: spoke)
                s.userUpsert(c, id: id)
                note("remove email \(t) \(victim) on \(spoke)")
            case 72..<77 where !entries.isEmpty:
                let (id, e) = entries.randomElement(using: &rng)!
                let t = token(e.item)
                epoch.deletedBy[t, default: []].insert(spoke)
                // A crash left the hub's create of this item unconfirmed: the spoke keeps no
                // trace of the delete, so the hub cannot tell it from a create that never landed
                // and makes it again. Either outcome loses nothing.
                if try createPending(token: t, spoke: spoke) { epoch.ambiguous.insert(t) }
                s.userDelete(id)
                note("delete \(t) on \(spoke) (\(id))")
            case 77..<79:
                s.expireCursors()
                note("expire \(spoke)")
            case 79..<92:
                try await syncWithFaults()
            case 92..<96 where !entries.isEmpty:
                // A display-form edit: the same address, written differently.
                let (id, e) = entries.randomElement(using: &rng)!
                var c = e.item
                guard let i = c.entries.indices.randomElement(using: &rng) else { break }
                let t = token(c)
                if Bool.random(using: &rng) {
                    // A label-detail edit (a contact's custom label or preferred flag, an
                    // attendee's name): an edit of the value, which beats a removal elsewhere.
                    guard c.relabel(i, using: &rng) else { break }
                    epoch.emailsReformatted[t, default: []].insert(Item.key(c.entries[i]))
                    noteEdit(t, on: spoke)
                    s.userUpsert(c, id: id)
                    note("label details \(t) \(c.entries[i]) on \(spoke)")
                    break
                }
                guard let (old, new) = c.reformat(i, using: &rng) else { break }
                epoch.emailsReformatted[t, default: []].insert(Item.key(old))
                noteEdit(t, on: spoke)
                s.userUpsert(c, id: id)
                note("reformat email \(t) \(old) → \(new) on \(spoke)")
            case 96..<100:
                try await glitch(spoke, reject: roll < 98)
            default:
                break
            }
            if step % 40 == 0 { try await converge(step: step) }
        }
        try await converge(step: steps)
    }

    mutating func syncWithFaults() async throws {
        faultRate.withLock { $0 = 0.04 }
        defer { faultRate.withLock { $0 = 0 } }
        do {
            let r = try await harness.sync()
            note("sync \(r.status) \(r.errors)")
        } catch is Crash {
            crashes += 1
            note("sync crashed")
        }
    }

    /// The spoke's listing comes back empty once (a CardDAV server refusing its sync token, then
    /// listing an empty collection). The deletions are held; the admin rejects the hold, or
    /// nobody does and the next listings clear it. Either way no one may end up twice anywhere.
    mutating func glitch(_ spoke: Int, reject: Bool) async throws {
        harness.spokes[spoke].glitchNextPull()
        let run = try await harness.sync()
        glitches += 1
        note("glitch on \(spoke): sync \(run.status)")
        guard reject, try harness.store.pendingHolds(hub: harness.hub).contains(where: { $0.spoke == harness.configs[spoke].id })
        else { return }
        try harness.engine.rejectHold(hub: harness.hub, spoke: harness.configs[spoke].id)
        rejected += 1
        // The admin kept them: what that spoke deleted for real comes back there.
        for (t, by) in epoch.deletedBy where by.contains(spoke) { epoch.ambiguous.insert(t) }
        let after = try await harness.sync()
        note("rejected on \(spoke): sync \(after.status) \(after.errors)")
    }

    /// Syncs without faults until a pass changes nothing, then checks every invariant.
    mutating func converge(step: Int) async throws {
        var quiet = false
        for _ in 0..<8 {
            let run = try await harness.sync()
            // Still held after a full listing: deleted for real there; the admin confirms.
            let pending = try harness.store.pendingHolds(hub: harness.hub)
            if !pending.isEmpty {
                for hold in pending {
                    note("approve \(hold.items.count) held in \(hold.spoke)")
                    try harness.engine.approveHold(hub: harness.hub, spoke: hold.spoke)
                }
                continue
            }
            let changed = run.stats.values.contains {
                $0.hubCreated + $0.hubUpdated + $0.hubDeleted + $0.pushedCreates + $0.pushedUpdates
                    + $0.pushedDeletes > 0
            }
            #expect(run.status == .succeeded, "step \(step): \(run.errors)")
            if !changed {
                quiet = true
                break
            }
        }
        #expect(quiet, "step \(step): no quiet pass after 8 syncs")
        try check(step: step)
        note("--- converged at \(step)")
        trace = []
        convergedChecks += 1
        epoch = Epoch()
    }

    mutating func check(step: Int) throws {
        let live = try harness.store.liveItems(Item.self, hub: harness.hub)
        let hub = live.map(\.item)
        let hubTokens = hub.map(token)
        #expect(Set(hubTokens).count == hubTokens.count, "step \(step): duplicate in hub")
        for (i, s) in harness.spokes.enumerated() {
            // In hub terms: a spoke's own category is not part of the hub's contact.
            let options = harness.configs[i].options
            let view = ItemView<Item>(options: options)
            // A filtered spoke holds what its filter admits, plus its own items that left it
            // (the hub only takes out what it put there).
            let links = try harness.store.links(
                Item.self, hub: harness.hub, spoke: harness.configs[i].id, items: live.map(\.id))
            let expected = Item.comparable(live.filter { item in
                item.item.admitted(by: options.filter) || links[item.id].map { !$0.createdByHub } == true
            }.map(\.item))
            let got = Item.comparable(s.items.map(view.toHub))
            #expect(got.count == expected.count, "step \(step): spoke \(i) has \(got.count), hub \(expected.count)")
            #expect(got == expected, "step \(step): spoke \(i) differs from the hub")
        }
        let byToken = Dictionary(hub.map { (token($0), $0) }, uniquingKeysWith: { a, _ in a })
        for t in created {
            let deleted = epoch.deletedBy[t] ?? []
            let editedElsewhere = !(epoch.editedBy[t] ?? []).subtracting(deleted).isEmpty
                || epoch.editedAfterDelete.contains(t)
            if settled[t] == nil && !epoch.created.contains(t) {
                #expect(byToken[t] == nil, "step \(step): \(t) came back after its deletion")
            } else if deleted.isEmpty {
                #expect(byToken[t] != nil, "step \(step): \(t) lost")
            } else if !editedElsewhere && !epoch.ambiguous.contains(t)
                && (epoch.editedBy[t] ?? []).count < 2
            {
                // (Two spokes that each edited and then deleted it: each delete meets an edit it
                // had not seen, which wins, so the item may stay. Nothing is lost either way.)
                #expect(byToken[t] == nil, "step \(step): \(t) deleted but still there")
            }
            guard let c = byToken[t] else { continue }
            // A spoke that deleted the item may have edited it first: those edits reach the hub
            // only if a sync ran in between, so for such items any value written counts.
            for f in Item.editable {
                let writers = (epoch.textEdits[t]?[f.name] ?? [:]).filter { !deleted.contains($0.key) }
                let v = c[keyPath: f.path]
                if !deleted.isEmpty {
                    var allowed = Set<String?>((epoch.textAll[t]?[f.name] ?? []).map { $0 })
                    allowed.insert(settled[t]?[keyPath: f.path])
                    #expect(allowed.contains(v),
                            "step \(step): \(t).\(f) = \(v ?? "nil"), allowed \(allowed)")
                } else if writers.isEmpty {
                    if let old = settled[t] {
                        #expect(v == old[keyPath: f.path], "step \(step): \(t).\(f) drifted")
                    }
                } else {
                    #expect(v.map { Set(writers.values).contains($0) } == true,
                            "step \(step): \(t).\(f) = \(v ?? "nil"), written \(writers)")
                }
            }
            // By key: a display-form edit keeps the address.
            let mails = Set(c.entries.map(Item.key))
            let added = epoch.emailsAdded[t] ?? [:], removed = epoch.emailsRemoved[t] ?? [:]
            let reformatted = epoch.emailsReformatted[t] ?? []
            for (m, spoke) in added where removed[m] == nil && !deleted.contains(spoke) {
                #expect(mails.contains(m.lowercased()), "step \(step): \(t) lost email \(m)")
            }
            for (m, spoke) in removed where added[m] == nil && !deleted.contains(spoke)
                && !reformatted.contains(m.lowercased())
            {
                #expect(!mails.contains(m.lowercased()), "step \(step): \(t) kept removed email \(m)")
            }
        }
        settled = byToken
    }

}
