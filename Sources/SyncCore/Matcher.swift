import Foundation
import SyncModel

/// Finds the hub item an unlinked spoke item already stands for, on first sync or when a contact
/// is entered in two places. Conservative on purpose: a wrong match merges two people, which is
/// worse than a duplicate an admin can merge later. Email is strong evidence, phone weak on its
/// own, name plus company enough; differing names veto.
public struct ItemMatcher<Item: CoreItem>: Sendable {
    public struct Candidate: Sendable {
        public var id: ItemID
        public var item: Item
        public init(id: ItemID, item: Item) {
            self.id = id
            self.item = item
        }
    }

    private var items: [ItemID: Item] = [:]
    /// The item type's match keys (emails, phones and names; an event's start and summary).
    private var byKey: [String: [ItemID]] = [:]
    private var byUID: [String: [ItemID]] = [:]

    public init(_ candidates: [Candidate] = []) {
        for c in candidates { add(c.id, c.item) }
    }

    public var isEmpty: Bool { items.isEmpty }

    public mutating func add(_ id: ItemID, _ c: Item) {
        items[id] = c
        if let u = c.identity { byUID[u, default: []].append(id) }
        for k in Item.matchKeys(c) { byKey[k, default: []].append(id) }
    }

    public mutating func remove(_ id: ItemID) {
        guard let c = items.removeValue(forKey: id) else { return }
        if let u = c.identity { byUID[u]?.removeAll { $0 == id } }
        for k in Item.matchKeys(c) { byKey[k]?.removeAll { $0 == id } }
    }

    /// The single best candidate scoring at least 4, or nil when none or a tie.
    public func match(_ c: Item) -> ItemID? {
        // The same UID is the same item (sources that already agree, copies of one address
        // book): taken first, unless the item type says otherwise (names that differ).
        if let u = c.identity, let ids = byUID[u], ids.count == 1, let other = items[ids[0]],
           !Item.identityVeto(c, other) {
            return ids[0]
        }
        var ids = Set<ItemID>()
        for k in Item.matchKeys(c) { ids.formUnion(byKey[k] ?? []) }
        var best: (id: ItemID, score: Int)?
        var tie = false
        for id in ids.sorted() {
            guard let other = items[id] else { continue }
            let s = Item.matchScore(c, other)
            if let b = best, s == b.score { tie = true }
            if s > (best?.score ?? Int.min) {
                best = (id, s)
                tie = false
            }
        }
        guard let best, best.score >= 4, !tie else { return nil }
        return best.id
    }
}

/// Contacts are matched on normalised email, then phone, then name and company.
public typealias Matcher = ItemMatcher<Contact>

extension ItemMatcher.Candidate where Item == Contact {
    public var contact: Contact { item }
    public init(id: ItemID, contact: Contact) { self.init(id: id, item: contact) }
}

extension ItemMatcher where Item == Contact {
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
