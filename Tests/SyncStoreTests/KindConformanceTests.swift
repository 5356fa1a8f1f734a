import Foundation
import SyncModel
import SyncStore
import Testing

/// A hub holds one kind of item: asking it for another kind is a clear error, never a decode of
/// one kind's bytes as the other.
@Suite("Store conformance: one kind of item per hub")
struct KindConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func askingAContactHubForEventsIsAnError(kind: StoreKind) throws {
        try kind.with { s in
            let contacts = Kit<Contact>(), events = Kit<Event>()
            try contacts.makeHub(s, hubA)
            try events.makeHub(s, hubB)
            try s.commit(hub: hubA, batch: contacts.batch { b in
                b.items = [contacts.item("i1", v: 1)]
                b.links = [contacts.link(spoke1, "i1", "r1")]
                b.addedIntents = [contacts.intent(spoke2, "i1", 1)]
                b.journal = [contacts.entry("i1", run: nil, .restore, .restored, t: 1, old: nil, new: contacts.sample("i1"))]
            })
            try s.commit(hub: hubB, batch: events.batch { $0.items = [events.item("e1", v: 1)] })

            // Every item-bearing read and the commit, on a hub with rows and on one without.
            func wrongKind(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
                do {
                    try body()
                    Issue.record("asking for the other kind answered", sourceLocation: sourceLocation)
                } catch let e as StoreError {
                    #expect(e.kind == .conflict, "\(e)", sourceLocation: sourceLocation)
                    #expect(e.message.contains("holds contacts") || e.message.contains("holds calendar events"),
                            "\(e)", sourceLocation: sourceLocation)
                } catch {
                    Issue.record("\(error)", sourceLocation: sourceLocation)
                }
            }
            wrongKind { _ = try s.items(Event.self, hub: hubA, ids: ["i1"]) }
            wrongKind { _ = try s.items(Event.self, hub: hubA, changedAfter: 0, limit: 10) }
            wrongKind { _ = try s.liveItems(Event.self, hub: hubA) }
            wrongKind { _ = try s.links(Event.self, hub: hubA, spoke: spoke1, remoteIDs: ["r1"]) }
            wrongKind { _ = try s.links(Event.self, hub: hubA, spoke: spoke1, items: ["i1"]) }
            wrongKind { _ = try s.intents(Event.self, hub: hubA, spoke: spoke2) }
            wrongKind { _ = try s.journal(Event.self, hub: hubA, JournalQuery()) }
            wrongKind { try s.commit(hub: hubA, batch: events.batch { $0.items = [events.item("e9", v: 9)] }) }
            wrongKind { try s.commit(hub: hubA, batch: events.batch { $0.links = [events.link(spoke1, "i1", "r1")] }) }
            wrongKind { try s.commit(hub: hubA, batch: events.batch { $0.addedIntents = [events.intent(spoke1, "i1", 2)] }) }
            wrongKind {
                try s.commit(hub: hubA, batch: events.batch {
                    $0.journal = [events.entry("i1", run: nil, .restore, .restored, t: 2, old: nil, new: nil)]
                })
            }
            // The contact spellings on the calendar hub.
            wrongKind { _ = try s.items(hub: hubB, ids: ["e1"]) }
            wrongKind { _ = try s.liveItems(hub: hubB) }
            wrongKind { _ = try s.links(hub: hubB, spoke: spoke1, items: ["e1"]) }
            wrongKind { _ = try s.journal(hub: hubB, JournalQuery()) }
            wrongKind { try s.commit(hub: hubB, batch { $0.items = [item("e1", v: 5)] }) }

            // A batch without items (states, runs, holds, removals) is the same for every kind.
            try s.commit(hub: hubB, batch {
                $0.spokeStates = [SpokeState(spoke: spoke1, cursor: "c", pushedThrough: 1)]
                $0.runs = [RunRecord(id: "run", hub: hubB, startedAt: at(0))]
                $0.removedLinks = [LinkKey(spoke: spoke1, item: "e1")]
            })
            #expect(try s.spokeState(hub: hubB, spoke: spoke1).cursor == "c")
            #expect(try s.run(hub: hubB, id: "run") != nil)

            // Nothing was written by the refused commits; each hub reads as its own kind.
            #expect(try s.liveItems(hub: hubA).map(\.id) == ["i1"])
            #expect(try s.liveItems(Event.self, hub: hubB).map(\.item) == [events.sample("e1")])
            #expect(try s.maxVersion(hub: hubA) == 1)
            // What has no item type answers for either kind.
            #expect(try s.liveItemCount(hub: hubB) == 1)
            #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
        }
    }

    /// A hub's kind may change while it holds nothing, never once it holds items.
    @Test(arguments: StoreKind.allCases)
    func aHubKeepsItsKindOnceItHoldsItems(kind: StoreKind) throws {
        try kind.with { s in
            var hub = try makeHub(s)
            hub.objectKind = .calendar
            try s.saveHub(hub)  // empty: it may still change its mind
            #expect(try s.hub(hubA)?.objectKind == .calendar)
            try s.commit(hub: hubA, batch: Kit<Event>().batch { $0.items = [Kit<Event>().item("e1", v: 1)] })
            hub.objectKind = .contacts
            hub.name = "renamed"
            expectStoreError(.conflict) { try s.saveHub(hub) }
            #expect(try s.hub(hubA)?.objectKind == .calendar)
            #expect(try s.hub(hubA)?.name == "Hub hub-a")
            #expect(try s.liveItems(Event.self, hub: hubA).count == 1)
            // Renaming it is no change of kind.
            hub.objectKind = .calendar
            try s.saveHub(hub)
            #expect(try s.hub(hubA)?.name == "renamed")
        }
    }
}
