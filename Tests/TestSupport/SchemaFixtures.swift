import Foundation
import SyncModel

/// Contacts that touch every field, every codec tag and every normalisation rule: the fixtures
/// of the byte-identity pins that keep stored data and content hashes as old databases hold them.
public enum SchemaFixtures {
    /// Every field and every codec tag (label details, uid, extensions, held forms) at once.
    public static let everything: Contact = {
        var c = Contact(
            namePrefix: "Lady", givenName: "Ada", middleName: "King", familyName: "Lovelace", nameSuffix: "I",
            nickname: "Enchantress", displayName: "Ada Lovelace", organization: "Analytical Engines",
            department: "Maths", title: "Countess", birthday: PartialDate(year: 1815, month: 12, day: 10),
            anniversary: PartialDate(year: nil, month: 7, day: 8), notes: "Line 1\nLine 2 — ünïcødé",
            emails: [LabeledValue("ada@example.com", label: .work),
                     LabeledValue("a@x.example", label: .home, customLabel: "Cottage", preferred: true)],
            phones: [LabeledValue("+44 20 7946 0958", label: .mobile), LabeledValue("+1 555 0100", label: .workFax)],
            addresses: [
                PostalAddress(label: .home, poBox: "PO 1", extended: "Flat 2", street: "12 St James's Square",
                              city: "London", region: "Greater London", postalCode: "SW1Y 4JH", country: "UK"),
                PostalAddress(label: .other, city: "Ockham", customLabel: "Summer house", preferred: true),
            ],
            websites: [LabeledValue("https://ada.example", label: .home),
                       LabeledValue("https://b.example", preferred: true)],
            ims: [LabeledValue("xmpp:ada@j.example", label: .work), LabeledValue("ada", service: "signal")],
            categories: ["VIP", "Friends"],
            photo: Photo(data: Data([0, 1, 2, 0xFF, 0x80]), mediaType: "image/png"),
            custom: ["Region": "EU", "Tier": "gold"])
        c.extensions = ["X-ABC:1", "GENDER:F"]
        c.uid = "urn:uuid:ada"
        c.heldForms = ["phone:+442079460958": "+44 20 7946 0958"]
        return c
    }()

    /// What normalisation trims, drops, merges and reorders, one of each.
    public static let messy: Contact = {
        var c = Contact(
            namePrefix: " ", givenName: "  Ada ", familyName: "Lovelace\n", nickname: "", title: "\tCountess",
            birthday: PartialDate(year: 2001, month: 2, day: 29), anniversary: PartialDate(year: nil, month: 2, day: 29),
            notes: " note ",
            emails: [LabeledValue(" ada@example.com "), LabeledValue("ADA@EXAMPLE.COM", label: .work),
                     LabeledValue("b@x", customLabel: " Work "), LabeledValue("c@x", customLabel: " "),
                     LabeledValue("d@x", preferred: true), LabeledValue("   ")],
            phones: [LabeledValue("+1 (555) 010-2030", label: .mobile), LabeledValue("+15550102030"),
                     LabeledValue("n/a"), LabeledValue("１２３", label: .home)],
            addresses: [PostalAddress(label: .home, street: " 1 Main St ", city: "Springfield"),
                        PostalAddress(label: .work, street: "1 main st", city: "SPRINGFIELD"),
                        PostalAddress(label: .work, country: " "),
                        PostalAddress(label: .other, city: "Ockham", customLabel: "home", preferred: true)],
            websites: [LabeledValue(" https://a.example "), LabeledValue("HTTPS://A.EXAMPLE"), LabeledValue("  ")],
            ims: [LabeledValue("xmpp:ada@x", service: "Jabber"), LabeledValue("ada@x"),
                  LabeledValue("bob", service: "GTalk"), LabeledValue("eve", service: " Signal ")],
            categories: [" VIP", "vip", "Friends ", ""],
            photo: Photo(data: Data()),
            custom: [" Region ": " EU ", "": "x", "Empty": " "])
        c.extensions = [" X-A:1", "X-A:1", "", "X-B:2"]
        c.uid = "  uid-1 "
        return c
    }()
}

extension SchemaFixtures {
    /// `everything` with every field changed another way: against it, every field conflicts.
    public static let edited: Contact = {
        var c = everything
        for f in TextField.allCases { c[keyPath: f.keyPath] = "edited \(f.rawValue)" }
        c.birthday = PartialDate(year: 1816, month: 1, day: 2)
        c.anniversary = nil
        c.emails[0].label = .home
        c.emails.append(LabeledValue("new@example.com"))
        c.phones[1].value = "+1 555 0199"
        c.addresses[0].city = "Paris"
        c.websites.removeFirst()
        c.ims[1].service = "skype"
        c.categories = ["vip", "Family"]
        c.photo = Photo(data: Data([9]), mediaType: "image/jpeg")
        c.extensions = ["X-ABC:2"]
        c.custom = ["Region": "US", "Zone": "1"]
        c.uid = "urn:uuid:other"
        return c
    }()

    /// A source with one email slot, no photo, upper-case titles and no label text.
    @Sendable public static func narrow(_ c: Contact) -> Contact {
        var c = c
        c.emails = Array(c.emails.prefix(1)).map { var v = $0; v.label = .other; v.customLabel = nil; return v }
        c.photo = nil
        c.title = c.title?.uppercased()
        c.addresses = c.addresses.map { var a = $0; a.customLabel = nil; a.preferred = false; return a }
        c.categories = Array(c.categories.prefix(1))
        return c
    }
}
