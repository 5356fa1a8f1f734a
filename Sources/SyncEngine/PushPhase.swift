import Foundation
import ConnectorKit
import SyncCore
import SyncModel
import SyncStore

extension Pass {
    /// Pushes hub changes newer than the spoke's watermark, in version order, a batch at a time.
    /// Creates are recorded as intents first; a stale version is re-pulled and merged, which
    /// gives the item a new version that this same loop then pushes again.
    mutating func push(
        _ spoke: SpokeConfig, _ connector: any ItemConnector<Item>, _ progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws {
        let view = engine.view(spoke, connector)
        try await recoverIntents(spoke, connector, view)
        var state = try store.spokeState(hub: hub.id, spoke: spoke.id)
        let holds = try store.holds(hub: hub.id).filter { $0.spoke == spoke.id }
        // Held items are not written to this spoke, except hub deletions an admin approved.
        let approvedOut = holds.first { $0.outgoing && $0.decision == .approved }
        let held = Set(holds.filter { $0 != approvedOut }.flatMap(\.items))
        if let waiting = holds.first(where: { $0.outgoing && $0.awaitsAdmin }) {
            stats[spoke.id, default: .init()].heldDeletions += waiting.items.count
        }
        var after = state.pushedThrough
        var watermarkBlocked = false
        var retries: [ItemID: Int] = [:]
        var done = 0
        var written: [RemoteID: RemoteVersion?] = [:]
        let total = Int(clamping: max(0, try store.maxVersion(hub: hub.id) - after))
        progress?(SyncProgress(spoke: spoke.id, spokeName: spoke.name, phase: .push, done: 0, total: total))
        while true {
            let items = try store.items(Item.self, hub: hub.id, changedAfter: after, limit: engine.batchSize)
            guard let last = items.last else { break }
            let links = try store.links(Item.self, hub: hub.id, spoke: spoke.id, items: items.map(\.id))
            var ops: [(item: Record, link: ItemLink<Item>?, op: ItemWriteOp<Item>)] = []
            var pre = Batch()
            var post = Batch()
            for item in items where !held.contains(item.id) {
                let link = links[item.id]
                switch PushPlanner.plan(item: item.snapshot, version: item.version, link: link?.pushLink, view: view) {
                case .none:
                    break
                case .agree:
                    if var l = link {
                        l.base = PushPlanner.base(after: item.item, link: l.pushLink)
                        l.hubVersionSeen = item.version
                        post.links.append(l)
                    }
                case .create(let c):
                    let marker = CreateMarker(hub: hub.id, item: item.id)
                    pre.addedIntents.append(
                        ItemCreateIntent(
                            spoke: spoke.id, item: item.id, marker: marker, base: item.item,
                            startedAt: engine.clock()))
                    ops.append((item, nil, .create(c, marker)))
                case .update(let id, let v, let c):
                    ops.append((item, link, .update(id, v, c)))
                case .delete(let id, let v):
                    ops.append((item, link, .delete(id, v)))
                case .removeFromSpoke(let id, let v):
                    if var l = link, !l.leavingFilter {
                        l.hubVersionSeen = ItemLink<Item>.leavingFilterMark
                        pre.links.append(l)
                    }
                    ops.append((item, link, .delete(id, v)))
                }
            }
            if !pre.isEmpty {
                pre.durable = true
                try store.commit(hub: hub.id, batch: pre)
            }
            var conflicts: [(Record, ItemLink<Item>)] = []
            for chunk in ops.chunked(max(connector.maxBatch, 1)) {
                let outcomes = try await connector.write(chunk.map(\.op))
                guard outcomes.count == chunk.count else {
                    throw ConnectorError(.protocolViolation, "\(outcomes.count) outcomes for \(chunk.count) writes")
                }
                for ((item, link, op), outcome) in zip(chunk, outcomes) {
                    // (A write without a version cannot be told from someone else's: left out.)
                    switch (op, outcome) {
                    case (_, .created(let id, let v?)): written[id] = .some(v)
                    case (.update(let id, _, _), .updated(let v?)): written[id] = .some(v)
                    case (.delete(let id, _), .deleted): written[id] = .some(nil)
                    default: break
                    }
                    if let failedItem = record(
                        outcome, op: op, item: item, link: link, spoke: spoke.id, into: &post, conflicts: &conflicts)
                    {
                        itemError(spoke, failedItem)
                        watermarkBlocked = true
                    }
                }
            }
            for (item, link) in conflicts {
                retries[item.id, default: 0] += 1
                if retries[item.id]! > 3 {
                    itemError(spoke, ItemError(remoteID: link.remoteID, message: "still conflicting after 3 merges"))
                    watermarkBlocked = true
                    continue
                }
                try await remerge(item, link, spoke: spoke, connector: connector, view: view, into: &post)
            }
            if !watermarkBlocked { state.pushedThrough = last.version }
            after = last.version
            state.cursor = try store.spokeState(hub: hub.id, spoke: spoke.id).cursor
            post.spokeStates = [state]
            try store.commit(hub: hub.id, batch: post)
            done += items.count
            progress?(SyncProgress(
                spoke: spoke.id, spokeName: spoke.name, phase: .push, done: min(done, total), total: total))
        }
        if approvedOut != nil {
            // The approved deletions went out with this push.
            var batch = Batch()
            batch.removedHolds = [spoke.id]
            try store.commit(hub: hub.id, batch: batch)
        }
        if !written.isEmpty { try await skipEcho(spoke, connector, written) }
    }

    /// Moves the spoke's cursor past the pass's own writes when the source can tell that nothing
    /// else changed. Only an optimisation: when it cannot, the next pull skips them by version.
    private func skipEcho(_ spoke: SpokeConfig, _ connector: any ItemConnector<Item>, _ written: [RemoteID: RemoteVersion?])
        async throws
    {
        var state = try store.spokeState(hub: hub.id, spoke: spoke.id)
        do {
            guard let next = try await connector.cursor(after: state.cursor, writes: written) else { return }
            state.cursor = next
        } catch let e as ConnectorError {
            engine.logger.notice("echo not skipped", metadata: ["spoke": "\(spoke.name)", "error": "\(e)"])
            return
        }
        var batch = Batch()
        batch.spokeStates = [state]
        try store.commit(hub: hub.id, batch: batch)
    }

    /// Records a write's outcome in `post`; returns an error for the item when it failed.
    private mutating func record(
        _ outcome: WriteOutcome, op: ItemWriteOp<Item>, item: Record, link: ItemLink<Item>?, spoke: SpokeID,
        into post: inout Batch, conflicts: inout [(Record, ItemLink<Item>)]
    ) -> ItemError? {
        let key = LinkKey(spoke: spoke, item: item.id)
        engine.logger.debug("push", metadata: [
            "spoke": "\(spoke)", "item": "\(item.id)", "version": "\(item.version)", "op": "\(op.name)",
            "outcome": "\(outcome.name)",
        ])
        switch outcome {
        case .created(let id, let v):
            stats[spoke, default: .init()].pushedCreates += 1
            post.removedIntents.append(key)
            post.links.append(ItemLink(
                spoke: spoke, item: item.id, remoteID: id, remoteVersion: v, base: item.item,
                hubVersionSeen: item.version, createdByHub: true))
        case .updated(let v):
            stats[spoke, default: .init()].pushedUpdates += 1
            guard var l = link else { break }
            l.remoteVersion = v
            l.base = PushPlanner.base(after: item.item, link: l.pushLink)
            l.hubVersionSeen = item.version
            post.links.append(l)
        case .deleted:
            stats[spoke, default: .init()].pushedDeletes += 1
            post.removedLinks.append(key)
        case .notFound:
            post.removedLinks.append(key)
            if case .update = op {
                // Deleted in the spoke while changed in the hub: the edit wins, so the item is
                // created there again on the next round.
                var touched = item
                touched.version = version()
                post.items.append(touched)
            }
        case .conflict:
            guard let link else { return ItemError(remoteID: nil, message: "conflict on create") }
            conflicts.append((item, link))
        case .failed(let e):
            if case .create = op { post.removedIntents.append(key) }
            return e
        }
        return nil
    }

    /// A stale concurrency token: fetch the item as it is now and merge it like a pulled change.
    private mutating func remerge(
        _ item: Record, _ link: ItemLink<Item>, spoke: SpokeConfig, connector: any ItemConnector<Item>,
        view: ItemView<Item>, into batch: inout Batch
    ) async throws {
        let current = try await connector.fetch(link.remoteID)
        let fresh = try store.items(Item.self, hub: hub.id, ids: [item.id])[item.id] ?? item
        let plan: Plan
        if let current {
            plan = PullPlanner.upsert(current, link: link.snapshot, target: fresh.snapshot, via: .link, view: view)
        } else {
            plan = PullPlanner.delete(link: link.snapshot, target: fresh.snapshot, view: view)
        }
        // Touch so the merged (or re-created) item comes round again in this push loop.
        var plan2 = plan
        if case .none = plan.hub { plan2.hub = .touch }
        apply(plan2, spoke: spoke.id, remoteID: link.remoteID, remote: current, link: link, target: fresh, into: &batch)
    }

    /// Creates interrupted by a crash: the intent is there, the link is not. Find the item the
    /// create may have made (by its marker) and link it, so it is never created twice. (A pull
    /// usually links it first, through the marker the item carries.)
    private mutating func recoverIntents(
        _ spoke: SpokeConfig, _ connector: any ItemConnector<Item>, _ view: ItemView<Item>
    ) async throws {
        let intents = try store.intents(Item.self, hub: hub.id, spoke: spoke.id)
        guard !intents.isEmpty else { return }
        let links = try store.links(Item.self, hub: hub.id, spoke: spoke.id, items: intents.map(\.item))
        let items = try store.items(Item.self, hub: hub.id, ids: intents.map(\.item))
        var batch = Batch()
        for intent in intents {
            batch.removedIntents.append(LinkKey(spoke: spoke.id, item: intent.item))
            guard links[intent.item] == nil, let item = items[intent.item],
                let found = try await connector.find(marker: intent.marker)
            else { continue }
            let plan = PullPlanner.upsert(
                found, link: intent.snapshot, target: item.snapshot, via: .marker, view: view)
            apply(plan, spoke: spoke.id, remoteID: found.id, remote: found, link: nil, target: item, into: &batch)
        }
        try store.commit(hub: hub.id, batch: batch)
    }
}

extension ItemCreateIntent where Item: CoreItem {
    /// What the planner needs: the content the create sent is the base.
    var snapshot: ItemLinkSnapshot<Item> { ItemLinkSnapshot(remoteVersion: nil, base: base, createdByHub: true) }
}
