import Testing

/// The fidelity corpus typed through Google's official client, read back from every other source.
@Suite struct FidelityFromGoogleTests {
    @Test func everySourceReadsBackWhatWasTyped() async throws {
        try await FidelityRig.roundTrip(writtenIn: .google, editedIn: .exchange)
    }
}
