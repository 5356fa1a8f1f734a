import ArgumentParser
import Foundation
import SyncModel
import PIMFormats

/// `hubsync export`: every live contact of a hub as one vCard file, a backup any address book
/// can import.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a hub's contacts as vCards (a backup).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Hub id or name.") var hub: String
    @Option(help: "The file to write (default: standard output).") var out: String?
    @Option(help: "vCard version: 3.0 or 4.0.") var vcard: String = VCardVersion.v3.rawValue

    func validate() throws {
        if VCardVersion(rawValue: vcard) == nil { throw ValidationError("--vcard takes 3.0 or 4.0") }
    }

    func run() async throws {
        let ctx = try global.context()
        let h = try ctx.hub(hub)
        let version = VCardVersion(rawValue: vcard) ?? .v3
        let items = try ctx.store.liveItems(hub: h.id)
        // The item id as UID: importing the file twice updates instead of duplicating.
        let text = items.map { VCardWriter.write(VCard(version: version, uid: $0.id.rawValue, contact: $0.contact)) }
            .joined()
        if let out {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            Console.line("wrote \(items.count) contacts to \(out)")
        } else {
            // To a terminal, contact text must not run as escape sequences; to a pipe, the file as is.
            Console.current.write(Console.current.isTerminal
                ? DisplayText.neutralised(text.replacingOccurrences(of: "\r\n", with: "\n")) : text)
        }
    }
}
