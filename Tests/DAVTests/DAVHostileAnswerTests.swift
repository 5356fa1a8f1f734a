import Foundation
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import SyncModel
import TestSupport

/// A CardDAV server whose answers are built to hurt: the spoke fails cleanly, with the server and
/// request named, and the other spokes sync.
@Suite struct DAVHostileAnswerTests {
    @Test func anAnswerNested60000DeepFailsTheSpokeNotTheProcess() async throws {
        let depth = 60_000
        let deep = "<d:multistatus xmlns:d=\"DAV:\">" + String(repeating: "<d:response>", count: depth)
            + String(repeating: "</d:response>", count: depth) + "</d:multistatus>"
        // Every request is answered here: no server is reached.
        let faulty = FaultyTransport(AHCTransport.shared())
        faulty.add { r in HTTPResponse(status: 207, body: Data(deep.utf8), url: r.url) }
        let client = HTTPClient(transport: faulty, auth: .basic(user: "u", password: "p"))
        let book = URL(string: "http://dav.invalid:8080/alice/book/")!
        var hub = try HubFixture()
        try hub.add("dav", .carddav, try CardDAVSpoke(settings: CardDAVSettings(url: book), http: client))
        let memory = MemorySpoke(name: "m")
        memory.userUpsert(Contact(givenName: "Ada", familyName: "Lovelace"))
        try hub.add("m", .memory, memory)
        let run = try await hub.sync()
        #expect(run.status == .partial)
        let error = run.errors.joined(separator: "\n")
        #expect(error.contains("the server at http://dav.invalid:8080 ("), "\(error)")
        #expect(error.contains(" /alice/book/): the server sent XML that could not be read"), "\(error)")
        #expect(error.contains("the XML is nested deeper than 200 levels"), "\(error)")
        #expect(memory.count == 1)
    }
}
