import Testing
import SyncCore
import SyncModel

@Suite struct DeletionGuardTests {
    @Test(arguments: [
        // (deletions, linked, emptyListing, hold) with the default 20% / minimum 5
        (0, 100, false, false),
        (0, 10, true, false),  // nothing deleted, nothing to hold
        (1, 100, false, false),
        (20, 100, false, false),  // exactly 20% is allowed
        (21, 100, false, true),  // more than 20%
        (4, 10, false, false),  // 40%, but under the minimum
        (5, 10, false, true),
        (5, 25, false, false),  // 20%
        (6, 25, false, true),
        (5, 5, false, true),  // all of them
        (1000, 100_000, false, false),
        (20_001, 100_000, false, true),
        (5, 5, true, true),  // empty listing with linked items
        (1, 100, true, true),  // empty listing holds whatever the count
        (3, 3, true, false),  // empty listing, but fewer linked items than the minimum: allowed
        (4, 4, true, false),
        (1, 5, true, true),  // empty listing at the minimum: held though one deletion alone would pass
    ])
    func defaultGuard(_ deletions: Int, _ linked: Int, _ empty: Bool, _ hold: Bool) {
        let v = DeletionGuard().evaluate(deletions: deletions, linked: linked, emptyListing: empty)
        if hold {
            guard case .hold = v else { Issue.record("expected a hold, got \(v)"); return }
        } else {
            #expect(v == .allow)
        }
    }

    @Test(arguments: [
        (DeletionGuard(percent: 50, minimum: 1), 1, 2, false),
        (DeletionGuard(percent: 50, minimum: 1), 2, 3, true),
        (DeletionGuard(percent: 0, minimum: 1), 1, 1000, true),
        (DeletionGuard(percent: 100, minimum: 1), 10, 10, false),  // 100% never exceeds 100%
        (DeletionGuard(percent: 100, minimum: Int.max), 10, 10, false),  // the guard switched off
    ])
    func customGuard(_ g: DeletionGuard, _ deletions: Int, _ linked: Int, _ hold: Bool) {
        let v = g.evaluate(deletions: deletions, linked: linked, emptyListing: false)
        #expect((v != .allow) == hold)
    }

    @Test func disabledGuardIgnoresEmptyListings() {
        #expect(DeletionGuard(percent: 100, minimum: Int.max).evaluate(deletions: 50, linked: 50, emptyListing: true) == .allow)
    }

    @Test func reasons() {
        #expect(DeletionGuard().evaluate(deletions: 7, linked: 7, emptyListing: true)
            == .hold(reason: "the spoke listed no items at all while 7 are linked"))
        #expect(DeletionGuard().evaluate(deletions: 30, linked: 100, emptyListing: false)
            == .hold(reason: "30 of 100 linked items deleted at once (limit 20%)"))
    }
}
