import Foundation
import SyncModel
@testable import PIMFormats

enum Sample {
    static let photo = Photo(data: Data((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7) }), mediaType: "image/png")

    /// Every field populated, with the characters that need escaping, non-ASCII text and every label.
    static var fullContact: Contact {
        let labels = ContactLabel.allCases
        return Contact(
            namePrefix: "Dr.", givenName: "Jöhn", middleName: "Quincy, Jr", familyName: "Smith; O'Neil",
            nameSuffix: "III", nickname: "Johnny, J", displayName: "Dr. J — The Boss",
            organization: "Acme; Inc.", department: "R&D, Labs", title: "Chief \"Tester\" \\ QA",
            birthday: PartialDate(year: 1980, month: 2, day: 29), anniversary: PartialDate(year: nil, month: 6, day: 5),
            notes: "Line one\nLine two, with comma; semicolon \\ backslash\n日本語のメモ 🎉 — done",
            emails: labels.map { LabeledValue("\($0.rawValue)@example.com", label: $0, preferred: $0 == labels[0]) },
            phones: labels.enumerated().map {
                LabeledValue("+1 555 010\($0.offset)", label: $0.element, customLabel: $0.element == .other ? "Cottage" : nil)
            },
            addresses: [
                PostalAddress(
                    label: .work, poBox: "PO 7", extended: "Suite 5", street: "1 Main St; Bldg 2",
                    city: "Zürich", region: "ZH", postalCode: "8001", country: "Schweiz"),
                PostalAddress(label: .home, street: "Elm, 3", city: "Springfield", country: "USA",
                              customLabel: "Summer, house"),
            ],
            websites: [LabeledValue("https://example.com/a,b;c?x=1", label: .work), LabeledValue("https://j.example")],
            ims: [LabeledValue("xmpp:john@jabber.example", label: .home), LabeledValue("skype:live:john.smith"),
                  LabeledValue("john.signal", service: "Signal")],
            categories: ["Friends", "Work, Stuff", "VIP"],
            photo: photo,
            custom: [
                "X-FOO": "bar", "Region": "EMEA; North", "X-Weird Key": "v", "X-AIM": "not an IM",
                "x-lower": "line\nbreak", "Spouse \"name\"": "Jane, Doe",
            ])
    }

    static var fullCard: VCard {
        VCard(
            version: .v3, uid: "urn:uuid:6f1d3c2a-1111-4a4a-9b9b-123456789abc", revision: "20240115T102030Z",
            contact: fullContact)
    }
}

func parseOne(_ text: String) throws -> VCard { try VCardParser.parse(text) }

/// The physical lines of written output (without their CRLF).
func physicalLines(_ s: String) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var cur: [UInt8] = []
    let b = Array(s.utf8)
    var i = 0
    while i < b.count {
        if b[i] == 0x0D, i + 1 < b.count, b[i + 1] == 0x0A {
            lines.append(cur)
            cur = []
            i += 2
        } else {
            cur.append(b[i])
            i += 1
        }
    }
    if !cur.isEmpty { lines.append(cur) }
    return lines
}
