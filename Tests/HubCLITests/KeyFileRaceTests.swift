import Foundation
import Secrets
import Synchronization
import Testing

/// Processes starting together with no key file yet (a fleet of workers): each gets the same
/// key, none reads a half-written file (this failed `WorkerFleetTests`: "is not a HubSync key").
struct KeyFileRaceTests {
    @Test func loadersStartingTogetherShareOneKey() throws {
        for _ in 0..<20 {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-key-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let keyFile = dir.appendingPathComponent("hubsync.key")
            let boxes = Mutex<[Result<SecretBox, any Error>]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                let box = Result { try SecretBox.load(keyFile: keyFile, environment: [:]) }
                boxes.withLock { $0.append(box) }
            }
            let loaded = try boxes.withLock { $0 }.map { try $0.get() }
            let sealed = try loaded[0].seal("secret")
            for box in loaded { #expect(try box.open(sealed) == "secret") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["hubsync.key"])
        }
    }
}
