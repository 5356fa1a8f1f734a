import Foundation
import SyncModel

/// `t:Contact` bodies for CreateItem and the field changes of UpdateItem, in the element order
/// the EWS schema demands.
enum ContactWriter {
    private static func esc(_ s: String) -> String { SOAP.esc(s) }
    private typealias P = EWSContact.TextProperty

    /// A whole new contact. The marker makes a retried create findable.
    static func create(_ s: EWSContact, marker: String) -> String {
        var x = "<t:Contact>"
        if let body = s.text[.body] { x += #"<t:Body BodyType="Text">\#(esc(body))</t:Body>"# }
        if !s.categories.isEmpty { x += "<t:Categories>\(strings(s.categories))</t:Categories>" }
        x += "<t:ExtendedProperty>\(ExtendedProperty.marker.xml)<t:Value>\(esc(marker))</t:Value></t:ExtendedProperty>"
        if let prefix = s.text[.prefix] {
            x += "<t:ExtendedProperty>\(ExtendedProperty.prefix.xml)<t:Value>\(esc(prefix))</t:Value></t:ExtendedProperty>"
        }
        x += "<t:FileAs>\(esc(fileAs(s)))</t:FileAs>"
        for p in [P.displayName, .givenName, .middleName, .nickname, .companyName] {
            if let v = s.text[p] { x += "<t:\(p.rawValue)>\(esc(v))</t:\(p.rawValue)>" }
        }
        if !s.emails.isEmpty { x += "<t:EmailAddresses>\(entries(s.emails, EWSContact.emailKeys))</t:EmailAddresses>" }
        if !s.addresses.isEmpty {
            x += "<t:PhysicalAddresses>"
            for (key, _) in EWSContact.addressKeys { if let a = s.addresses[key] { x += address(key, a) } }
            x += "</t:PhysicalAddresses>"
        }
        if !s.phones.isEmpty { x += "<t:PhoneNumbers>\(entries(s.phones, EWSContact.phoneOrder))</t:PhoneNumbers>" }
        if let extra = s.extras["AssistantName"], !extra.isEmpty { x += "<t:AssistantName>\(esc(extra))</t:AssistantName>" }
        if let b = s.birthday { x += "<t:Birthday>\(EWSDate.write(b))</t:Birthday>" }
        if let v = s.text[.businessHomePage] { x += "<t:BusinessHomePage>\(esc(v))</t:BusinessHomePage>" }
        if let v = s.text[.department] { x += "<t:Department>\(esc(v))</t:Department>" }
        if let v = s.text[.generation] { x += "<t:Generation>\(esc(v))</t:Generation>" }
        if !s.ims.isEmpty { x += "<t:ImAddresses>\(entries(s.ims, EWSContact.imKeys))</t:ImAddresses>" }
        if let v = s.text[.jobTitle] { x += "<t:JobTitle>\(esc(v))</t:JobTitle>" }
        for key in ["Manager", "OfficeLocation", "Profession", "SpouseName"] {
            if let v = s.extras[key], !v.isEmpty { x += "<t:\(key)>\(esc(v))</t:\(key)>" }
        }
        if let v = s.text[.surname] { x += "<t:Surname>\(esc(v))</t:Surname>" }
        if let a = s.anniversary { x += "<t:WeddingAnniversary>\(EWSDate.write(a))</t:WeddingAnniversary>" }
        return x + "</t:Contact>"
    }

    /// The field changes that turn `old` (the item as Exchange holds it) into `s`: only the
    /// properties, and of indexed ones only the slots, whose value differs, so what nobody changed
    /// stays byte-identical. Properties HubSync does not map stay as they are; extras are set, or
    /// deleted when mapped and cleared (empty). Empty when the item already holds `s`.
    static func changes(_ s: EWSContact, from old: EWSContact) -> String {
        var x = ""
        func simple(_ uri: String, _ value: String?) {
            if let value {
                x += #"<t:SetItemField><t:FieldURI FieldURI="\#(uri)"/><t:Contact>\#(value)</t:Contact></t:SetItemField>"#
            } else {
                x += #"<t:DeleteItemField><t:FieldURI FieldURI="\#(uri)"/></t:DeleteItemField>"#
            }
        }
        func text(_ p: P) {
            guard s.text[p] != old.text[p] else { return }
            simple("contacts:\(p.rawValue)", s.text[p].map { "<t:\(p.rawValue)>\(esc($0))</t:\(p.rawValue)>" })
        }
        if s.text[.body] != old.text[.body] {
            simple("item:Body", s.text[.body].map { #"<t:Body BodyType="Text">\#(esc($0))</t:Body>"# })
        }
        if s.categories != old.categories {
            simple("item:Categories", s.categories.isEmpty ? nil : "<t:Categories>\(strings(s.categories))</t:Categories>")
        }
        if s.text[.prefix] != old.text[.prefix] { extended(&x, ExtendedProperty.prefix, s.text[.prefix]) }
        if fileAs(s) != fileAs(old) { simple("contacts:FileAs", "<t:FileAs>\(esc(fileAs(s)))</t:FileAs>") }
        for p in [P.displayName, .givenName, .middleName, .nickname, .companyName, .businessHomePage, .department,
                  .generation, .jobTitle, .surname] {
            text(p)
        }
        if s.birthday != old.birthday {
            simple("contacts:Birthday", s.birthday.map { "<t:Birthday>\(EWSDate.write($0))</t:Birthday>" })
        }
        if s.anniversary != old.anniversary {
            simple("contacts:WeddingAnniversary",
                   s.anniversary.map { "<t:WeddingAnniversary>\(EWSDate.write($0))</t:WeddingAnniversary>" })
        }
        // Extras are set when mapped, deleted when mapped and cleared (empty), else left alone.
        for (key, value) in s.extras.sorted(by: { $0.key < $1.key }) where old.extras[key] != value {
            if value.isEmpty {
                if old.extras[key] != nil { simple("contacts:\(key)", nil) }
            } else {
                simple("contacts:\(key)", "<t:\(key)>\(esc(value))</t:\(key)>")
            }
        }
        indexed(&x, "contacts:EmailAddress", "EmailAddresses", EWSContact.emailKeys, s.emails, old.emails)
        indexed(&x, "contacts:PhoneNumber", "PhoneNumbers", EWSContact.phoneOrder, s.phones, old.phones)
        indexed(&x, "contacts:ImAddress", "ImAddresses", EWSContact.imKeys, s.ims, old.ims)
        for (key, _) in EWSContact.addressKeys {
            let a = s.addresses[key], was = old.addresses[key]
            for (part, value, before) in [("Street", a?.street, was?.street), ("City", a?.city, was?.city),
                                          ("State", a?.region, was?.region),
                                          ("CountryOrRegion", a?.country, was?.country),
                                          ("PostalCode", a?.postalCode, was?.postalCode)] {
                let new = value.flatMap { $0.isEmpty ? nil : $0 }, had = before.flatMap { $0.isEmpty ? nil : $0 }
                guard new != had else { continue }
                let uri = #"<t:IndexedFieldURI FieldURI="contacts:PhysicalAddress:\#(part)" FieldIndex="\#(key)"/>"#
                if let new {
                    x += "<t:SetItemField>\(uri)<t:Contact><t:PhysicalAddresses><t:Entry Key=\"\(key)\"><t:\(part)>"
                        + "\(esc(new))</t:\(part)></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>"
                } else {
                    x += "<t:DeleteItemField>\(uri)</t:DeleteItemField>"
                }
            }
        }
        return x
    }

    private static func indexed(
        _ x: inout String, _ uri: String, _ list: String, _ keys: [String], _ values: [String: String],
        _ old: [String: String]
    ) {
        for key in keys where values[key] != old[key] {
            let field = #"<t:IndexedFieldURI FieldURI="\#(uri)" FieldIndex="\#(key)"/>"#
            if let v = values[key] {
                x += "<t:SetItemField>\(field)<t:Contact><t:\(list)><t:Entry Key=\"\(key)\">\(esc(v))</t:Entry>"
                    + "</t:\(list)></t:Contact></t:SetItemField>"
            } else {
                x += "<t:DeleteItemField>\(field)</t:DeleteItemField>"
            }
        }
    }

    private static func extended(_ x: inout String, _ p: ExtendedProperty, _ value: String?) {
        if let value {
            x += "<t:SetItemField>\(p.xml)<t:Contact><t:ExtendedProperty>\(p.xml)<t:Value>\(esc(value))</t:Value>"
                + "</t:ExtendedProperty></t:Contact></t:SetItemField>"
        } else {
            x += "<t:DeleteItemField>\(p.xml)</t:DeleteItemField>"
        }
    }

    private static func entries(_ values: [String: String], _ order: [String]) -> String {
        order.compactMap { key in values[key].map { "<t:Entry Key=\"\(key)\">\(esc($0))</t:Entry>" } }.joined()
    }

    private static func strings(_ values: [String]) -> String {
        values.map { "<t:String>\(esc($0))</t:String>" }.joined()
    }

    private static func address(_ key: String, _ a: PostalAddress) -> String {
        var x = "<t:Entry Key=\"\(key)\">"
        for (part, value) in [("Street", a.street), ("City", a.city), ("State", a.region),
                              ("CountryOrRegion", a.country), ("PostalCode", a.postalCode)] where !value.isEmpty {
            x += "<t:\(part)>\(esc(value))</t:\(part)>"
        }
        return x + "</t:Entry>"
    }

    /// How Outlook files the card: "Surname, Given", else the display name or company.
    static func fileAs(_ s: EWSContact) -> String {
        let name = [s.text[.surname], s.text[.givenName]].compactMap { $0 }.joined(separator: ", ")
        return name.isEmpty ? s.text[.displayName] ?? s.text[.companyName] ?? s.emails["EmailAddress1"] ?? "" : name
    }
}
