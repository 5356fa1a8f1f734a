import Testing

/// The fidelity corpus typed through Exchange's official client, read back from every other source.
@Suite struct FidelityFromExchangeTests {
    @Test func everySourceReadsBackWhatWasTyped() async throws {
        try await FidelityRig.roundTrip(writtenIn: .exchange, editedIn: .carddav)
    }
}
