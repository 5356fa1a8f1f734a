/// A postal address of a contact (PhysicalAddresses Entry).
public struct EWSPhysicalAddress: Sendable, Equatable, Hashable {
    public var street: String?
    public var city: String?
    public var state: String?
    public var countryOrRegion: String?
    public var postalCode: String?
    public init(street: String? = nil, city: String? = nil, state: String? = nil,
                countryOrRegion: String? = nil, postalCode: String? = nil) {
        self.street = street; self.city = city; self.state = state
        self.countryOrRegion = countryOrRegion; self.postalCode = postalCode
    }
    static let subfields = ["Street", "City", "State", "CountryOrRegion", "PostalCode"]
    subscript(sub sub: String) -> String? {
        get {
            switch sub {
            case "Street": return street
            case "City": return city
            case "State": return state
            case "CountryOrRegion": return countryOrRegion
            case "PostalCode": return postalCode
            default: return nil
            }
        }
        set {
            switch sub {
            case "Street": street = newValue
            case "City": city = newValue
            case "State": state = newValue
            case "CountryOrRegion": countryOrRegion = newValue
            case "PostalCode": postalCode = newValue
            default: break
            }
        }
    }
    var isEmpty: Bool { Self.subfields.allSatisfy { self[sub: $0] == nil } }
}

/// An extended MAPI property as EWS addresses it (ExtendedFieldURI) with its value.
public struct EWSExtendedProperty: Sendable, Equatable, Hashable {
    public var distinguishedPropertySetId: String?
    public var propertySetId: String?
    public var propertyTag: Int?
    public var propertyName: String?
    public var propertyId: Int?
    public var propertyType: String
    /// Single value; for array types use `values`.
    public var value: String?
    public var values: [String]?

    public init(distinguishedPropertySetId: String? = nil, propertySetId: String? = nil, propertyTag: Int? = nil,
                propertyName: String? = nil, propertyId: Int? = nil, propertyType: String = "String",
                value: String? = nil, values: [String]? = nil) {
        self.distinguishedPropertySetId = distinguishedPropertySetId
        self.propertySetId = propertySetId?.lowercased()
        self.propertyTag = propertyTag; self.propertyName = propertyName; self.propertyId = propertyId
        self.propertyType = propertyType; self.value = value; self.values = values
    }

    /// Identity of the property, ignoring its value.
    public var key: String {
        [distinguishedPropertySetId ?? "", propertySetId ?? "", propertyTag.map { String($0) } ?? "",
         propertyName ?? "", propertyId.map { String($0) } ?? ""].joined(separator: "|")
    }
    /// PidTagDisplayNamePrefix: where a contact's title (CompleteName/Title) lives.
    public static let titleTag = 0x3A45
}

/// A contact as the emulator stores it. Simple text properties live in `fields`, keyed by their EWS
/// element name ("GivenName", "Body", "Birthday", "AssistantName", …); accessors cover the common ones.
public struct EWSContact: Sendable, Equatable {
    public var fields: [String: String] = [:]
    /// Keys EmailAddress1…3.
    public var emailAddresses: [String: String] = [:]
    /// Keys BusinessPhone, HomePhone, MobilePhone, BusinessFax, HomeFax, Pager, OtherTelephone, …
    public var phoneNumbers: [String: String] = [:]
    /// Keys Home, Business, Other.
    public var physicalAddresses: [String: EWSPhysicalAddress] = [:]
    /// Keys ImAddress1…3.
    public var imAddresses: [String: String] = [:]
    /// String lists: "Categories", "Children", "Companies".
    public var lists: [String: [String]] = [:]
    public var extendedProperties: [EWSExtendedProperty] = []

    public init(givenName: String? = nil, surname: String? = nil, displayName: String? = nil,
                email: String? = nil, companyName: String? = nil) {
        self.givenName = givenName; self.surname = surname; self.displayName = displayName
        self.companyName = companyName
        if let email { emailAddresses["EmailAddress1"] = email }
    }

    public var displayName: String? { get { fields["DisplayName"] } set { fields["DisplayName"] = newValue } }
    public var givenName: String? { get { fields["GivenName"] } set { fields["GivenName"] = newValue } }
    public var middleName: String? { get { fields["MiddleName"] } set { fields["MiddleName"] = newValue } }
    public var surname: String? { get { fields["Surname"] } set { fields["Surname"] = newValue } }
    public var initials: String? { get { fields["Initials"] } set { fields["Initials"] = newValue } }
    public var nickname: String? { get { fields["Nickname"] } set { fields["Nickname"] = newValue } }
    /// Suffix (contacts:Generation, CompleteName/Suffix).
    public var suffix: String? { get { fields["Generation"] } set { fields["Generation"] = newValue } }
    public var companyName: String? { get { fields["CompanyName"] } set { fields["CompanyName"] = newValue } }
    public var department: String? { get { fields["Department"] } set { fields["Department"] = newValue } }
    public var jobTitle: String? { get { fields["JobTitle"] } set { fields["JobTitle"] = newValue } }
    public var fileAs: String? { get { fields["FileAs"] } set { fields["FileAs"] = newValue } }
    /// Notes: the item Body (text).
    public var body: String? { get { fields["Body"] } set { fields["Body"] = newValue } }
    public var businessHomePage: String? { get { fields["BusinessHomePage"] } set { fields["BusinessHomePage"] = newValue } }
    /// xs:dateTime, e.g. "1980-05-17T11:59:00Z".
    public var birthday: String? { get { fields["Birthday"] } set { fields["Birthday"] = newValue } }
    public var weddingAnniversary: String? { get { fields["WeddingAnniversary"] } set { fields["WeddingAnniversary"] = newValue } }
    public var categories: [String] { get { lists["Categories"] ?? [] } set { lists["Categories"] = newValue.isEmpty ? nil : newValue } }

    /// Title (CompleteName/Title), stored as PidTagDisplayNamePrefix like Exchange does.
    public var title: String? {
        get { extendedProperties.first { $0.propertyTag == EWSExtendedProperty.titleTag }?.value }
        set {
            extendedProperties.removeAll { $0.propertyTag == EWSExtendedProperty.titleTag }
            if let newValue {
                extendedProperties.append(.init(propertyTag: EWSExtendedProperty.titleTag, value: newValue))
            }
        }
    }

    /// Value of an extended property by key.
    public func extendedProperty(_ probe: EWSExtendedProperty) -> EWSExtendedProperty? {
        extendedProperties.first { $0.key == probe.key }
    }

    public mutating func setExtendedProperty(_ prop: EWSExtendedProperty) {
        extendedProperties.removeAll { $0.key == prop.key }
        extendedProperties.append(prop)
    }
}
