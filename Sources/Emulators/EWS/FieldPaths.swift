/// FieldURI / IndexedFieldURI / ExtendedFieldURI, and the property sets of an ItemShape.
enum FieldPath: Hashable {
    case field(String)
    case indexed(String, key: String)
    case extended(EWSExtendedProperty)

    static let simpleItem: Set<String> = ["Subject", "Sensitivity", "Importance", "Culture"]
    static let simpleContact: Set<String> = [
        "FileAs", "FileAsMapping", "DisplayName", "GivenName", "Initials", "MiddleName", "Nickname", "CompanyName",
        "AssistantName", "Birthday", "BusinessHomePage", "Department", "Generation", "JobTitle", "Manager", "Mileage",
        "OfficeLocation", "PostalAddressIndex", "Profession", "SpouseName", "Surname", "WeddingAnniversary",
    ]
    static let lists: Set<String> = ["Categories", "Children", "Companies"]
    static let dates: Set<String> = ["Birthday", "WeddingAnniversary"]
    /// Indexed FieldURI → dictionary element.
    static let dictionaries = ["contacts:EmailAddress": "EmailAddresses", "contacts:PhoneNumber": "PhoneNumbers",
                               "contacts:ImAddress": "ImAddresses", "contacts:PhysicalAddress": "PhysicalAddresses"]

    init?(_ node: XNode) {
        switch node.name {
        case "FieldURI":
            guard let uri = node.attr("FieldURI") else { return nil }
            self = .field(uri)
        case "IndexedFieldURI":
            guard let uri = node.attr("FieldURI"), let key = node.attr("FieldIndex") else { return nil }
            self = .indexed(uri, key: key)
        case "ExtendedFieldURI":
            self = .extended(Self.extendedKey(node))
        default:
            return nil
        }
    }

    /// First FieldURI/IndexedFieldURI/ExtendedFieldURI child of `node`.
    static func first(in node: XNode) -> FieldPath? { node.children.lazy.compactMap(FieldPath.init).first }

    static func extendedKey(_ node: XNode) -> EWSExtendedProperty {
        EWSExtendedProperty(distinguishedPropertySetId: node.attr("DistinguishedPropertySetId"),
                            propertySetId: node.attr("PropertySetId"), propertyTag: node.attr("PropertyTag").flatMap(parseTag),
                            propertyName: node.attr("PropertyName"), propertyId: node.attr("PropertyId").flatMap { Int($0) },
                            propertyType: node.attr("PropertyType") ?? "String")
    }

    static func parseTag(_ s: String) -> Int? {
        let t = s.lowercased()
        return t.hasPrefix("0x") ? Int(t.dropFirst(2), radix: 16) : Int(t)
    }

    /// Element name a plain FieldURI addresses ("contacts:GivenName" → "GivenName").
    static func element(of uri: String) -> String {
        String(uri.split(separator: ":").last ?? Substring(uri))
    }

    /// Dictionary element and optional address sub-field for an indexed FieldURI
    /// ("contacts:PhysicalAddress:City" → ("PhysicalAddresses", "City")).
    static func dictionary(of uri: String) -> (element: String, sub: String?)? {
        if let d = dictionaries[uri] { return (d, nil) }
        let parts = uri.split(separator: ":").map(String.init)
        if parts.count == 3, parts[1] == "PhysicalAddress" { return ("PhysicalAddresses", parts[2]) }
        return nil
    }
}

/// What an ItemShape asks for.
struct PropertySelection {
    enum Base { case idOnly, defaultShape, allProperties }
    var base: Base = .idOnly
    var elements: Set<String> = []
    var indexedKeys: [String: Set<String>] = [:]
    var extended: [EWSExtendedProperty] = []

    static let defaultSet: Set<String> = [
        "ItemId", "ParentFolderId", "ItemClass", "Subject", "Sensitivity", "DateTimeCreated", "LastModifiedTime",
        "HasAttachments", "FileAs", "DisplayName", "GivenName", "Surname", "CompanyName", "EmailAddresses",
        "PhysicalAddresses", "PhoneNumbers", "JobTitle", "Department", "Categories",
    ]
    /// Complex properties FindItem cannot return.
    static let complex: Set<String> = ["Body", "Attachments", "MimeContent", "UniqueBody", "CompleteName"]

    init(base: Base = .allProperties) { self.base = base }

    init(shape: XNode?) {
        switch shape?.childText("BaseShape") {
        case "AllProperties": base = .allProperties
        case "Default": base = .defaultShape
        default: base = .idOnly
        }
        for node in shape?.child("AdditionalProperties")?.children ?? [] {
            switch FieldPath(node) {
            case .field(let uri)?: elements.insert(FieldPath.element(of: uri))
            case .indexed(let uri, let key)?:
                if let d = FieldPath.dictionary(of: uri) { indexedKeys[d.element, default: []].insert(key) }
            case .extended(let key)?: extended.append(key)
            case nil: break
            }
        }
    }

    func wants(_ element: String) -> Bool {
        if element == "ItemId" || elements.contains(element) || indexedKeys[element] != nil { return true }
        switch base {
        case .idOnly: return false
        case .defaultShape: return Self.defaultSet.contains(element)
        case .allProperties: return element != "ExtendedProperty"
        }
    }

    /// Keys of a dictionary property to return; nil means all.
    func keys(_ element: String) -> Set<String>? {
        if elements.contains(element) { return nil }
        if base == .allProperties || (base == .defaultShape && Self.defaultSet.contains(element)) { return nil }
        return indexedKeys[element] ?? []
    }

    /// Explicitly requested complex properties (invalid for FindItem).
    var requestedComplex: String? { elements.first { Self.complex.contains($0) } }
}
