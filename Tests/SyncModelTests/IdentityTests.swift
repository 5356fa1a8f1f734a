import Foundation
import Testing
@testable import SyncModel

@Suite struct IdentityTests {
    @Test func theUIDIsStoredButIsNotContent() throws {
        var c = Contact(givenName: "Ada", phones: [LabeledValue("+1 (555) 010-0100")])
        let plain = c
        c.uid = "urn:uuid:1"
        #expect(try ContactCodec.decode(ContactCodec.encode(c)) == c)
        #expect(c.rawContentHash == plain.rawContentHash)
        #expect(plain.changes(to: c).isEmpty)
        #expect(c.normalized().uid == "urn:uuid:1")
    }
}
