import Foundation
import SyncModel

/// Finds the hub item an unlinked spoke item already stands for, on first sync or when a contact
/// is entered in two places. Conservative on purpose: a wrong match merges two people, which is
/// worse than a duplicate an admin can merge later. Email is strong evidence, phone weak on its
/// own, name plus company enough; differing names veto.
public struct Matcher: Sendable {
    public struct Candidate: Sendable {
        public var id: ItemID
        public var contact: Contact
        public init(id: ItemID, contact: Contact) {
            self.id = id
            self.contact = contact
        }
    }

    private var contacts: [ItemID: Contact] = [:]
    private var byEmail: [String: [ItemID]] = [:]
    private var byPhone: [String: [ItemID]] = [:]
    private var byName: [String: [ItemID]] = [:]
    private var byUID: [String: [ItemID]] = [:]

    public init(_ candidates: [Candidate] = []) {
        for c in candidates { add(c.id, c.contact) }
    }

    public var isEmpty: Bool { contacts.isEmpty }

    public mutating func add(_ id: ItemID, _ c: Contact) {
        contacts[id] = c
        if let u = c.uid { byUID[u, default: []].append(id) }
        for e in c.emails { byEmail[Normalize.key(email: e), default: []].append(id) }
        for p in Self.phoneKeys(c) { byPhone[p, default: []].append(id) }
        if let n = Self.nameKey(c) { byName[n, default: []].append(id) }
    }

    public mutating func remove(_ id: ItemID) {
        guard let c = contacts.removeValue(forKey: id) else { return }
        if let u = c.uid { byUID[u]?.removeAll { $0 == id } }
        for e in c.emails { byEmail[Normalize.key(email: e)]?.removeAll { $0 == id } }
        for p in Self.phoneKeys(c) { byPhone[p]?.removeAll { $0 == id } }
        if let n = Self.nameKey(c) { byName[n]?.removeAll { $0 == id } }
    }

    /// The single best candidate scoring at least 4, or nil when none or a tie.
    public func match(_ c: Contact) -> ItemID? {
        // The same UID is the same item (sources that already agree, copies of one address
        // book): taken first, unless the names say otherwise.
        if let u = c.uid, let ids = byUID[u], ids.count == 1, let other = contacts[ids[0]], !Self.namesConflict(c, other) {
            return ids[0]
        }
        var ids = Set<ItemID>()
        for e in c.emails { ids.formUnion(byEmail[Normalize.key(email: e)] ?? []) }
        for p in Self.phoneKeys(c) { ids.formUnion(byPhone[p] ?? []) }
        if let n = Self.nameKey(c) { ids.formUnion(byName[n] ?? []) }
        var best: (id: ItemID, score: Int)?
        var tie = false
        for id in ids.sorted() {
            guard let other = contacts[id] else { continue }
            let s = Self.score(c, other)
            if let b = best, s == b.score { tie = true }
            if s > (best?.score ?? Int.min) {
                best = (id, s)
                tie = false
            }
        }
        guard let best, best.score >= 4, !tie else { return nil }
        return best.id
    }

    static func score(_ a: Contact, _ b: Contact) -> Int {
        if namesConflict(a, b) { return -100 }
        var s = 0
        let be = Set(b.emails.map(Normalize.key(email:)))
        s += 4 * a.emails.count { be.contains(Normalize.key(email: $0)) }
        let bp = Set(phoneKeys(b))
        s += 2 * phoneKeys(a).count { bp.contains($0) }
        if let n = nameKey(a), n == nameKey(b) { s += 3 }
        if let o = a.organization.map(fold), o == b.organization.map(fold) { s += 1 }
        return s
    }

    /// Both sides name the person and the names differ.
    static func namesConflict(_ a: Contact, _ b: Contact) -> Bool {
        guard let x = nameKey(a), let y = nameKey(b) else { return false }
        return x != y
    }

    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    static func nameKey(_ c: Contact) -> String? {
        let parts = [c.givenName, c.familyName].compactMap { $0 }
        if !parts.isEmpty { return fold(parts.joined(separator: " ")) }
        return c.displayName.map(fold)
    }

    /// Phones shorter than 7 digits (extensions, short codes) say too little to match on; the
    /// last 9 digits make `+44 20 7946 0958` and `020 7946 0958` the same number.
    static func phoneKeys(_ c: Contact) -> [String] {
        c.phones.compactMap { p in
            let digits = Normalize.key(phone: p).filter { $0 != "+" }
            return digits.count >= 7 ? String(digits.suffix(9)) : nil
        }
    }
}
