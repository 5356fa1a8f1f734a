/// A change to one field of a contact, as history shows it.
public typealias FieldChange = ItemFieldChange<ContactField>

extension Contact {
    /// The fields that differ from `other` (this is the old version).
    public func changes(to new: Contact) -> [FieldChange] {
        ContactSchema.schema.changes(from: self, to: new, order: ContactSchema.historyOrder)
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
