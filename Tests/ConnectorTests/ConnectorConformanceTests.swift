import Foundation
import Testing
import ConnectorFolder
import ConnectorKit
import ConnectorMemory
import SyncModel
import TestSupport

/// What every connector must do, whatever its protocol: run against each one. Network
/// connectors join with their emulators.
struct ConnectorUnderTest: CustomStringConvertible, Sendable {
    var description: String
    var make: @Sendable () throws -> any SpokeConnector
}

let connectorsUnderTest: [ConnectorUnderTest] = [
    ConnectorUnderTest(description: "memory") { MemorySpoke(name: "m", pageSize: 3) },
    ConnectorUnderTest(description: "folder") {
        FolderSpoke(directory: try TempDir.make(), pageSize: 3)
    },
]

enum TempDir {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite struct ConnectorConformanceTests {
    @Test(arguments: connectorsUnderTest)
    func createThenListAndFind(_ cut: ConnectorUnderTest) async throws {
        try await ConnectorConformance.createThenListAndFind(try cut.make())
    }

    @Test(arguments: connectorsUnderTest)
    func updatesNeedTheCurrentVersion(_ cut: ConnectorUnderTest) async throws {
        try await ConnectorConformance.updatesNeedTheCurrentVersion(try cut.make())
    }

    @Test(arguments: connectorsUnderTest)
    func pagesCoverEveryItemOnce(_ cut: ConnectorUnderTest) async throws {
        try await ConnectorConformance.pagesCoverEveryItemOnce(try cut.make())
    }

    @Test(arguments: connectorsUnderTest)
    func everyFieldSurvives(_ cut: ConnectorUnderTest) async throws {
        try await ConnectorConformance.everyFieldSurvives(try cut.make())
    }

    @Test(arguments: connectorsUnderTest)
    func labelDetailsSurvive(_ cut: ConnectorUnderTest) async throws {
        let got = try await ConnectorConformance.labelDetailsSurvive(try cut.make())
        #expect(got?.phones.last?.customLabel == "Cottage")
        #expect(got?.websites.first?.customLabel == "Blog")
    }
}
