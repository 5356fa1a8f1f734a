import Foundation
import ConnectorKit
import SyncCore
import SyncModel
import SyncStore

extension Pass {
    /// Pulls one spoke's changes page by page, committing a batch per chunk; remote deletions
    /// are gathered and go through the mass-deletion guard at the end. The cursor is saved only
    /// with the last batch, so an interrupted pull is simply pulled again.
    ///
    /// Except a first listing (one begun while the spoke had no links): the next page is saved
    /// with each page's last batch, and an interrupted first listing goes on from there (on a
    /// per-minute quota, a big account's first pull would otherwise never get past its first
    /// pages). A listing that resumed proves no deletion (the items of its first part were not
    /// seen this time) and saves no cursor, so the next pull lists in full, from page one: what
    /// went meanwhile, or what a page token by position skipped, is settled then.
    ///
    /// A spoke with a hold is listed in full: whether it lists the held items again is what
    /// clears the hold, or (once the admin decided) what is re-linked and what written back.
    ///
    /// A chunk is planned while the previous one commits (two cores, twice the work). That is
    /// safe because the chunks of one pull touch different links and items: a remote id seen
    /// again waits for the commits before it, and items linked earlier in the pull are
    /// `claimed` in memory. Commits still land one after the other, in order.
    mutating func pull(
        _ spoke: SpokeConfig, _ connector: any ItemConnector<Item>,
        first: FirstPage<Item>? = nil,
        _ progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws {
        let view = engine.view(spoke, connector)
        let state = try store.spokeState(hub: hub.id, spoke: spoke.id)
        let linkedBefore = try store.linkCount(hub: hub.id, spoke: spoke.id)
        // (A hold of the hub's own deletions to this spoke is the push's business.)
        let holds = try store.holds(hub: hub.id).filter { $0.spoke == spoke.id }
        var tally = HoldTally<Item>(holds.first { !$0.outgoing })
        tally.outgoingWaits = holds.contains { $0.outgoing && $0.awaitsAdmin }
        let since = first.map { $0.since } ?? (tally.existing == nil ? state.cursor : nil)
        let from = first.map { $0.from } ?? SyncEngine.resumePage(state, held: tally.existing != nil)
        // Saves where it got to: a first listing, or one going on from where a first one stopped.
        let recordsPages = since == nil && tally.existing == nil && (linkedBefore == 0 || from != nil)
        var resumed = from != nil
        var prefetched = first?.page
        var page = from
        var mode = ItemPullPage<Item>.Mode.incremental
        var incomplete = false
        var seen = Set<RemoteID>()
        var deleted: [RemoteID] = []
        var cursor = state.cursor
        var matcher: ItemMatcher<Item>?
        var claimed = Set<ItemID>()
        var done = 0
        var total: Int?
        var applied = Set<RemoteID>()
        var inflight: Task<Void, any Error>?
        progress?(SyncProgress(spoke: spoke.id, spokeName: spoke.name, phase: .pull, done: 0))
        let known = try engine.knownVersions(hub.id, spoke.id)
        do {
            repeat {
                var p: ItemPullPage<Item>
                do {
                    if let f = prefetched {
                        prefetched = nil
                        // Awaiting a task's value does not pass a cancellation on: a pass
                        // cancelled at shutdown must stop this request too.
                        p = try await withTaskCancellationHandler { try await f.value } onCancel: { f.cancel() }
                    } else {
                        p = try await connector.pull(since: since, page: page, known: known)
                    }
                } catch let e as ConnectorError where resumed && e.kind.mayMeanAStalePage {
                    // The page token expired (or belonged to a listing the source forgot): list
                    // from the start; what the first part linked is found again by its link.
                    engine.logger.info(
                        "the page a first listing reached is gone; listing from the start",
                        metadata: ["spoke": "\(spoke.name)", "error": "\(e)"])
                    resumed = false
                    page = nil
                    p = try await connector.pull(since: since, page: nil, known: known)
                }
                mode = p.mode
                incomplete = incomplete || p.incomplete
                total = p.total ?? total
                for e in p.errors {
                    itemError(spoke, e)
                    // Present but unreadable: not a deletion, and the hub keeps its last good copy.
                    if let id = e.remoteID { seen.insert(id) }
                }
                seen.formUnion(p.unchanged)
                // The last change of an id in a page wins.
                var upserts: [RemoteID: Remote<Item>] = [:]
                var order: [RemoteID] = []
                for change in p.changes {
                    switch change {
                    case .upsert(let r):
                        if upserts.updateValue(r, forKey: r.id) == nil { order.append(r.id) }
                        seen.insert(r.id)
                    case .delete(let id):
                        if upserts.removeValue(forKey: id) != nil { order.removeAll { $0 == id } }
                        deleted.append(id)
                    }
                }
                // Where the listing goes on, committed with the page's last batch.
                var reached: SpokeState?
                if recordsPages, let next = p.next {
                    reached = state
                    reached!.resumePage = ListingPage(next.rawValue)
                }
                let chunks = Array(order.chunked(engine.batchSize))
                if chunks.isEmpty, let reached {
                    try await inflight?.value
                    var batch = Batch()
                    batch.spokeStates = [reached]
                    inflight = Task(executorPreference: PassThreads.shared) { [store, hub] in try store.commit(hub: hub.id, batch: batch) }
                }
                for (i, chunk) in chunks.enumerated() {
                    if chunk.contains(where: applied.contains) { try await inflight?.value }
                    applied.formUnion(chunk)
                    var batch = try applyUpserts(
                        chunk.map { upserts[$0]! }, spoke: spoke, view: view, matcher: &matcher, claimed: &claimed,
                        tally: &tally)
                    if i == chunks.count - 1, let reached { batch.spokeStates = [reached] }
                    try await inflight?.value
                    inflight = batch.isEmpty ? nil : Task(executorPreference: PassThreads.shared) { [store, hub] in try store.commit(hub: hub.id, batch: batch) }
                    done += chunk.count
                    progress?(SyncProgress(spoke: spoke.id, spokeName: spoke.name, phase: .pull, done: done, total: total))
                }
                stats[spoke.id, default: .init()].pulled += p.changes.count
                page = p.next
                cursor = p.cursor ?? cursor
            } while page != nil
        } catch {
            // Whatever happens, no commit of this pull may still be running when the pass
            // moves on: the next spoke must read what this one wrote.
            _ = try? await inflight?.value
            throw error
        }
        try await inflight?.value

        // Changes that strip items: all applied, or all held when there are too many at once.
        var newChanges: (items: [ItemID], reason: String)?
        if !tally.stripped.isEmpty {
            switch hub.deletionGuard.evaluate(stripped: tally.stripped.count, linked: linkedBefore) {
            case .allow:
                let batch = try applyUpserts(
                    tally.stripped.map { $0.remote }, spoke: spoke, view: view, matcher: &matcher, claimed: &claimed,
                    tally: &tally, weighing: false)
                if !batch.isEmpty { try store.commit(hub: hub.id, batch: batch) }
            case .hold(let reason):
                newChanges = (tally.stripped.map { $0.item }, reason)
            }
        }

        // (A resumed listing did not see its first part: it cannot tell what is gone.)
        incomplete = incomplete || resumed
        var batch = Batch()
        let emptyListing = mode == .full && seen.isEmpty && !incomplete
        if mode == .full && !incomplete {
            deleted = Array(try store.linkedRemoteIDs(hub: hub.id, spoke: spoke.id).subtracting(seen))
        } else {
            // (An incomplete listing: only what the source itself reports deleted is.)
            deleted.removeAll { seen.contains($0) }
        }
        // Held items are judged by the hold's review, not counted as deletions again (but changes
        // an admin approved that are gone meanwhile are deletions like any other).
        let heldLinks = try store.links(Item.self, hub: hub.id, spoke: spoke.id, items: tally.existing?.items ?? [])
        if tally.existing?.decision != .approved {
            let heldRemote = Set(heldLinks.values.map(\.remoteID))
            deleted.removeAll { heldRemote.contains($0) }
        }
        let newDeletions = try applyDeletions(
            Set(deleted), spoke: spoke, view: view, linkedBefore: linkedBefore, emptyListing: emptyListing,
            into: &batch)
        // An absence proves a deletion only in a complete listing that is not itself suspect.
        let suspect = emptyListing && linkedBefore >= hub.deletionGuard.minimum
        try settleHold(
            tally, spoke: spoke, view: view, seen: seen, trustedAbsence: mode == .full && !incomplete && !suspect,
            heldLinks: heldLinks, newDeletions: newDeletions, newChanges: newChanges, into: &batch)
        var newState = try store.spokeState(hub: hub.id, spoke: spoke.id)
        // A listing of nothing never moves the cursor: the next pull lists in full again (one
        // cheap request while the source is empty), so a listing that glitched to nothing cannot
        // hide, for good, items it never listed and nobody changes again.
        newState.cursor = emptyListing || resumed ? nil : cursor
        newState.resumePage = nil
        batch.spokeStates = [newState]
        try store.commit(hub: hub.id, batch: batch)
    }

    /// Plans a chunk of pulled items; returns what to commit.
    private mutating func applyUpserts(
        _ remotes: [Remote<Item>], spoke: SpokeConfig, view: ItemView<Item>, matcher: inout ItemMatcher<Item>?,
        claimed: inout Set<ItemID>, tally: inout HoldTally<Item>, weighing: Bool = true
    ) throws -> Batch {
        // Unchanged since the link last saw them: nothing to plan, no link or hub item to load.
        let versions = try store.linkVersions(hub: hub.id, spoke: spoke.id, remoteIDs: remotes.map(\.id))
        let remotes = remotes.filter { r in
            guard let seen = versions[r.id], let v = seen, v == r.version else { return true }
            return false
        }
        guard !remotes.isEmpty else { return Batch() }
        let linked = remotes.map(\.id).filter { versions[$0] != nil }
        let links = linked.isEmpty ? [:] : try store.links(Item.self, hub: hub.id, spoke: spoke.id, remoteIDs: linked)
        var markerTargets: [RemoteID: ItemID] = [:]
        for r in remotes where links[r.id] == nil {
            if let m = r.marker, m.hub == hub.id { markerTargets[r.id] = m.item }
        }
        // A marker names a hub item; it only counts when that item has no link here yet.
        if !markerTargets.isEmpty {
            let markerLinked = try store.links(Item.self, hub: hub.id, spoke: spoke.id, items: Array(markerTargets.values))
            markerTargets = markerTargets.filter { markerLinked[$0.value] == nil }
        }
        let intents = markerTargets.isEmpty ? [:] : Dictionary(
            try store.intents(Item.self, hub: hub.id, spoke: spoke.id).map { ($0.item, $0) }, uniquingKeysWith: { a, _ in a })
        let targetIDs = links.values.map(\.item) + markerTargets.values
        // (New items, as in a first sync, have no targets: no query for them.)
        var items = targetIDs.isEmpty ? [:] : try store.items(Item.self, hub: hub.id, ids: targetIDs)
        var batch = Batch()
        for r in remotes {
            let link = links[r.id]
            var targetID = link?.item
            var via = Plan.Via.link
            if link == nil {
                if let m = markerTargets[r.id], items[m] != nil, !claimed.contains(m) {
                    targetID = m
                    via = .marker
                } else {
                    if matcher == nil { matcher = try buildMatcher(spoke) }
                    if let m = matcher!.match(view.toHub(r.item)), !claimed.contains(m) {
                        targetID = m
                        via = .match
                        items.merge(try store.items(Item.self, hub: hub.id, ids: [m])) { a, _ in a }
                    }
                }
            }
            let target = targetID.flatMap { items[$0] }
            var base = link?.snapshot
            if via == .marker, let t = targetID, let intent = intents[t] {
                base = intent.snapshot
                batch.removedIntents.append(LinkKey(spoke: spoke.id, item: t))
            }
            var plan = PullPlanner.upsert(
                r, link: base, target: target?.snapshot, via: target == nil ? .new : via, view: view)
            if via != .match, !tally.admit(&plan, remote: r, target: target, weighing: weighing) { continue }
            if let item = apply(plan, spoke: spoke.id, remoteID: r.id, remote: r, link: link, target: target,
                                into: &batch) {
                items[item.id] = item
                if link == nil {
                    claimed.insert(item.id)
                    matcher?.remove(item.id)
                }
            }
        }
        return batch
    }

    /// Live hub items not yet linked to this spoke, indexed for matching.
    private func buildMatcher(_ spoke: SpokeConfig) throws -> ItemMatcher<Item> {
        let live = try store.liveItems(Item.self, hub: hub.id)
        var linked = Set<ItemID>()
        for chunk in live.map(\.id).chunked(1000) {
            linked.formUnion(try store.links(Item.self, hub: hub.id, spoke: spoke.id, items: Array(chunk)).keys)
        }
        return ItemMatcher(live.filter { !linked.contains($0.id) }.map { .init(id: $0.id, item: $0.item) })
    }

    /// Applies the deletions the guard allows; returns those it holds back, with the reason.
    private mutating func applyDeletions(
        _ deleted: Set<RemoteID>, spoke: SpokeConfig, view: ItemView<Item>, linkedBefore: Int, emptyListing: Bool,
        into batch: inout Batch
    ) throws -> (items: [ItemID], reason: String)? {
        var links: [RemoteID: ItemLink<Item>] = [:]
        for chunk in deleted.sorted().chunked(1000) {
            links.merge(try store.links(Item.self, hub: hub.id, spoke: spoke.id, remoteIDs: Array(chunk))) { a, _ in a }
        }
        // Items the hub is taking out of the spoke itself are expected to go: not deletions.
        let real = links.values.filter { !$0.leavingFilter }
        let verdict = hub.deletionGuard.evaluate(
            deletions: real.count, linked: linkedBefore, emptyListing: emptyListing)
        switch verdict {
        case .hold(let reason):
            engine.logger.warning(
                "mass deletion held", metadata: ["spoke": "\(spoke.name)", "count": "\(real.count)"])
            for l in links.values where l.leavingFilter {
                batch.removedLinks.append(LinkKey(spoke: spoke.id, item: l.item))
            }
            return (real.map(\.item).sorted(), reason)
        case .allow:
            let items = try store.items(Item.self, hub: hub.id, ids: links.values.map(\.item))
            for (remoteID, link) in links.sorted(by: { $0.key < $1.key }) {
                let target = items[link.item]
                let plan = PullPlanner.delete(link: link.snapshot, target: target?.snapshot, view: view)
                apply(plan, spoke: spoke.id, remoteID: remoteID, remote: nil, link: link, target: target, into: &batch)
            }
            return nil
        }
    }
}

extension ConnectorError.Kind {
    /// How a source answers a page token it no longer knows: a bad request, not an outage (an
    /// outage keeps the page for the next pass).
    fileprivate var mayMeanAStalePage: Bool {
        switch self {
        case .protocolViolation, .misconfigured: true
        case .unavailable, .unauthorized: false
        }
    }
}
