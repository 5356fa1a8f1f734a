/// The single-valued text fields of a contact.
public enum TextField: String, Hashable, Sendable, Codable, CaseIterable {
    case namePrefix, givenName, middleName, familyName, nameSuffix, nickname, displayName
    case organization, department, title, notes

    public var keyPath: WritableKeyPath<Contact, String?> {
        switch self {
        case .namePrefix: \.namePrefix
        case .givenName: \.givenName
        case .middleName: \.middleName
        case .familyName: \.familyName
        case .nameSuffix: \.nameSuffix
        case .nickname: \.nickname
        case .displayName: \.displayName
        case .organization: \.organization
        case .department: \.department
        case .title: \.title
        case .notes: \.notes
        }
    }
}

/// Every field of a contact, as the unit of merge, conflict and journal diffs.
public enum ContactField: Hashable, Sendable, Codable, CustomStringConvertible {
    case text(TextField)
    case birthday, anniversary
    case emails, phones, addresses, websites, ims, categories
    case photo
    /// Properties of a source format the hub has no field for (`Contact.extensions`).
    case extensions
    case custom(String)

    public var description: String {
        switch self {
        case .text(let f): f.rawValue
        case .birthday: "birthday"
        case .anniversary: "anniversary"
        case .emails: "emails"
        case .phones: "phones"
        case .addresses: "addresses"
        case .websites: "websites"
        case .ims: "ims"
        case .categories: "categories"
        case .photo: "photo"
        case .extensions: "extensions"
        case .custom(let name): "custom.\(name)"
        }
    }

    /// The fixed fields, in the schema's order; custom fields are enumerated per contact.
    public static let fixed: [ContactField] = ContactSchema.schema.fixed
}
