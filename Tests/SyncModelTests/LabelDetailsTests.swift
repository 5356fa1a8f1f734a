import Foundation
import Testing
@testable import SyncModel

/// Custom label text, the preferred flag, IM services and kinds of fax: stored, hashed and
/// normalised without changing anything for data that has none of them.
@Suite struct LabelDetailsTests {
    static let detailed = Contact(
        emails: [LabeledValue("a@x.example", label: .home, customLabel: "Cottage", preferred: true)],
        phones: [LabeledValue("+1 555 0100", label: .workFax), LabeledValue("+1 555 0101", label: .homeFax)],
        addresses: [PostalAddress(label: .home, city: "Ockham", customLabel: "Summer house", preferred: true)],
        ims: [LabeledValue("ada", service: "Signal"), LabeledValue("bob")])

    @Test func detailsSurviveTheCodec() throws {
        let c = Self.detailed.normalized()
        #expect(try ContactCodec.decode(ContactCodec.encode(c)) == c)
    }

    /// A contact stored before details existed decodes as it did, and one without details
    /// encodes to the same bytes as then (tag 22, label index, value).
    @Test func oldBytesAreStillTheBytes() throws {
        let plain = Contact(emails: [LabeledValue("a", label: .home)])
        #expect(ContactCodec.encode(plain) == [1, 22, 0, 1, 0x61])
        #expect(try ContactCodec.decode([1, 22, 3, 1, 0x61]).emails == [LabeledValue("a", label: .fax)])
        // Details name the entry before them; with none, the data is not ours.
        #expect(throws: ContactCodec.DecodingError.self) { try ContactCodec.decode([1, 33, 1]) }
        #expect(throws: ContactCodec.DecodingError.self) { try ContactCodec.decode([1, 22, 0, 1, 0x61, 33, 8]) }
    }

    /// An entry without details hashes exactly as before details existed, so no stored hash or
    /// base looks changed after an upgrade; a detail is content.
    @Test func hashIsUnchangedWithoutDetails() {
        var h = FNV1a()
        h.field(22, "home\u{1F}a@x.example")
        let plain = Contact(emails: [LabeledValue("a@x.example", label: .home)])
        #expect(plain.rawContentHash == ContentHash(h.state))
        var custom = plain
        custom.emails[0].customLabel = "Cottage"
        var pref = plain
        pref.emails[0].preferred = true
        let hashes = Set([plain, custom, pref].map(\.rawContentHash))
        #expect(hashes.count == 3)
        var service = Contact(ims: [LabeledValue("ada")])
        let before = service.rawContentHash
        service.ims[0].service = "skype"
        #expect(service.rawContentHash != before)
    }

    @Test func normalisation() {
        let n = Contact(
            emails: [LabeledValue("a@x"), LabeledValue("b@x", customLabel: " Work "), LabeledValue("c@x", customLabel: " "),
                     LabeledValue("d@x", preferred: true)],
            ims: [LabeledValue("xmpp:ada@x", service: "Jabber"), LabeledValue("bob", service: "GTalk"),
                  LabeledValue("eve", service: "Signal")]
        ).normalized()
        // Preferred first; a custom label naming a standard one is that label; blank is none.
        #expect(n.emails.map(\.value) == ["d@x", "a@x", "b@x", "c@x"])
        #expect(n.emails[2].label == .work && n.emails[2].customLabel == nil)
        #expect(n.emails[3].customLabel == nil)
        // A service the scheme says already is not kept twice; known names take one spelling.
        #expect(n.ims.map(\.service) == [nil, "googletalk", "Signal"])
        #expect(IMService.service(of: n.ims[0]) == "jabber")
        #expect(ContactLabel(naming: "Work Fax") == .workFax)
    }

    @Test func historyShowsDetails() {
        let old = Contact(phones: [LabeledValue("1", label: .fax)])
        let new = Contact(phones: [LabeledValue("1", label: .workFax, customLabel: "Desk", preferred: true)])
        #expect(old.changes(to: new).map(\.description) == ["phones: +1 (workFax, “Desk”, preferred) -1 (fax)"])
    }

    @Test func olderJSONDecodes() throws {
        let json = #"{"value":"a@x","label":"home"}"#
        #expect(try JSONDecoder().decode(LabeledValue.self, from: Data(json.utf8)) == LabeledValue("a@x", label: .home))
        let v = LabeledValue("ada", label: .workFax, customLabel: "Desk", preferred: true, service: "skype")
        #expect(try JSONDecoder().decode(LabeledValue.self, from: JSONEncoder().encode(v)) == v)
    }
}
