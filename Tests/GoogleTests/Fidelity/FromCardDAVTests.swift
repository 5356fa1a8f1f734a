import Testing

/// The fidelity corpus typed through CardDAV's official client, read back from every other source.
@Suite struct FidelityFromCardDAVTests {
    @Test func everySourceReadsBackWhatWasTyped() async throws {
        try await FidelityRig.roundTrip(writtenIn: .carddav, editedIn: .google)
    }
}
