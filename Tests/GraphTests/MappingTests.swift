import Testing
@testable import ConnectorGraph
import SyncModel

@Suite struct GraphMappingTests {
    @Test func placeholder() { #expect(ContactMapping.maxEmails == 3) }
}
