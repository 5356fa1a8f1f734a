import Foundation
import Synchronization

/// A contact as stored: the client-settable fields as JSON (items without their metadata), group
/// ids, photo bytes and the change bookkeeping that etags and sync tokens come from.
struct StoredPerson: Sendable {
    var id: String
    var fields: [String: JSONValue]
    var groups: [String]
    var photo: [UInt8]?
    var version = 1
    var etag: String
    var sourceEtag: String
    var updated: Date
    var changeSeq: Int
    var resourceName: String { "people/c\(id)" }
    /// The CONTACT source id Google shows: the resource number in hex.
    var sourceID: String { String(UInt64(id) ?? 0, radix: 16) }
}

struct PersonTombstone: Sendable {
    var id: String
    var etag: String
    var sourceEtag: String
    var updated: Date
    var deleteSeq: Int
}

struct StoredGroup: Sendable {
    var id: String
    var name: String
    var system: Bool
    var clientData: [JSONValue] = []
    var etag: String
    var updated: Date
    var resourceName: String { "contactGroups/\(id)" }
}

struct SyncTokenInfo: Sendable { var seq: Int, issued: Date, epoch: Int }

/// A connections listing frozen at its first page, so later pages neither skip nor repeat people.
struct PageSnapshot: Sendable {
    var names: [String]
    var offset: Int
    var syncMode: Bool
    var nextSyncToken: String?
    var fingerprint: String
}

/// One Google account's contacts, groups and change log. Mutated only under the store's lock.
struct PeopleAccount: Sendable {
    let email: String
    var displayName: String
    let profileID = String(UInt64.random(in: 100_000_000_000_000_000...999_999_999_999_999_999))
    var persons: [String: StoredPerson] = [:]
    var tombstones: [PersonTombstone] = []
    var groups: [String: StoredGroup] = [:]
    var groupOrder: [String] = []
    var seq = 0
    var syncEpoch = 1
    var syncTokens: [String: SyncTokenInfo] = [:]
    var pages: [String: PageSnapshot] = [:]

    init(email: String, displayName: String, now: Date) {
        self.email = email
        self.displayName = displayName
        for (id, name) in [("myContacts", "myContacts"), ("starred", "starred")] {
            groups[id] = StoredGroup(id: id, name: name, system: true, etag: Self.newEtag(), updated: now)
            groupOrder.append(id)
        }
    }

    static func newEtag(_ prefix: String = "%") -> String {
        prefix + Data((0..<18).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    mutating func nextSeq() -> Int { seq += 1; return seq }

    /// Creates a contact; without explicit groups it joins `myContacts`, as on Google.
    mutating func createPerson(_ fields: [String: JSONValue], groups: [String]?, now: Date) -> StoredPerson {
        var id: String
        repeat { id = String(UInt64.random(in: 1_000_000_000_000_000_000...9_000_000_000_000_000_000)) } while persons[id] != nil
        let person = StoredPerson(id: id, fields: fields, groups: groups ?? ["myContacts"], photo: nil,
                                  etag: Self.newEtag(), sourceEtag: Self.newEtag("#"), updated: now, changeSeq: nextSeq())
        persons[id] = person
        return person
    }

    /// Applies `edit` and gives the contact new etags and a new place in the change log.
    mutating func touch(_ id: String, now: Date, _ edit: (inout StoredPerson) -> Void = { _ in }) {
        guard var p = persons[id] else { return }
        edit(&p)
        p.version += 1
        p.etag = Self.newEtag()
        p.sourceEtag = Self.newEtag("#")
        p.updated = now
        p.changeSeq = nextSeq()
        persons[id] = p
    }

    mutating func deletePerson(_ id: String, now: Date) -> Bool {
        guard let p = persons.removeValue(forKey: id) else { return false }
        tombstones.append(PersonTombstone(id: id, etag: Self.newEtag(), sourceEtag: Self.newEtag("#"), updated: now,
                                          deleteSeq: nextSeq()))
        return true
    }

    /// `people/c123` → `123` for an existing contact.
    func personID(_ resourceName: String) -> String? {
        guard resourceName.hasPrefix("people/c") else { return nil }
        let id = String(resourceName.dropFirst("people/c".count))
        return persons[id] != nil ? id : nil
    }

    func members(of group: String) -> [StoredPerson] {
        persons.values.filter { $0.groups.contains(group) }.sorted { $0.changeSeq < $1.changeSeq }
    }

    mutating func mintSyncToken(now: Date) -> String {
        let token = "EmuSync" + Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64URL
        syncTokens[token] = SyncTokenInfo(seq: seq, issued: now, epoch: syncEpoch)
        return token
    }
}

/// All accounts, each behind the same lock: every request runs atomically on one account.
final class PeopleStore: Sendable {
    private let accounts = Mutex<[String: PeopleAccount]>([:])

    func add(_ account: PeopleAccount) {
        accounts.withLock { $0[account.email.lowercased()] = $0[account.email.lowercased()] ?? account }
    }

    var emails: [String] { accounts.withLock { $0.values.map(\.email).sorted() } }

    /// Runs `body` on the account (nil when it does not exist).
    func with<T: Sendable, E: Error>(_ email: String, _ body: (inout PeopleAccount) throws(E) -> T) throws(E) -> T? {
        try accounts.withLock { (all) throws(E) -> T? in
            guard var account = all[email.lowercased()] else { return nil }
            defer { all[email.lowercased()] = account }
            return try body(&account)
        }
    }

    func forEach(_ body: (inout PeopleAccount) -> Void) {
        accounts.withLock { all in for k in all.keys { body(&all[k]!) } }
    }
}
