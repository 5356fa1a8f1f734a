import ConnectorMemory
import Emulators
import Foundation
import PIMFormats
import SyncModel

/// Who is where in the web demo: the sample people written into each emulated source, as that
/// source's own client would store them. Exchange and Google share a quarter of the people,
/// typed a little differently, so the first sync has matches to make rather than duplicates.
struct DemoPeople {
    let contacts: Int

    /// The Exchange mailbox's Contacts folder.
    var exchange: [Contact] { (0..<contacts).map(SampleContacts.person) }
    /// A subfolder of it, so the wizard has a folder to choose.
    var exchangeSuppliers: [Contact] { (3 * contacts..<(3 * contacts + 5)).map(SampleContacts.person) }

    /// Google: the shared quarter (capitals in the address, dashes in the number), then people
    /// of its own.
    var google: [Contact] {
        let shared = (0..<(contacts / 4)).map { i -> Contact in
            var c = SampleContacts.person(i)
            c.emails = c.emails.map { LabeledValue($0.value.uppercased(), label: $0.label) }
            c.phones = c.phones.map { LabeledValue($0.value.replacingOccurrences(of: " ", with: "-"), label: $0.label) }
            return c
        }
        return shared + (contacts..<(contacts + contacts / 2)).map(SampleContacts.person)
    }

    /// The CardDAV address book: a CRM's people, and three from Exchange.
    var carddav: [Contact] {
        (2 * contacts..<(2 * contacts + contacts / 4)).map(SampleContacts.person)
            + (contacts / 4..<(contacts / 4 + 3)).map(SampleContacts.person)
    }

    // MARK: Into the emulators

    static func ews(_ c: Contact) -> Emulators.EWSContact {
        var e = Emulators.EWSContact(givenName: c.givenName, surname: c.familyName, companyName: c.organization)
        e.displayName = c.formattedName
        e.jobTitle = c.title
        for (i, email) in c.emails.prefix(3).enumerated() { e.emailAddresses["EmailAddress\(i + 1)"] = email.value }
        for phone in c.phones { e.phoneNumbers[phone.label == .mobile ? "MobilePhone" : "BusinessPhone"] = phone.value }
        if let a = c.addresses.first {
            e.physicalAddresses["Business"] = EWSPhysicalAddress(street: a.street, city: a.city, postalCode: a.postalCode)
        }
        e.categories = c.categories
        e.body = c.notes
        if let b = c.birthday, let year = b.year {
            e.birthday = String(format: "%04d-%02d-%02dT11:59:00Z", year, b.month, b.day)
        }
        return e
    }

    /// People API fields of a person (what Google's own apps write).
    static func people(_ c: Contact) -> [String: JSONValue] {
        var name: [String: JSONValue] = [:]
        if let g = c.givenName { name["givenName"] = .string(g) }
        if let f = c.familyName { name["familyName"] = .string(f) }
        var fields: [String: JSONValue] = ["names": [.object(name)]]
        fields["emailAddresses"] = .array(c.emails.map { ["value": .string($0.value), "type": .string(label($0.label))] })
        fields["phoneNumbers"] = .array(c.phones.map { ["value": .string($0.value), "type": .string(label($0.label))] })
        if c.organization != nil || c.title != nil {
            var org: [String: JSONValue] = [:]
            if let o = c.organization { org["name"] = .string(o) }
            if let t = c.title { org["title"] = .string(t) }
            fields["organizations"] = [.object(org)]
        }
        if let a = c.addresses.first {
            fields["addresses"] = [["type": "work", "streetAddress": .string(a.street), "city": .string(a.city),
                                    "postalCode": .string(a.postalCode)]]
        }
        if let notes = c.notes { fields["biographies"] = [["value": .string(notes), "contentType": "TEXT_PLAIN"]] }
        return fields
    }

    private static func label(_ l: ContactLabel) -> String {
        switch l {
        case .mobile: "mobile"
        case .home: "home"
        default: "work"
        }
    }

    /// A vCard 3.0, named by its UID (what a CardDAV client PUTs).
    static func vcard(_ c: Contact, uid: String) -> String {
        VCardWriter.write(VCard(version: .v3, uid: uid, contact: c))
    }
}
