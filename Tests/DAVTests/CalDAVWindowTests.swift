import Foundation
import Testing
import ConnectorDAV
import ConnectorKit
import PIMFormats
import SyncModel
import TestSupport

/// The fallback listing of the window (no sync-collection, or a token the server forgot) is
/// never read as a wipe, but it is complete for the window: a series the last one held and this
/// one lacks is deleted when the server has it no more, and only then.
@Suite(.serialized) struct CalDAVWindowTests {
    static let now = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01

    static func stale(_ kind: ServerKind) -> String {
        "sync:" + (kind == .radicale ? "http://radicale.org/ns/sync/0000" : "http://xandikos.org/bogus")
    }

    /// The same cursor with the server's token refused: what the window listing tracked stays.
    static func refused(_ c: SpokeCursor?, _ kind: ServerKind) -> SpokeCursor {
        SpokeCursor(([stale(kind)] + (c?.rawValue.split(separator: "\n").dropFirst().map(String.init) ?? [])).joined(separator: "\n"))
    }

    @Test(arguments: ServerKind.allCases) func aSeriesGoneFromTheWindowIsDeletedOnlyWhenItIsGone(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let cal = try server.calendar(url, window: DAVTimeWindow(pastDays: 30, futureDays: 60), now: { Self.now })
        let versions = try await cal.created([
            SampleEvents.single(uid: "stays", summary: "Stays", day: CivilDate(2026, 12, 10)),
            SampleEvents.single(uid: "deleted", summary: "Deleted", day: CivilDate(2026, 12, 11)),
            SampleEvents.single(uid: "moved-out", summary: "Moved out", day: CivilDate(2026, 12, 12)),
            SampleEvents.single(uid: "outside", summary: "Long ago", day: CivilDate(2024, 3, 1)),
        ])
        #expect(versions.count == 4)
        let known = KnownVersions.holding(versions)
        // The server forgot the token of a window listing: the window is listed, and nothing is deleted.
        let tracked = ["stays", "deleted", "moved-out"].map { String(cal.resource(uid: $0).rawValue.split(separator: "/").last!) }
        let first = try await cal.pullAll(since: SpokeCursor(([Self.stale(kind)] + tracked).joined(separator: "\n")), known: known)
        #expect(first.pages.allSatisfy { $0.mode == .incremental })
        #expect(first.pages.flatMap(\.deleted).isEmpty)
        #expect(Set(first.pages.flatMap(\.unchanged)) == Set(["stays", "deleted", "moved-out"].map(cal.resource(uid:))))

        // Another app deletes one series of the window and one outside it, and moves one out.
        let other = OtherClient(server)
        let name = { (uid: String) in String(cal.resource(uid: uid).rawValue.split(separator: "/").last!) }
        try await other.delete(url.appendingPathComponent(name("deleted")))
        try await other.delete(url.appendingPathComponent(name("outside")))
        var gone = SampleEvents.single(uid: "moved-out", summary: "Moved out", day: CivilDate(2025, 1, 5))
        gone.master?.sequence = 1
        _ = try await other.put(url, name("moved-out"), ICalWriter.write(gone), type: "text/calendar")

        // Refused again: the deleted series of the window is reported, the one that left it is
        // read (it changed), and the one outside, never listed, is not news.
        let second = try await cal.pullAll(since: Self.refused(first.cursor, kind), known: known)
        #expect(second.pages.allSatisfy { $0.mode == .incremental })
        #expect(second.pages.flatMap(\.deleted) == [cal.resource(uid: "deleted")])
        #expect(second.pages.flatMap(\.upserts).map(\.event.uid) == ["moved-out"])
        #expect(second.pages.flatMap(\.unchanged) == [cal.resource(uid: "stays")])
        // And the window it tracks now holds only what is in it.
        let third = try await cal.pullAll(since: Self.refused(second.cursor, kind), known: known)
        #expect(third.pages.flatMap(\.deleted).isEmpty)
        #expect(third.pages.flatMap(\.unchanged) == [cal.resource(uid: "stays")])
    }

    /// Read by sync-collection, a calendar tracks no window; when the server forgets the token,
    /// the whole calendar is listed once (a full listing, whose absences are deletions), so a
    /// series deleted meanwhile is not missed, in the window or outside it.
    @Test(arguments: ServerKind.allCases) func aForgottenTokenWithNoTrackedWindowListsTheWholeCalendar(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let cal = try server.calendar(url, window: DAVTimeWindow(pastDays: 30, futureDays: 60), now: { Self.now })
        let versions = try await cal.created([
            SampleEvents.single(uid: "stays", summary: "Stays", day: CivilDate(2026, 12, 10)),
            SampleEvents.single(uid: "deleted", summary: "Deleted", day: CivilDate(2026, 12, 11)),
            SampleEvents.single(uid: "old", summary: "Long ago", day: CivilDate(2024, 3, 1)),
        ])
        let known = KnownVersions.holding(versions)
        let synced = try await cal.pullAll(since: nil, known: known)
        #expect(synced.cursor.map { !$0.rawValue.contains("\n") } == true, "sync-collection tracks no window")
        try await OtherClient(server).delete(url.appendingPathComponent(String(cal.resource(uid: "deleted").rawValue.split(separator: "/").last!)))
        let after = try await cal.pullAll(since: SpokeCursor(Self.stale(kind)), known: known)
        #expect(after.pages.allSatisfy { $0.mode == .full })
        #expect(Set(after.pages.flatMap(\.unchanged)) == Set(["stays", "old"].map(cal.resource(uid:))))
        #expect(after.pages.flatMap(\.upserts).isEmpty)
    }

    /// A calendar without sync-collection is read by its ctag: the tracked window goes along
    /// through a pass where the ctag did not move, and a deletion shows on the next listing.
    @Test(arguments: ServerKind.allCases) func aCtagCalendarSeesDeletionsInTheWindow(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        let url = try await server.makeCalendar()
        let cal = try server.calendar(url, window: DAVTimeWindow(pastDays: 30, futureDays: 60), now: { Self.now })
        let versions = try await cal.created([
            SampleEvents.single(uid: "a", summary: "A", day: CivilDate(2026, 12, 10)),
            SampleEvents.single(uid: "b", summary: "B", day: CivilDate(2026, 12, 11)),
        ])
        let known = KnownVersions.holding(versions)
        let first = try await cal.pullAll(since: SpokeCursor("ctag:none"), known: known)
        #expect(first.pages.flatMap(\.deleted).isEmpty)
        let tracked = try #require(first.cursor?.rawValue.split(separator: "\n").dropFirst().map(String.init))
        #expect(tracked.count == 2)
        try await OtherClient(server).delete(url.appendingPathComponent(String(cal.resource(uid: "b").rawValue.split(separator: "/").last!)))
        let second = try await cal.pullAll(since: SpokeCursor((["ctag:old"] + tracked).joined(separator: "\n")), known: known)
        #expect(second.pages.flatMap(\.deleted) == [cal.resource(uid: "b")])
        #expect(second.pages.allSatisfy { $0.mode == .incremental })
    }
}
