import ArgumentParser
import Foundation
import SyncModel
import PIMFormats

/// `hubsync export`: a hub's live items as one file any address book or calendar can import,
/// a backup. A contacts hub writes vCards; a calendar hub one `.ics` with every series.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a hub's contacts as vCards, or its calendar as one .ics (a backup).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Hub id or name.") var hub: String
    @Option(help: "The file to write (default: standard output).") var out: String?
    @Option(help: "Contacts hubs: vCard version, 3.0 or 4.0 (default 3.0).") var vcard: String?
    @Option(help: "What the hub must hold: contacts or calendar (a check; the hub's kind decides the format).")
    var object: ObjectKind?

    func validate() throws {
        if let vcard, VCardVersion(rawValue: vcard) == nil { throw ValidationError("--vcard takes 3.0 or 4.0") }
    }

    func run() async throws {
        let ctx = try global.context()
        let h = try ctx.hub(hub)
        if let object, object != h.objectKind {
            throw CLIError("hub \(h.id) holds \(h.objectKind), not \(object)")
        }
        let (text, count): (String, String)
        switch h.objectKind {
        case .contacts:
            let version = vcard.flatMap(VCardVersion.init(rawValue:)) ?? .v3
            let items = try ctx.store.liveItems(hub: h.id)
            // The item id as UID: importing the file twice updates instead of duplicating.
            text = items.map { VCardWriter.write(VCard(version: version, uid: $0.id.rawValue, contact: $0.contact)) }.joined()
            count = "\(items.count) contacts"
        case .calendar:
            if vcard != nil { throw CLIError("--vcard is for contacts hubs; hub \(h.id) holds calendar events") }
            let items = try ctx.store.liveItems(Event.self, hub: h.id)
            text = Self.calendar(items.map(\.item), name: h.name, now: Date())
            count = "\(items.count) events"
        }
        if let out {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            Console.line("wrote \(count) to \(out)")
        } else {
            // To a terminal, item text must not run as escape sequences; to a pipe, the file as is.
            Console.current.write(Console.current.isTerminal
                ? DisplayText.neutralised(text.replacingOccurrences(of: "\r\n", with: "\n")) : text)
        }
    }

    /// One VCALENDAR with every series under its own UID (importing it twice updates the same
    /// events, and invitations keep their identity), the VTIMEZONEs they use and the hub's name;
    /// nobody is scheduled on import (ICalWriter.export).
    static func calendar(_ events: [Event], name: String, now: Date) -> String {
        let stamp = CivilDateTime(secondsSinceEpoch: Int(now.timeIntervalSince1970))
        return ICalWriter.export(events.sorted { $0.uid < $1.uid },
                                 properties: [EventProperty(name: "X-WR-CALNAME", value: text(name))],
                                 stampIfMissing: stamp)
    }

    /// An iCalendar TEXT value (RFC 5545 §3.3.11).
    static func text(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }
}
