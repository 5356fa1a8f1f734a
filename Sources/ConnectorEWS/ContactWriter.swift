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
        if let extra = s.extras["AssistantName"] { x += "<t:AssistantName>\(esc(extra))</t:AssistantName>" }
        if let b = s.birthday { x += "<t:Birthday>\(EWSDate.write(b))</t:Birthday>" }
        if let v = s.text[.businessHomePage] { x += "<t:BusinessHomePage>\(esc(v))</t:BusinessHomePage>" }
        if let v = s.text[.department] { x += "<t:Department>\(esc(v))</t:Department>" }
        if let v = s.text[.generation] { x += "<t:Generation>\(esc(v))</t:Generation>" }
        if !s.ims.isEmpty { x += "<t:ImAddresses>\(entries(s.ims, EWSContact.imKeys))</t:ImAddresses>" }
        if let v = s.text[.jobTitle] { x += "<t:JobTitle>\(esc(v))</t:JobTitle>" }
        for key in ["Manager", "OfficeLocation", "Profession", "SpouseName"] {
            if let v = s.extras[key] { x += "<t:\(key)>\(esc(v))</t:\(key)>" }
        }
        if let v = s.text[.surname] { x += "<t:Surname>\(esc(v))</t:Surname>" }
        if let a = s.anniversary { x += "<t:WeddingAnniversary>\(EWSDate.write(a))</t:WeddingAnniversary>" }
        return x + "</t:Contact>"
    }

    /// Every mapped property set to the new value or deleted, so the item ends as `s` says.
    /// Properties HubSync does not map stay as they are; extras are only ever set.
    static func changes(_ s: EWSContact) -> String {
        var x = ""
        func simple(_ uri: String, _ value: String?) {
            if let value {
                x += #"<t:SetItemField><t:FieldURI FieldURI="\#(uri)"/><t:Contact>\#(value)</t:Contact></t:SetItemField>"#
            } else {
                x += #"<t:DeleteItemField><t:FieldURI FieldURI="\#(uri)"/></t:DeleteItemField>"#
            }
        }
        func text(_ p: P) {
            simple("contacts:\(p.rawValue)", s.text[p].map { "<t:\(p.rawValue)>\(esc($0))</t:\(p.rawValue)>" })
        }
        simple("item:Body", s.text[.body].map { #"<t:Body BodyType="Text">\#(esc($0))</t:Body>"# })
        simple("item:Categories", s.categories.isEmpty ? nil : "<t:Categories>\(strings(s.categories))</t:Categories>")
        extended(&x, ExtendedProperty.prefix, s.text[.prefix])
        simple("contacts:FileAs", "<t:FileAs>\(esc(fileAs(s)))</t:FileAs>")
        for p in [P.displayName, .givenName, .middleName, .nickname, .companyName, .businessHomePage, .department,
                  .generation, .jobTitle, .surname] {
            text(p)
        }
        simple("contacts:Birthday", s.birthday.map { "<t:Birthday>\(EWSDate.write($0))</t:Birthday>" })
        simple("contacts:WeddingAnniversary",
               s.anniversary.map { "<t:WeddingAnniversary>\(EWSDate.write($0))</t:WeddingAnniversary>" })
        for (key, value) in s.extras.sorted(by: { $0.key < $1.key }) {
            simple("contacts:\(key)", "<t:\(key)>\(esc(value))</t:\(key)>")
        }
        indexed(&x, "contacts:EmailAddress", "EmailAddresses", EWSContact.emailKeys, s.emails)
        indexed(&x, "contacts:PhoneNumber", "PhoneNumbers", EWSContact.phoneOrder, s.phones)
        indexed(&x, "contacts:ImAddress", "ImAddresses", EWSContact.imKeys, s.ims)
        for (key, _) in EWSContact.addressKeys {
            let a = s.addresses[key]
            for (part, value) in [("Street", a?.street), ("City", a?.city), ("State", a?.region),
                                  ("CountryOrRegion", a?.country), ("PostalCode", a?.postalCode)] {
                let uri = #"<t:IndexedFieldURI FieldURI="contacts:PhysicalAddress:\#(part)" FieldIndex="\#(key)"/>"#
                if let value, !value.isEmpty {
                    x += "<t:SetItemField>\(uri)<t:Contact><t:PhysicalAddresses><t:Entry Key=\"\(key)\"><t:\(part)>"
                        + "\(esc(value))</t:\(part)></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>"
                } else {
                    x += "<t:DeleteItemField>\(uri)</t:DeleteItemField>"
                }
            }
        }
        return x
    }

    private static func indexed(_ x: inout String, _ uri: String, _ list: String, _ keys: [String], _ values: [String: String]) {
        for key in keys {
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
