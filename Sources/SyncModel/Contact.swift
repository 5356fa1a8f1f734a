import Foundation

/// The label of a multi-valued entry. Unknown labels from a source map to `.other` (with the
/// source's text in `customLabel`). `fax` is a fax of no stated kind (Exchange's OtherFax,
/// Google's otherFax); work and home faxes are their own labels.
public enum ContactLabel: String, Hashable, Sendable, Codable, CaseIterable {
    case home, work, mobile, fax, pager, main, school, other
    // Appended, never inserted: the codec stores a label as its index in `allCases`.
    case workFax, homeFax

    /// A label's own name as a person would type it ("Work", "work fax"), if it is one.
    public init?(naming text: String) {
        let t = text.lowercased().filter { !$0.isWhitespace }
        guard let l = ContactLabel.allCases.first(where: { $0.rawValue.lowercased() == t }) else { return nil }
        self = l
    }
}

/// One email, phone, website or IM handle with its label.
public struct LabeledValue: Hashable, Sendable, Codable {
    public var value: String
    public var label: ContactLabel
    /// The label as its user typed it where it is none of `ContactLabel` ("Cottage"): vCard
    /// `TYPE=x-…` or Apple `X-ABLabel`, Google's free `type`. `label` stays the nearest standard one.
    public var customLabel: String?
    /// Marked preferred by its user (vCard PREF, Google's primary value).
    public var preferred: Bool
    /// For IM handles: the service (`IMService` names) where the value's own scheme does not say it.
    public var service: String?

    public init(_ value: String, label: ContactLabel = .other, customLabel: String? = nil,
                preferred: Bool = false, service: String? = nil) {
        self.value = value
        self.label = label
        self.customLabel = customLabel
        self.preferred = preferred
        self.service = service
    }

    /// True when the entry carries more than value and label (what older versions held).
    public var hasLabelDetails: Bool { customLabel != nil || preferred || service != nil }

    private enum CodingKeys: String, CodingKey { case value, label, customLabel, preferred, service }

    // Older JSON has no details: they are optional on the way in.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(String.self, forKey: .value), label: try c.decode(ContactLabel.self, forKey: .label),
                  customLabel: try c.decodeIfPresent(String.self, forKey: .customLabel),
                  preferred: try c.decodeIfPresent(Bool.self, forKey: .preferred) ?? false,
                  service: try c.decodeIfPresent(String.self, forKey: .service))
    }
}

public struct PostalAddress: Hashable, Sendable, Codable {
    public var label: ContactLabel
    /// As `LabeledValue.customLabel` and `.preferred`.
    public var customLabel: String?
    public var preferred: Bool = false
    public var poBox: String
    public var extended: String
    public var street: String
    public var city: String
    public var region: String
    public var postalCode: String
    public var country: String

    public init(
        label: ContactLabel = .other, poBox: String = "", extended: String = "", street: String = "",
        city: String = "", region: String = "", postalCode: String = "", country: String = "",
        customLabel: String? = nil, preferred: Bool = false
    ) {
        self.label = label
        self.customLabel = customLabel
        self.preferred = preferred
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
    public var hasLabelDetails: Bool { customLabel != nil || preferred }

    private enum CodingKeys: String, CodingKey {
        case label, customLabel, preferred, poBox, extended, street, city, region, postalCode, country
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func s(_ k: CodingKeys) throws -> String { try c.decode(String.self, forKey: k) }
        self.init(label: try c.decode(ContactLabel.self, forKey: .label), poBox: try s(.poBox),
                  extended: try s(.extended), street: try s(.street), city: try s(.city), region: try s(.region),
                  postalCode: try s(.postalCode), country: try s(.country),
                  customLabel: try c.decodeIfPresent(String.self, forKey: .customLabel),
                  preferred: try c.decodeIfPresent(Bool.self, forKey: .preferred) ?? false)
    }
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
