import Foundation
import SyncModel

/// Contacts: the field mapping by text field and custom name, display forms of emails and
/// phones, the contact filter, matching by email, phone and name.
extension Contact: CoreItem {
    public var categoryList: [String] {
        get { categories }
        set { categories = newValue }
    }
    public static var categoriesField: ContactField { .categories }

    public static func mappedToHub(_ spoke: Contact, _ mappings: [FieldMapping]) -> Contact {
        var c = spoke
        c.custom = [:]
        for fm in mappings {
            switch fm.spokeField {
            case .text(let f):
                c[keyPath: f.keyPath] = nil
                if let v = spoke[keyPath: f.keyPath] { c.custom[fm.hubField] = v }
            case .custom(let name):
                if let v = spoke.custom[name] { c.custom[fm.hubField] = v }
            }
        }
        return c
    }

    public static func mappedToSpoke(_ hub: Contact, _ mappings: [FieldMapping]) -> Contact {
        var c = hub
        c.custom = [:]
        for fm in mappings {
            let v = hub.custom[fm.hubField]
            switch fm.spokeField {
            case .text(let f): c[keyPath: f.keyPath] = v
            case .custom(let name): c.custom[name] = v
            }
        }
        return c
    }

    public static func clearMapped(_ item: inout Contact, _ mappings: [FieldMapping]) {
        for fm in mappings {
            if case .custom(let name) = fm.spokeField, item.custom[name] == nil { item.custom[name] = "" }
        }
    }

    public static func carriesByMapping(_ field: ContactField, _ mappings: [FieldMapping]) -> Bool? {
        switch field {
        case .custom(let name):
            return mappings.contains { $0.hubField == name }
        case .text(let f):
            return mappings.contains { if case .text(f) = $0.spokeField { true } else { false } } ? false : nil
        default:
            return nil
        }
    }

    public static func restrictMapped(_ out: inout Contact, spoke: Contact, hub: Contact, carries: (ContactField) -> Bool) {
        out.custom = hub.custom.filter { !carries(.custom($0.key)) }
        for (k, v) in spoke.custom where carries(.custom(k)) { out.custom[k] = v }
    }

    public static func agreed(_ spoke: Contact, base: Contact?, hub: Contact) -> Contact {
        DisplayForms.agreed(spoke, base: base, hub: hub)
    }
    public static func base(after hub: Contact, base: Contact) -> Contact { DisplayForms.base(after: hub, base: base) }
    public static func written(_ base: Contact) -> Contact { DisplayForms.written(base) }

    public func admitted(by filter: SpokeFilter) -> Bool { filter.admits(self) }

    public static func matchKeys(_ c: Contact) -> [String] {
        c.emails.map { "e:" + Normalize.key(email: $0) } + Matcher.phoneKeys(c).map { "p:" + $0 }
            + (Matcher.nameKey(c).map { ["n:" + $0] } ?? [])
    }
    public static func matchScore(_ a: Contact, _ b: Contact) -> Int { Matcher.score(a, b) }
    public static func identityVeto(_ a: Contact, _ b: Contact) -> Bool { Matcher.namesConflict(a, b) }
}
