import Foundation
import Hummingbird
import SyncEngine
import SyncModel
import SyncStore

// The JSON shapes of the API (see Web/openapi.json). Store records are mapped, never exposed,
// so the API can stay put while storage changes.

struct SessionInfo: ResponseCodable { var user: String; var csrf: String }
struct Credentials: Decodable { var user: String; var password: String; var setupToken: String? }
struct SetupNeeded: ResponseCodable { var needed: Bool }

struct ObjectKind: ResponseCodable { var id: String; var name: String; var available: Bool; var note: String? }
struct StandardFields: ResponseCodable { var text: [String] }

struct RunDTO: ResponseCodable {
    var id: String
    var status: RunStatus
    var startedAt: Date
    var finishedAt: Date?
    var errors: [String]
    /// `errors` in plain words, each with its raw text as details.
    var problems: [ProblemDTO]
    var stats: [String: SpokeRunStats]

    init(_ r: RunRecord) {
        id = r.id.rawValue
        status = r.status
        startedAt = r.startedAt
        finishedAt = r.finishedAt
        errors = r.errors
        problems = r.errors.map(PlainProblem.of)
        stats = Dictionary(uniqueKeysWithValues: r.stats.map { ($0.key.rawValue, $0.value) })
    }
}

struct ProgressDTO: ResponseCodable {
    var spoke: String
    var spokeName: String
    var phase: String
    var done: Int
    var total: Int?
    init(_ p: SyncProgress) {
        spoke = p.spoke.rawValue
        spokeName = p.spokeName
        phase = p.phase.rawValue
        done = p.done
        total = p.total
    }
}

struct SyncStatusDTO: ResponseCodable {
    var running: Bool
    var startedAt: Date?
    var progress: [ProgressDTO]
    var lastRun: RunDTO?
}

struct SpokeStatusDTO: ResponseCodable {
    var lastSyncAt: Date?
    var lastError: String?
    var linked: Int
    var lastStats: SpokeRunStats?
    /// `lastError` in plain words for the admin, the raw text as its details.
    var problem: ProblemDTO?
    /// Deletions from this spoke waiting for an admin's approval.
    var heldDeletions: Int
}

struct FieldMappingDTO: Codable, Sendable, Hashable {
    var spokeField: String
    var hubField: String
}

/// `SpokeOptions` with field mappings as plain strings ("title", "custom.OfficeLocation").
struct OptionsDTO: Codable, Sendable, Hashable {
    var twoWay: Bool
    var categorizeAs: String?
    var filter: SpokeFilter
    var fieldMappings: [FieldMappingDTO]
    /// Calendar hubs: the window, private events, busy only (absent: the defaults).
    var calendar: CalendarOptions?

    init(_ o: SpokeOptions) {
        calendar = o.calendar
        twoWay = o.twoWay
        categorizeAs = o.categorizeAs
        filter = o.filter
        fieldMappings = o.fieldMappings.map { FieldMappingDTO(spokeField: $0.spokeField.description, hubField: $0.hubField) }
    }

