import SyncModel

extension SpokeView {
    /// `spoke` (hub terms) with what it holds only as the image of `hub` given back as the hub's:
    /// a field equal to what the spoke would keep of the hub's is the hub's field; in lists, an
    /// entry kept as the spoke keeps it (relabelled, say) is the hub's entry, and the hub's entries
    /// the spoke has no room for stay. So a spoke with three email slots neither deletes a fourth
    /// email nor relabels the others, while a real edit there still merges.
    func lift(_ spoke: Contact, to hub: Contact) -> Contact {
        guard let image = image.map({ $0(hub) }) else { return spoke }
        var out = spoke
        func scalar<T: Equatable>(_ kp: WritableKeyPath<Contact, T>) {
            if out[keyPath: kp] == image[keyPath: kp] { out[keyPath: kp] = hub[keyPath: kp] }
        }
        func list<T: Hashable>(_ kp: WritableKeyPath<Contact, [T]>, key: (T) -> String) {
            let held = out[keyPath: kp], kept = image[keyPath: kp], theirs = hub[keyPath: kp]
            if held == kept {
                out[keyPath: kp] = theirs
                return
            }
            let keptSet = Set(kept)
            let keptKeys = Set(kept.map(key))
            let hubByKey = Dictionary(theirs.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
            var result = held.map { v in keptSet.contains(v) ? hubByKey[key(v)] ?? v : v }
            var keys = Set(result.map(key))
            for v in theirs where !keptKeys.contains(key(v)) && !keys.contains(key(v)) {
                result.append(v)
                keys.insert(key(v))
            }
            out[keyPath: kp] = result
        }
        for field in TextField.allCases { scalar(field.keyPath) }
        scalar(\.birthday)
        scalar(\.anniversary)
        scalar(\.photo)
        list(\.emails, key: Normalize.key(email:))
        list(\.phones, key: Normalize.key(phone:))
        list(\.addresses, key: Normalize.key(address:))
        list(\.websites, key: Normalize.key(website:))
        list(\.ims, key: Normalize.key(im:))
        list(\.categories, key: Normalize.key(category:))
        list(\.extensions, key: { $0 })
        return out
    }
}
