import Foundation
import Testing
import TestSupport

extension FidelityRig {
    /// The raw field each kind keeps a note in.
    static let noteField: [Kind: String] = [.exchange: "raw body", .google: "raw biographies", .carddav: "raw NOTE", .folder: "raw NOTE"]

    /// The corpus goes in through `writer`'s official client, through the hub, out to every
    /// other source, and is read back through each one's client: every changed field is listed,
    /// and only those a source cannot hold (`Fidelity.cannotHold`) are allowed. Then one note is
    /// edited in `editor` and, after a sync, every other field in every source is byte-identical.
    static func roundTrip(writtenIn writer: Kind, editedIn editor: Kind) async throws {
        try await with { rig in
            let typed = try #require(try await rig.run(["write:\(writer)", "dump"]).first?[writer])
            #expect(typed.count == 4, "the corpus as \(writer) holds it: \(typed.map { $0.given ?? "?" })")
            #expect(try await rig.hub.sync().status == .succeeded)
            #expect(try await rig.hub.sync().status == .succeeded)
            let note = "Edited in \(editor): 🎼 nine\nsymphonies"
            let dumps = try await rig.run(["dump", "edit:\(editor):Ludwig:\(note)", "dump"])
            try #require(dumps.count == 2)
            let (synced, edited) = (dumps[0], dumps[1])

            var report: [String] = []
            for kind in Kind.allCases {
                let got = synced[kind] ?? []
                if kind == writer {
                    // Where it was typed, nothing was rewritten: every field byte for byte.
                    let rewritten = Fidelity.rawChanges(before: typed, after: got, in: kind)
                    #expect(rewritten.isEmpty, "the hub rewrote \(writer):\n\(rewritten.map(\.description).joined(separator: "\n"))")
                    continue
                }
                let (changes, missing) = Fidelity.changes(typed: typed, from: writer, readBack: got, in: kind)
                #expect(missing.isEmpty, "\(kind) lacks \(missing)")
                #expect(got.count == typed.count, "\(kind) holds \(got.count) contacts")
                let allowed = Fidelity.cannotHold[kind] ?? [:]
                for c in changes {
                    report.append("\(c)  [\(allowed[c.field] ?? "NOT ALLOWED")]")
                }
                let unexpected = changes.filter { allowed[$0.field] == nil }
                #expect(unexpected.isEmpty, "from \(writer), changed in \(kind):\n\(unexpected.map(\.description).joined(separator: "\n"))")
            }
            print("fidelity report, written in \(writer) (fields that changed):\n" + report.joined(separator: "\n"))

            // The unrelated edit: only that note moves, in every source.
            #expect(try await rig.hub.sync().status == .succeeded)
            let after = try #require(try await rig.run(["dump"]).first)
            for kind in Kind.allCases {
                let moved = Fidelity.rawChanges(before: edited[kind] ?? [], after: after[kind] ?? [], in: kind)
                    .filter { !($0.contact == "Ludwig" && $0.field == noteField[kind]) }
                #expect(moved.isEmpty, "after a note edited in \(editor), \(kind) changed:\n\(moved.map(\.description).joined(separator: "\n"))")
                #expect(after[kind]?.first { $0.given == "Ludwig" }?.note == note, "\(kind) has the edited note")
            }
            let calm = try await rig.hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 && $0.pushedCreates == 0 },
                    "a sync after the edit settled still wrote: \(calm.stats)")
        }
    }
}
