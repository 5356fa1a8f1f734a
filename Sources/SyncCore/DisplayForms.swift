import SyncModel

/// Phones and emails keep the form their user wrote. The hub holds one display form per value
/// (as first seen, or as last edited) and merges by key. A spoke that writes a value in a form
/// of its own (same key) keeps it there until someone edits the hub's form: the link's base holds
/// the hub's forms the spoke agreed to, and in `heldForms` the spoke's own where they differ.
public enum DisplayForms {
    static func key(email v: LabeledValue) -> String { "e:" + Normalize.key(email: v) }
    static func key(phone v: LabeledValue) -> String { "p:" + Normalize.key(phone: v) }

    /// A pulled contact (hub terms) in the forms the hub agreed with the spoke, with the spoke's
    /// own forms in `heldForms`: a value the spoke still writes in the form it held is the base's
    /// value (unchanged). With no base at all (a first sync, a match), a value the hub holds in
    /// another form is the hub's: sources that write a number differently are neither in
    /// conflict nor rewritten. Any other difference of form is an edit (with a base that lacks the
    /// value, the spoke may have reformatted what a write whose answer was lost put there).
    public static func agreed(_ spoke: Contact, base: Contact?, hub: Contact) -> Contact {
        var out = spoke
        var held: [String: String] = [:]
        func agree(_ list: [LabeledValue], _ baseList: [LabeledValue], _ hubList: [LabeledValue],
                   key: (LabeledValue) -> String) -> [LabeledValue] {
            let baseForms = forms(baseList, key), hubForms = forms(hubList, key)
            return list.map { v in
                let k = key(v)
                let form: String?
                if let base {
                    form = base.heldForms[k] == v.value ? baseForms[k] : nil
                } else {
                    form = hubForms[k]
                }
                guard let form, form != v.value else { return v }
                held[k] = v.value
                var agreed = v
                agreed.value = form
                return agreed
            }
        }
        out.emails = agree(spoke.emails, base?.emails ?? [], hub.emails, key: key(email:))
        out.phones = agree(spoke.phones, base?.phones ?? [], hub.phones, key: key(phone:))
        out.heldForms = held
        return out
    }

    /// The base once the spoke holds `hub`: the hub's content, with the spoke's own forms kept
    /// for the values whose hub form did not change since they agreed.
    public static func base(after hub: Contact, base: Contact) -> Contact {
        var out = hub
        var held: [String: String] = [:]
        func keep(_ list: [LabeledValue], _ baseList: [LabeledValue], key: (LabeledValue) -> String) {
            let baseForms = forms(baseList, key)
            for v in list {
                let k = key(v)
                if let form = base.heldForms[k], baseForms[k] == v.value { held[k] = form }
            }
        }
        keep(hub.emails, base.emails, key: key(email:))
        keep(hub.phones, base.phones, key: key(phone:))
        out.heldForms = held
        return out
    }

    /// What to write to the spoke for `base` (from `base(after:base:)`): its values in the forms
    /// the spoke holds them in, so a value nobody edited goes back exactly as it is there.
    public static func written(_ base: Contact) -> Contact {
        var out = base
        func held(_ v: LabeledValue, _ k: String) -> LabeledValue {
            var w = v
            w.value = base.heldForms[k] ?? v.value
            return w
        }
        out.emails = base.emails.map { held($0, key(email: $0)) }
        out.phones = base.phones.map { held($0, key(phone: $0)) }
        out.heldForms = [:]
        return out
    }

    private static func forms(_ list: [LabeledValue], _ key: (LabeledValue) -> String) -> [String: String] {
        Dictionary(list.map { (key($0), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
