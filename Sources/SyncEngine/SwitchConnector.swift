import Foundation
import SyncCore
import SyncModel
import SyncStore

/// A spoke moving to another connector for the same source (an Exchange Online mailbox leaving
/// EWS for Microsoft Graph): its new configuration and, per remote id it has links for, the id
/// (and version) the new connector knows that item by.
public struct ConnectorSwitch: Sendable {
    /// Same id, hub, name, position and options as before; the new kind and settings.
    public var spoke: SpokeConfig
    /// Old remote id → the new connector's id and version. An old id missing here could not be
    /// translated: its item is found again by the first pull (marker, then matching).
    public var translated: [RemoteID: (id: RemoteID, version: RemoteVersion?)]
    /// The old ids that were asked about (the links as they were when translation began). A
    /// link made after that, by a pass that ran meanwhile, is treated like an untranslated one.
    public var asked: Set<RemoteID>

    public init(spoke: SpokeConfig, translated: [RemoteID: (id: RemoteID, version: RemoteVersion?)], asked: Set<RemoteID>) {
        self.spoke = spoke
        self.translated = translated
        self.asked = asked
    }
}

/// What a switch did.
public struct ConnectorSwitchReport: Sendable, Hashable {
    /// Links that now name the item by its new id.
    public var moved: Int
    /// Links whose id did not translate: the item is found again by its marker or by matching.
    public var refind: Int

    public init(moved: Int, refind: Int) {
        self.moved = moved
        self.refind = refind
    }
}

extension SyncEngine {
    /// Switches a spoke to another connector in one transaction: configuration, links and cursor
    /// together, so a crash leaves either the old spoke or the new one, each complete. Options,
    /// filters, mappings, bases and history stay; the push watermark stays too (the hub has
    /// nothing new to send because of a switch). The cursor is cleared: the first pull of the new
    /// connector lists the source whole, and finds every item by its new id at the version the
    /// link holds, so nothing is fetched, matched, created or sent again.
    ///
    /// A link whose id did not translate becomes a create intent carrying the link's base: the
    /// first pull links the item back through the marker it carries (items the hub created) or
    /// through matching (the others), merging against that base. It is never left as a link to
    /// an id the new connector does not know, which a full listing would read as a deletion.
    ///
    /// Callers hold the hub's lock (no pass may run meanwhile).
    @discardableResult
    public func switchConnector(hub: HubID, _ change: ConnectorSwitch) throws -> ConnectorSwitchReport {
        switch try objectKind(hub) {
        case .contacts: try switchConnector(Contact.self, hub: hub, change)
        case .calendar: try switchConnector(Event.self, hub: hub, change)
        }
    }

    private func switchConnector<Item: CoreItem & StoredItem>(
        _ kind: Item.Type, hub: HubID, _ change: ConnectorSwitch
    ) throws -> ConnectorSwitchReport {
        let spoke = change.spoke
        guard let old = try store.spokes(hub: hub).first(where: { $0.id == spoke.id }) else {
            throw EngineError(EngineError.noSource, ["id": "\(spoke.id)", "hub": "\(hub)"], kind: .notFound)
        }
        guard old.position == spoke.position, spoke.hub == hub else {
            throw EngineError(EngineError.switchKeepsPlace, kind: .invalid)
        }
        if try store.holds(hub: hub).contains(where: { $0.spoke == spoke.id }) {
            throw EngineError(EngineError.switchHeld, ["source": old.name], kind: .conflict)
        }
        let remoteIDs = try store.linkedRemoteIDs(hub: hub, spoke: spoke.id)
        var batch = ItemWriteBatch<Item>()
        var report = ConnectorSwitchReport(moved: 0, refind: 0)
        let now = clock()
        for chunk in remoteIDs.sorted().chunked(1000) {
            let links = try store.links(Item.self, hub: hub, spoke: spoke.id, remoteIDs: Array(chunk))
            for (remoteID, link) in links.sorted(by: { $0.key < $1.key }) {
                if change.asked.contains(remoteID), let t = change.translated[remoteID] {
                    var moved = link
                    moved.remoteID = t.id
                    moved.remoteVersion = t.version
                    batch.links.append(moved)
                    report.moved += 1
                } else {
                    batch.removedLinks.append(LinkKey(spoke: spoke.id, item: link.item))
                    batch.addedIntents.append(ItemCreateIntent(
                        spoke: spoke.id, item: link.item, marker: CreateMarker(hub: hub, item: link.item), base: link.base,
                        startedAt: now))
                    report.refind += 1
                }
            }
        }
        var state = try store.spokeState(hub: hub, spoke: spoke.id)
        state.cursor = nil
        state.resumePage = nil
        batch.spokeStates = [state]
        batch.spokes = [spoke]
        batch.durable = true
        try store.commit(hub: hub, batch: batch)
        logger.info(
            "spoke switched connector",
            metadata: ["spoke": "\(spoke.id)", "from": "\(old.kind.rawValue)", "to": "\(spoke.kind.rawValue)",
                       "moved": "\(report.moved)", "refind": "\(report.refind)"])
        return report
    }
}
