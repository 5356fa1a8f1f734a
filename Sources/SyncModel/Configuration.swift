/// The kinds of source a spoke can connect to.
public enum SpokeKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// `folder`: a directory of .vcf files, one contact each. `directory`: a Microsoft 365
    /// tenant's users (Entra ID), read-only. `caldav`, `ics-folder`: calendars (a CalDAV
    /// calendar, a directory of .ics files, one series each).
    case memory, folder, carddav, ews, google, graph, directory
    case caldav, icsFolder = "ics-folder"
}

/// Which hub items flow into a spoke. Criteria of different kinds combine with AND; the values
/// inside one criterion with OR. An empty filter lets everything through.
public struct SpokeFilter: Hashable, Sendable, Codable {
    public var categories: [String]
    public var companies: [String]
    public var emailDomains: [String]
    public var requireEmail: Bool
    public var requirePhone: Bool

    public init(
        categories: [String] = [], companies: [String] = [], emailDomains: [String] = [],
        requireEmail: Bool = false, requirePhone: Bool = false
    ) {
        self.categories = categories
        self.companies = companies
        self.emailDomains = emailDomains
        self.requireEmail = requireEmail
        self.requirePhone = requirePhone
    }

    public var isEmpty: Bool {
        categories.isEmpty && companies.isEmpty && emailDomains.isEmpty && !requireEmail && !requirePhone
    }
}

/// A field the spoke knows: one of the standard text fields, or a custom one of the source's
/// own (vCard X- property, EWS extended property, People API userDefined key).
public enum SpokeFieldRef: Hashable, Sendable, Codable, CustomStringConvertible {
    case text(TextField)
    case custom(String)

    public var description: String {
        switch self {
        case .text(let f): f.rawValue
        case .custom(let n): "custom.\(n)"
        }
    }

    /// `givenName`, `custom.Region`.
    public init?(parsing s: String) {
        if s.hasPrefix("custom."), s.count > 7 {
            self = .custom(String(s.dropFirst(7)))
        } else if let f = TextField(rawValue: s) {
            self = .text(f)
        } else {
            return nil
        }
    }
}

/// Maps a spoke field to a custom hub field: on the way in, the spoke's value lands in the hub's
/// custom field; on the way out, the custom field's value is written to the spoke's field.
public struct FieldMapping: Hashable, Sendable, Codable {
    public var spokeField: SpokeFieldRef
    public var hubField: String
    public init(spokeField: SpokeFieldRef, hubField: String) {
        self.spokeField = spokeField
        self.hubField = hubField
    }
}

public struct SpokeOptions: Hashable, Sendable, Codable {
    /// "Allow Hub to create and sync items in this spoke": off means the spoke only feeds the hub.
    public var twoWay: Bool
    /// "Categorize data in spoke": the category the hub adds to items it writes there.
    public var categorizeAs: String?
    public var filter: SpokeFilter
    public var fieldMappings: [FieldMapping]
    /// A calendar spoke's window, private events and busy-only filter (nil: the defaults). Its
    /// category and category filter are the ones above, which every kind shares.
    public var calendar: CalendarOptions?

    public init(
        twoWay: Bool = true, categorizeAs: String? = nil, filter: SpokeFilter = .init(),
        fieldMappings: [FieldMapping] = [], calendar: CalendarOptions? = nil
    ) {
        self.calendar = calendar
        self.twoWay = twoWay
        self.categorizeAs = categorizeAs
        self.filter = filter
        self.fieldMappings = fieldMappings
    }
}

/// Holds back remote deletions that look like an accident: more than `percent` of a spoke's
/// linked items at once (and at least `minimum`), or a full listing that comes back empty.
public struct DeletionGuard: Hashable, Sendable, Codable {
    public var percent: Int
    public var minimum: Int
    public init(percent: Int = 20, minimum: Int = 5) {
        self.percent = percent
        self.minimum = minimum
    }
}

public struct HubConfig: Hashable, Sendable, Codable {
    public var id: HubID
    public var name: String
    public var deletionGuard: DeletionGuard
    /// Sync every N minutes; nil = only on demand.
    public var scheduleMinutes: Int?
    /// What the hub holds, chosen at creation; hubs made before kinds hold contacts.
    public var objectKind: ObjectKind

    public init(
        id: HubID, name: String, deletionGuard: DeletionGuard = .init(), scheduleMinutes: Int? = nil,
        objectKind: ObjectKind = .contacts
    ) {
        self.id = id
        self.name = name
        self.deletionGuard = deletionGuard
        self.scheduleMinutes = scheduleMinutes
        self.objectKind = objectKind
    }

    enum CodingKeys: String, CodingKey { case id, name, deletionGuard, scheduleMinutes, objectKind }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(HubID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        deletionGuard = try c.decode(DeletionGuard.self, forKey: .deletionGuard)
        scheduleMinutes = try c.decodeIfPresent(Int.self, forKey: .scheduleMinutes)
        objectKind = try c.decodeIfPresent(ObjectKind.self, forKey: .objectKind) ?? .contacts
    }
}

public struct SpokeConfig: Hashable, Sendable, Codable {
    public var id: SpokeID
    public var hub: HubID
    public var name: String
    public var kind: SpokeKind
    /// Fixed pull order within the hub; also the tie-breaker of conflicts.
    public var position: Int
    public var options: SpokeOptions
    /// Connector settings (URL, user name, folder, ...). Secrets live encrypted elsewhere.
    public var settings: [String: String]

    public init(
        id: SpokeID, hub: HubID, name: String, kind: SpokeKind, position: Int,
        options: SpokeOptions = .init(), settings: [String: String] = [:]
    ) {
        self.id = id
        self.hub = hub
        self.name = name
        self.kind = kind
        self.position = position
        self.options = options
        self.settings = settings
    }
}
