import Foundation
import Testing
import PIMFormats
import SyncModel
@testable import ConnectorDAV

/// The pure parts: multistatus reading, paths, versions. No server.
@Suite struct DAVPureTests {
    @Test func aMultistatusWithDeletionsTruncationAndPrefixes() throws {
        let xml = """
            <?xml version="1.0"?><x:multistatus xmlns:x="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
            <x:response><x:href>/a/book/1.vcf</x:href><x:propstat><x:prop><x:getetag>"e1"</x:getetag>
            <c:address-data><![CDATA[BEGIN:VCARD
            END:VCARD]]></c:address-data></x:prop><x:status>HTTP/1.1 200 OK</x:status></x:propstat></x:response>
            <x:response><x:href>http://h/a/book/2%40x.vcf</x:href><x:status>HTTP/1.1 404 Not Found</x:status></x:response>
            <x:response><x:href>/a/book/</x:href><x:status>HTTP/1.1 507 Insufficient Storage</x:status></x:response>
            <x:sync-token>tok&amp;1</x:sync-token></x:multistatus>
            """
        let ms = try MultiStatus(parsing: Data(xml.utf8))
        #expect(ms.syncToken == "tok&1")
        #expect(ms.responses.count == 3)
        #expect(ms.responses[0].text(.d("getetag")) == "\"e1\"")
        #expect(ms.responses[0].props[.c("address-data")]?.text.contains("BEGIN:VCARD") == true)
        #expect(ms.responses[1].status == 404)
        #expect(ms.responses[2].status == 507)
        let paths = try DAVPaths(collection: URL(string: "https://h/a/book")!)
        #expect(paths.collection == "/a/book/")
        #expect(paths.isMember(ms.responses[1].href))
        #expect(!paths.isMember(ms.responses[2].href))
        // One id however the server spells the href.
        #expect(paths.id("http://h/a/book/2%40x.vcf") == paths.id("/a/book/2@x.vcf"))
    }

    @Test func garbageIsAProtocolViolation() {
        #expect(throws: (any Error).self) { try MultiStatus(parsing: Data("<html>oops".utf8)) }
        #expect(throws: (any Error).self) { try MultiStatus(parsing: Data("<a xmlns='DAV:'/>".utf8)) }
    }

    @Test func versionsCarryWhatAnUpdateNeedsWithoutARead() throws {
        let plain = try VCardParser.parse("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u-1\r\nFN:A B\r\nN:B;A;;;\r\nEND:VCARD\r\n")
        let v = DAVVersion(etag: "\"x\"", card: plain)
        #expect(DAVVersion(v.remote).plain?.uid == "u-1")
        #expect(DAVVersion(v.remote).plain?.version == .v4)
        #expect(DAVVersion(v.remote).etag == "\"x\"")
        // Anything the hub does not map: the card must be read before it is rewritten.
        let rich = try VCardParser.parse("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-2\r\nFN:A B\r\nX-OTHER-APP:1\r\nEND:VCARD\r\n")
        #expect(DAVVersion(etag: "\"y\"", card: rich).plain == nil)
        #expect(DAVVersion(DAVVersion(etag: "\"y\"", card: rich).remote).etag == "\"y\"")
    }

    @Test func revisionsAreReadAsUTC() {
        #expect(CardMapping.revisionDate("20261125T143000Z") == Date(timeIntervalSince1970: 1_795_617_000))
        #expect(CardMapping.revisionDate("2026-11-25T14:30:00.5Z") == Date(timeIntervalSince1970: 1_795_617_000))
        #expect(CardMapping.revisionDate("2026-11-25") == nil)
    }
}
