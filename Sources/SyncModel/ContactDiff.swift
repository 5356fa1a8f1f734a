/// A human-readable account of what changed between two versions of a contact: for history
/// views (CLI, web UI). Values are shown, since it is the user's own data on their own screen.
public struct FieldChange: Hashable, Sendable, CustomStringConvertible {
    public var field: ContactField
    public var old: String?
    public var new: String?
    /// For lists: entries added and removed.
    public var added: [String]
    public var removed: [String]

    public var description: String {
        if !added.isEmpty || !removed.isEmpty {
            let parts = added.map { "+\($0)" } + removed.map { "-\($0)" }
            return "\(field): " + parts.joined(separator: " ")
        }
        return "\(field): \(old.map { "'\($0)'" } ?? "∅") → \(new.map { "'\($0)'" } ?? "∅")"
    }
}

extension Contact {
    /// The fields that differ from `other` (this is the old version).
    public func changes(to new: Contact) -> [FieldChange] {
        var out: [FieldChange] = []
        func scalar(_ f: ContactField, _ a: String?, _ b: String?) {
            if a != b { out.append(FieldChange(field: f, old: a, new: b, added: [], removed: [])) }
        }
        func list(_ f: ContactField, _ a: [String], _ b: [String]) {
            let sa = Set(a), sb = Set(b)
            let added = b.filter { !sa.contains($0) }, removed = a.filter { !sb.contains($0) }
            if !added.isEmpty || !removed.isEmpty {
                out.append(FieldChange(field: f, old: nil, new: nil, added: added, removed: removed))
            }
        }
        for t in TextField.allCases { scalar(.text(t), self[keyPath: t.keyPath], new[keyPath: t.keyPath]) }
        scalar(.birthday, birthday?.description, new.birthday?.description)
        scalar(.anniversary, anniversary?.description, new.anniversary?.description)
        let labeled: (LabeledValue) -> String = { "\($0.value) (\($0.labelText))" }
        list(.emails, emails.map(labeled), new.emails.map(labeled))
        list(.phones, phones.map(labeled), new.phones.map(labeled))
        list(.websites, websites.map(labeled), new.websites.map(labeled))
        list(.ims, ims.map(labeled), new.ims.map(labeled))
        list(.addresses, addresses.map(\.oneLine), new.addresses.map(\.oneLine))
        list(.categories, categories, new.categories)
        list(.extensions, extensions, new.extensions)
        if photo != new.photo {
            let size: (Photo?) -> String? = { $0.map { "\($0.mediaType), \($0.data.count) bytes" } }
            scalar(.photo, size(photo), size(new.photo))
        }
        for key in Set(custom.keys).union(new.custom.keys).sorted() {
            scalar(.custom(key), custom[key], new.custom[key])
        }
        return out
    }
}

extension Contact {
    /// The fields whose values differ from `other`'s.
    public func changedFields(to other: Contact) -> [ContactField] {
        changes(to: other).map(\.field)
    }
}

extension PostalAddress {
    public var oneLine: String {
        let parts = [poBox, extended, street, city, region, postalCode, country].filter { !$0.isEmpty }
        let details = (customLabel.map { ", “\($0)”" } ?? "") + (preferred ? ", preferred" : "")
        return parts.joined(separator: ", ") + " (\(label.rawValue)\(details))"
    }
}

extension LabeledValue {
    /// The label as history shows it: "work", or with its details "other, “Cottage”, preferred, skype".
    public var labelText: String {
        var parts = [label.rawValue]
        if let customLabel { parts.append("“\(customLabel)”") }
        if preferred { parts.append("preferred") }
        if let service { parts.append(service) }
        return parts.joined(separator: ", ")
    }
}
