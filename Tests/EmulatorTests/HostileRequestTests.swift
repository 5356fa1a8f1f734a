import Emulators
import Foundation
import Testing

/// The emulators read every request within limits: a hostile body is refused, never a crash.
@Suite struct HostileRequestTests {
    @Test func aDeeplyNestedXMLRequestIsRefused() {
        let depth = 60_000
        let data = Data((String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)).utf8)
        let error = #expect(throws: XMLTreeError.self) { try XMLTree.parse(data) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("nested deeper than \(XMLTree.maxDepth) levels"))
    }

    @Test func aDeeplyNestedJSONBodyIsRefused() {
        let deep = Data((String(repeating: "[", count: 60_000) + String(repeating: "]", count: 60_000)).utf8)
        #expect(JSONValue.parse(deep) == nil)
        let fine = Data(("{\"a\":" + String(repeating: "[", count: 30) + "\"]\"" + String(repeating: "]", count: 30) + "}").utf8)
        #expect(JSONValue.parse(fine) != nil)
    }

    @Test func theEWSEmulatorAnswersADeepEnvelopeWithAFaultAndKeepsServing() async throws {
        let fx = try await EWSFixture.start()
        let op = String(repeating: "<t:X>", count: 60_000) + String(repeating: "</t:X>", count: 60_000)
        let deep = try await fx.soap(op)
        #expect(deep.status >= 400 || deep.body.contains("Fault"))
        let ok = try await fx.soap("<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
            + "<m:FolderIds><t:DistinguishedFolderId Id=\"contacts\"/></m:FolderIds></m:GetFolder>")
        #expect(ok.status == 200)
        await fx.emulator.stop()
    }
}
