import Foundation
import SyncModel

/// Which side a conflicting field takes.
public enum Side: String, Sendable, Hashable {
    case hub, spoke
}

public enum ConflictPolicy {
    /// Newest change wins. A tie, or a spoke that gives no time, goes to the hub: the hub holds the
    /// value of the spoke that came earlier in the fixed order, so the result is deterministic.
    public static func winner(hubModified: Date, spokeModified: Date?) -> Side {
        guard let spokeModified, spokeModified > hubModified else { return .hub }
        return .spoke
    }
}

public struct MergeOutcome: Hashable, Sendable {
    public var merged: Contact
    public var conflicts: [ContactField]
}

/// Three-way field merge of one contact: base (as last agreed with the spoke), hub, spoke.
/// A field changed on one side only takes that change; changed identically on both, that value;
/// changed differently on both, it is a conflict settled by `winner`. Multi-valued fields merge
/// as sets keyed by normalised value, so an email added on each side keeps both. With no base
/// (first sync), the base is empty, which makes the merge a union. All inputs are normalised.
public enum ThreeWayMerge {
    public static func merge(base: Contact?, hub: Contact, spoke: Contact, winner: Side) -> MergeOutcome {
        merge(base: base, hub: hub, spoke: spoke) { _ in winner }
    }

    /// The same with the winner decided per field (by each field's age).
    public static func merge(
        base: Contact?, hub: Contact, spoke: Contact, winner: (ContactField) -> Side
    ) -> MergeOutcome {
        let b = base ?? Contact()
        var out = hub
        var conflicts: [ContactField] = []
        for field in ContactField.fixed + customFields(b, hub, spoke) {
            if mergeField(field, b, hub, spoke, winner(field), into: &out) { conflicts.append(field) }
        }
        // The identity first seen stays; one the hub did not have yet is learnt.
        out.uid = hub.uid ?? spoke.uid
        return MergeOutcome(merged: out, conflicts: conflicts)
    }

    static func customFields(_ cs: Contact...) -> [ContactField] {
        Set(cs.flatMap(\.custom.keys)).sorted().map { .custom($0) }
    }

    /// Merges one field into `out`; true when it was a conflict.
    static func mergeField(
        _ field: ContactField, _ b: Contact, _ h: Contact, _ s: Contact, _ w: Side, into out: inout Contact
    ) -> Bool {
        switch field {
        case .text(let f): return scalar(f.keyPath, b, h, s, w, &out)
        case .birthday: return scalar(\.birthday, b, h, s, w, &out)
        case .anniversary: return scalar(\.anniversary, b, h, s, w, &out)
        case .photo: return scalar(\.photo, b, h, s, w, &out)
        case .emails: return list(\.emails, b, h, s, w, &out, key: Normalize.key(email:), relabel: specific)
        case .phones: return list(\.phones, b, h, s, w, &out, key: Normalize.key(phone:), relabel: specific)
        case .websites: return list(\.websites, b, h, s, w, &out, key: Normalize.key(website:), relabel: specific)
        case .ims: return list(\.ims, b, h, s, w, &out, key: Normalize.key(im:), relabel: specific)
        case .addresses: return list(\.addresses, b, h, s, w, &out, key: Normalize.key(address:), relabel: specific)
        case .categories: return list(\.categories, b, h, s, w, &out, key: Normalize.key(category:))
        case .extensions: return list(\.extensions, b, h, s, w, &out, key: { $0 })
        case .custom(let name):
            let (v, conflict) = pick(b.custom[name], h.custom[name], s.custom[name], w)
            out.custom[name] = v
            return conflict
        }
    }

    static func pick<T: Equatable>(_ b: T, _ h: T, _ s: T, _ w: Side) -> (T, Bool) {
        if s == b || h == s { return (h, false) }
        if h == b { return (s, false) }
        return (w == .hub ? h : s, true)
    }

    static func scalar<T: Equatable>(
        _ kp: WritableKeyPath<Contact, T>, _ b: Contact, _ h: Contact, _ s: Contact, _ w: Side, _ out: inout Contact
    ) -> Bool {
        let (v, conflict) = pick(b[keyPath: kp], h[keyPath: kp], s[keyPath: kp], w)
        out[keyPath: kp] = v
        return conflict
    }

    /// Set merge keyed by `key`. An entry removed on one side and left alone on the other goes;
    /// one removed on one side but edited (relabelled) on the other stays: an edit beats a delete.
    static func list<T: Equatable>(
        _ kp: WritableKeyPath<Contact, [T]>, _ b: Contact, _ h: Contact, _ s: Contact, _ w: Side,
        _ out: inout Contact, key: (T) -> String, relabel: (T, T) -> T? = { _, _ in nil }
    ) -> Bool {
        let base = b[keyPath: kp], hub = h[keyPath: kp], spoke = s[keyPath: kp]
        if spoke == base || hub == spoke { return false }
        if hub == base {
            out[keyPath: kp] = spoke
            return false
        }
        let bm = Dictionary(base.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let sm = Dictionary(spoke.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        var hubKeys = Set<String>()
        var result: [T] = []
        var conflict = false
        for x in hub {
            let k = key(x)
            hubKeys.insert(k)
            if let y = sm[k], bm[k] == nil, let same = relabel(x, y) {
                result.append(same)  // one side only lacked the label
            } else if let y = sm[k] {
                let (v, c) = pick(bm[k], x, y, w)
                conflict = conflict || c
                if let v { result.append(v) }
            } else if let old = bm[k], old == x {
                continue  // removed in the spoke, untouched in the hub
            } else {
                result.append(x)  // added in the hub, or edited there while the spoke removed it
            }
        }
        for y in spoke where !hubKeys.contains(key(y)) {
            if let old = bm[key(y)], old == y { continue }  // removed in the hub
            result.append(y)
        }
        out[keyPath: kp] = result
        return conflict
    }
}

/// An entry with a label (emails, phones, addresses…).
protocol Labelled: Equatable {
    var label: ContactLabel { get set }
    var customLabel: String? { get set }
}
extension LabeledValue: Labelled {}
extension PostalAddress: Labelled {}

extension ThreeWayMerge {
    /// Two entries new to the merge that differ only in that one is labelled plainly "other" are
    /// one entry with the other's label (and label text), not a conflict: "other" is what a source
    /// that keeps no label there (Exchange's email slots) says, not a choice made against "home".
    static func specific<T: Labelled>(_ a: T, _ b: T) -> T? {
        func plain(_ x: T) -> Bool { x.label == .other && x.customLabel == nil }
        guard a != b, plain(a) != plain(b) else { return nil }
        var relabelled = plain(a) ? a : b
        let labelled = plain(a) ? b : a
        relabelled.label = labelled.label
        relabelled.customLabel = labelled.customLabel
        return relabelled == labelled ? labelled : nil
    }
}
