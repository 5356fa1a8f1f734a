import Foundation
import Testing
@testable import ConnectorDAV
import ConnectorKit
import SyncModel
import TestSupport

/// `find(marker:)` asks the server for the series that carries the marker: both servers answer
/// the prop-filter themselves, so a crash's leftover create costs one query, not a read of the
/// whole calendar.
@Suite(.serialized) struct CalDAVMarkerTests {
    @Test(arguments: ServerKind.allCases) func theServerFindsTheSeriesByItsMarker(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let cal = try server.calendar(url)
        let m1 = CreateMarker(hub: HubID("hub-0123456789abcdef"), item: ItemID("item-0123456789abcdef-0123456789"))
        let m2 = CreateMarker(hub: HubID("hub-0123456789abcdef"), item: ItemID("item-2"))
        _ = try await cal.write([
            .create(SampleEvents.single(uid: "one", summary: "One", day: CivilDate(2026, 12, 10)), m1),
            .create(SampleEvents.single(uid: "two", summary: "Two", day: CivilDate(2026, 12, 11)), m2),
            .create(SampleEvents.single(uid: "three", summary: "Not the hub's", day: CivilDate(2026, 12, 12))),
        ])
        let (session, paths) = (DAVSession(http: try server.client()), try DAVPaths(collection: url))
        let r = try await session.report(paths.collectionURL, depth: 1, DAVBody.markerQuery(m1.description))
        #expect(r.status == 207)
        let hrefs = try session.multistatus(r, "REPORT").responses.filter { paths.isMember($0.href) }.map { paths.id($0.href) }
        #expect(hrefs == [cal.resource(uid: "one")])
        #expect(try await cal.find(marker: m1)?.id == cal.resource(uid: "one"))
        #expect(try await cal.find(marker: m2)?.event.uid == "two")
        #expect(try await cal.find(marker: CreateMarker(hub: HubID("h"), item: ItemID("x"))) == nil)
    }
}
