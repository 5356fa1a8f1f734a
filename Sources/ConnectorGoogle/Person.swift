import Foundation

/// The People API's Person, as far as HubSync reads and writes it. Unknown fields are not kept
/// here: updates name the fields they change (`updatePersonFields`), so Google keeps the rest.
struct Person: Codable, Sendable, Hashable {
    var resourceName: String?
    var etag: String?
    var metadata: Metadata?
    var names: [Name]?
    var nicknames: [Value]?
    var emailAddresses: [Typed]?
    var phoneNumbers: [Typed]?
    var addresses: [Address]?
    var organizations: [Organization]?
    var birthdays: [Event]?
    var events: [Event]?
    var biographies: [Value]?
    var urls: [Typed]?
    var imClients: [IM]?
    var memberships: [Membership]?
    var userDefined: [KeyValue]?
    var clientData: [KeyValue]?
    var photos: [PhotoRef]?

    struct Metadata: Codable, Sendable, Hashable {
        var sources: [Source]?
        var deleted: Bool?
    }
    struct Source: Codable, Sendable, Hashable {
        var type: String?
        var id: String?
        var etag: String?
        var updateTime: String?
    }
    struct Name: Codable, Sendable, Hashable {
        var displayName: String?
        var familyName: String?
        var givenName: String?
        var middleName: String?
        var honorificPrefix: String?
        var honorificSuffix: String?
    }
    struct Value: Codable, Sendable, Hashable {
        var value: String?
    }
    struct Typed: Codable, Sendable, Hashable {
        var value: String?
        var type: String?
        var metadata: FieldMetadata?
    }
    /// Of one value: `primary` is Google's (read only), `sourcePrimary` the one a client sets.
    struct FieldMetadata: Codable, Sendable, Hashable {
        var primary: Bool?
        var sourcePrimary: Bool?
        var isPrimary: Bool { primary == true || sourcePrimary == true }
    }
    struct Address: Codable, Sendable, Hashable {
        var type: String?
        var metadata: FieldMetadata?
        var poBox: String?
        var streetAddress: String?
        var extendedAddress: String?
        var city: String?
        var region: String?
        var postalCode: String?
        var country: String?
    }
    struct Organization: Codable, Sendable, Hashable {
        var name: String?
        var department: String?
        var title: String?
    }
    struct DateParts: Codable, Sendable, Hashable {
        var year: Int?
        var month: Int?
        var day: Int?
    }
    struct Event: Codable, Sendable, Hashable {
        var date: DateParts?
        var type: String?
    }
    struct IM: Codable, Sendable, Hashable {
        var username: String?
        var `protocol`: String?
        var type: String?
        var metadata: FieldMetadata?
    }
    struct Membership: Codable, Sendable, Hashable {
        var contactGroupMembership: GroupRef?
    }
    struct GroupRef: Codable, Sendable, Hashable {
        var contactGroupResourceName: String?
    }
    struct KeyValue: Codable, Sendable, Hashable {
        var key: String
        var value: String
    }
    struct PhotoRef: Codable, Sendable, Hashable {
        var url: String?
        var `default`: Bool?
    }

    /// The fields HubSync reads, and writes on update.
    static let readFields = "names,nicknames,emailAddresses,phoneNumbers,addresses,organizations,birthdays,events,"
        + "biographies,urls,imClients,memberships,userDefined,clientData,photos,metadata"
    static let updateFields = "names,nicknames,emailAddresses,phoneNumbers,addresses,organizations,birthdays,events,"
        + "biographies,urls,imClients,memberships,userDefined,clientData"
}
