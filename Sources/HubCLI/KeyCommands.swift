import ArgumentParser
import Foundation
import Secrets
import SyncStore

/// `hubsync key`: the key that seals spoke passwords and tokens (outside the database).
struct KeyGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Manage the key that seals stored passwords and tokens.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal every stored password and token with a new key; the previous key is kept as hubsync.key.old.",
            discussion: "Stop `hubsync serve` and workers first (or restart them after): they hold the key they started "
                + "with. A backup of the database taken before the rotation opens only with the previous key.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            // Any store that can seal its secrets anew in one transaction (SQLite today).
            let opened: Any = try global.openStore()
            guard let store = opened as? any SecretResealing else {
                throw CLIError("this database cannot rotate its key yet")
            }
            let rotation = KeyRotation(keyFile: global.keyFile)
            let boxes = try rotation.prepare()
            // One transaction: every secret sealed anew, or none (the next key stays beside the
            // key, and running this again finishes the rotation).
            let count = try store.resealSecrets(boxes.reseal)
            try rotation.finish()
            Console.line("sealed \(count) stored secret\(count == 1 ? "" : "s") with a new key (\(rotation.keyFile.path))")
            Console.line("the previous key is kept as \(rotation.previous.path): delete it once no backup of the database from before now is needed")
            Console.line("restart `hubsync serve` and workers that are running: they hold the previous key")
        }
    }
}
