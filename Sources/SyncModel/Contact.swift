import Foundation

/// The label of a multi-valued entry. Unknown labels from a source map to `.other`.
public enum ContactLabel: String, Hashable, Sendable, Codable, CaseIterable {
    case home, work, mobile, fax, pager, main, school, other
}

/// One email, phone, website or IM handle with its label.
public struct LabeledValue: Hashable, Sendable, Codable {
    public var value: String
    public var label: ContactLabel
    public init(_ value: String, label: ContactLabel = .other) {
        self.value = value
        self.label = label
    }
}

public struct PostalAddress: Hashable, Sendable, Codable {
    public var label: ContactLabel
    public var poBox: String
    public var extended: String
    public var street: String
    public var city: String
    public var region: String
    public var postalCode: String
    public var country: String

    public init(
        label: ContactLabel = .other, poBox: String = "", extended: String = "", street: String = "",
        city: String = "", region: String = "", postalCode: String = "", country: String = ""
    ) {
        self.label = label
        self.poBox = poBox
        self.extended = extended
        self.street = street
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }

    public var components: [String] { [poBox, extended, street, city, region, postalCode, country] }
    public var isEmpty: Bool { components.allSatisfy(\.isEmpty) }
}

/// A date whose year may be unknown (vCard `--0315`, Google `{month, day}`).
public struct PartialDate: Hashable, Sendable, Codable, CustomStringConvertible {
    public var year: Int?
    public var month: Int
    public var day: Int
    public init(year: Int?, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
    public var isValid: Bool {
        guard (1...12).contains(month), year.map({ (1...9999).contains($0) }) ?? true else { return false }
        // Without a year, 29 February is a valid birthday.
        let leap = year.map { ($0 % 4 == 0 && $0 % 100 != 0) || $0 % 400 == 0 } ?? true
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
    /// ISO 8601 `YYYY-MM-DD`, or `--MM-DD` without a year.
    public var description: String {
        // Not String(format:): this is hashed for every item of a sync.
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let md = pad(month, 2) + "-" + pad(day, 2)
        if let year { return pad(year, 4) + "-" + md }
        return "--" + md
    }
}

public struct Photo: Hashable, Sendable, Codable {
    public var data: Data
    public var mediaType: String
    public init(data: Data, mediaType: String = "image/jpeg") {
        self.data = data
        self.mediaType = mediaType
    }
}

/// The canonical contact every spoke maps to and from.
public struct Contact: Hashable, Sendable, Codable {
    public var namePrefix: String?
    public var givenName: String?
    public var middleName: String?
    public var familyName: String?
    public var nameSuffix: String?
    public var nickname: String?
    public var displayName: String?
    public var organization: String?
    public var department: String?
    public var title: String?
    public var birthday: PartialDate?
    public var anniversary: PartialDate?
    public var notes: String?
    public var emails: [LabeledValue]
    public var phones: [LabeledValue]
    public var addresses: [PostalAddress]
    public var websites: [LabeledValue]
    public var ims: [LabeledValue]
    public var categories: [String]
    public var photo: Photo?
    /// Custom hub fields, the targets of field mapping.
    public var custom: [String: String]
    /// Properties the hub has no field for, as vCard content lines (`X-…`, `IMPP` variants,
    /// `RELATED`, `GENDER`…): they travel between sources of the same format.
    public var extensions: [String] = []
    /// The item's identity as first seen (a vCard UID): not content, so neither hashed nor
    /// merged as a field; the hub keeps the first and writes it into the vCard sources it fills.
    public var uid: String?
    /// Only in a link's base: where the spoke writes an email or phone in a form of its own (the
    /// same key as the hub's form it agreed to), that form, by `DisplayKey`. Not content: it lets
    /// the hub leave such a value as it is there unless the hub's form is edited.
    public var heldForms: [String: String] = [:]

    public init(
        namePrefix: String? = nil, givenName: String? = nil, middleName: String? = nil,
        familyName: String? = nil, nameSuffix: String? = nil, nickname: String? = nil,
        displayName: String? = nil, organization: String? = nil, department: String? = nil,
        title: String? = nil, birthday: PartialDate? = nil, anniversary: PartialDate? = nil,
        notes: String? = nil, emails: [LabeledValue] = [], phones: [LabeledValue] = [],
        addresses: [PostalAddress] = [], websites: [LabeledValue] = [], ims: [LabeledValue] = [],
        categories: [String] = [], photo: Photo? = nil, custom: [String: String] = [:]
    ) {
        self.namePrefix = namePrefix
        self.givenName = givenName
        self.middleName = middleName
        self.familyName = familyName
        self.nameSuffix = nameSuffix
        self.nickname = nickname
        self.displayName = displayName
        self.organization = organization
        self.department = department
        self.title = title
        self.birthday = birthday
        self.anniversary = anniversary
        self.notes = notes
        self.emails = emails
        self.phones = phones
        self.addresses = addresses
        self.websites = websites
        self.ims = ims
        self.categories = categories
        self.photo = photo
        self.custom = custom
    }

    /// The name a person would read: display name, else the parts, else organization or email.
    public var formattedName: String {
        if let displayName, !displayName.isEmpty { return displayName }
        let parts = [namePrefix, givenName, middleName, familyName, nameSuffix].compactMap { $0 }
            .filter { !$0.isEmpty }
        if !parts.isEmpty { return parts.joined(separator: " ") }
        if let organization, !organization.isEmpty { return organization }
        return emails.first?.value ?? ""
    }
}
