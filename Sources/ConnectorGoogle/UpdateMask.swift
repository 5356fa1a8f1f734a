import Foundation

/// Which `updatePersonFields` an update needs: only the fields whose value HubSync would change,
/// so Google keeps whatever nobody changed exactly as it is (its own formatting, metadata, the
/// order of entries HubSync does not care about).
enum UpdateMask {
    /// `desired` is what HubSync writes; `there` the person as Google holds it. Each field is
    /// compared with what HubSync would write for what is there, so representation alone
    /// (types HubSync folds, Google's extra metadata) is no change.
    static func fields(_ desired: Person, there: Person, mapping: PersonMapping, groupIDs: [String: String]) -> [String] {
        let now = mapping.person(mapping.contact(there), base: there, marker: nil, groupIDs: groupIDs)
        var out: [String] = []
        func check<T: Equatable>(_ name: String, _ field: KeyPath<Person, T>) {
            if desired[keyPath: field] != now[keyPath: field] { out.append(name) }
        }
        func unordered<T: Hashable>(_ name: String, _ field: KeyPath<Person, [T]?>) {
            if Set(desired[keyPath: field] ?? []) != Set(there[keyPath: field] ?? []) { out.append(name) }
        }
        check("names", \.names)
        check("nicknames", \.nicknames)
        check("emailAddresses", \.emailAddresses)
        check("phoneNumbers", \.phoneNumbers)
        check("addresses", \.addresses)
        check("organizations", \.organizations)
        check("birthdays", \.birthdays)
        check("events", \.events)
        check("biographies", \.biographies)
        check("urls", \.urls)
        check("imClients", \.imClients)
        // Memberships of groups HubSync does not know of are kept as they are: compared with
        // what Google holds, as sets (their order means nothing).
        unordered("memberships", \.memberships)
        unordered("userDefined", \.userDefined)
        unordered("clientData", \.clientData)
        return out
    }
}