    func options() throws -> SpokeOptions {
        let mappings = try fieldMappings.map { m -> FieldMapping in
            let hub = m.hubField.trimmingCharacters(in: .whitespaces)
            guard let field = SpokeFieldRef(parsing: m.spokeField), !hub.isEmpty else {
                throw APIError(.badRequest, words: APIWords.mappingBothFields, ["source": m.spokeField, "hub": m.hubField], field: "fieldMappings")
            }
            return FieldMapping(spokeField: field, hubField: hub)
        }
        guard Set(mappings.map(\.spokeField)).count == mappings.count else {
            throw APIError(.badRequest, words: APIWords.mappingOnce, field: "fieldMappings")
        }
        let category = categorizeAs?.trimmingCharacters(in: .whitespaces)
        // Written into contacts everywhere: one plain line, like the names.
        if let category, DisplayText.hasControls(category) || category.count > 100 {
            throw APIError(.badRequest, words: APIWords.categoryLimit, field: "categorizeAs")
        }
        let clean = { (list: [String]) in list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        var f = filter
        f.categories = clean(f.categories)
        f.companies = clean(f.companies)
        f.emailDomains = clean(f.emailDomains).map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
        if let c = calendar, !(0...3660).contains(c.pastDays) || !(0...3660).contains(c.futureDays) {
            throw APIError(.badRequest, words: APIWords.windowRange, field: "calendar")
        }
        return SpokeOptions(
            twoWay: twoWay, categorizeAs: category?.isEmpty == false ? category : nil, filter: f, fieldMappings: mappings,
            calendar: calendar)
    }
}

struct SpokeDTO: ResponseCodable {
    var id: String
    var name: String
    var kind: SpokeKind
    var kindName: String
    var position: Int
    var options: OptionsDTO
    var settings: [String: String]
    var status: SpokeStatusDTO
    var direction: SpokeDirection
}

struct HoldDTO: ResponseCodable {
    var spoke: String
    var spokeName: String
    var detectedAt: Date
    var count: Int
    var reason: String
    var sample: [String]
}

struct HubSummaryDTO: ResponseCodable {
    var id: String
    var name: String
    /// What the hub holds: "contacts" or "calendar".
    var objectKind: String
    var scheduleMinutes: Int?
    var spokeCount: Int
    var itemCount: Int
    var lastRun: RunDTO?
    var syncing: Bool
    var holds: Int
    /// Deletions held for approval, summed over the holds.
    var heldDeletions: Int
    /// When the scheduler starts the next pass (nil: no schedule, or the scheduler is off).
    var nextSyncAt: Date?
}

struct HubDetailDTO: ResponseCodable {
    var id: String
    var name: String
    var objectKind: String
    var scheduleMinutes: Int?
    var deletionGuard: DeletionGuard
    var itemCount: Int
    var spokes: [SpokeDTO]
    var holds: [HoldDTO]
    var lastRun: RunDTO?
    var sync: SyncStatusDTO
    var nextSyncAt: Date?
    /// Journal entries with conflicts among the newest (see `/conflicts`).
    var conflictCount: Int
}

struct NewHub: Decodable {
    var name: String
    var scheduleMinutes: Int?
    /// Fixed once created; contacts when absent.
    var objectKind: SyncModel.ObjectKind
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: HubPatch.CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        objectKind = try c.decodeIfPresent(SyncModel.ObjectKind.self, forKey: .objectKind) ?? .contacts
        scheduleMinutes = try c.decodeWholeNumber(forKey: .scheduleMinutes)
    }
}
struct HubPatch: Decodable {
    var name: String?
    var scheduleMinutes: Int?
    var deletionGuard: DeletionGuard?
    enum CodingKeys: String, CodingKey { case name, scheduleMinutes, deletionGuard, objectKind }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        scheduleMinutes = try c.decodeWholeNumber(forKey: .scheduleMinutes)
        deletionGuard = try c.decodeIfPresent(DeletionGuard.self, forKey: .deletionGuard)
    }
}

extension KeyedDecodingContainer {
    /// An integer that may be out of `Int`'s range: Foundation's decoder reports such a number
    /// as invalid JSON with no field; this names the field.
    func decodeWholeNumber(forKey key: Key) throws -> Int? {
        guard let d = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard d.rounded() == d, let i = Int(exactly: d), abs(d) < 9e15 else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "out of range"))
        }
        return i
    }
}
struct NewSpoke: Decodable { var name: String; var kind: SpokeKind; var form: SpokeForm; var folder: String?; var options: OptionsDTO? }
struct SpokePatch: Decodable { var name: String?; var options: OptionsDTO?; var password: String? }

struct ChangeDTO: ResponseCodable { var field: String; var old: String?; var new: String? }

struct EntryDTO: ResponseCodable {
    var seq: Int64
    var at: Date
    var kind: JournalKind
    var item: String
    var name: String
    var source: String
    var sourceName: String
    var run: String?
    var conflicts: [String]
    var changes: [ChangeDTO]
}

struct JournalPage: ResponseCodable { var entries: [EntryDTO]; var next: Int64? }
struct Restored: ResponseCodable { var restored: Int }

struct ContactDTO: ResponseCodable {
    var id: String
    var name: String
    var organization: String?
    var emails: [String]
    var phones: [String]
    var categories: [String]
}
struct ContactPage: ResponseCodable { var total: Int; var contacts: [ContactDTO] }

struct SignInStart: ResponseCodable { var id: String; var url: String }
struct SignInStatus: ResponseCodable {
    var id: String
    var status: String
    var account: String?
    var error: String?
}

extension SpokeForm: ResponseCodable {}
extension Discovery: ResponseCodable {}
extension SpokeKindInfo: ResponseCodable {}
