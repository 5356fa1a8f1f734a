import Foundation

/// One contact as a source's official client reads it (the neutral form of
/// `python/fidelity_clients.py`), plus `raw`: the client's own view, field by field.
struct FidelityCard: Decodable {
    var prefix, given, middle, family, suffix, nickname, display, org, department, title, note, birthday: String?
    var emails: [[String]]
    var phones: [[String]]
    var addresses: [[String: String]]
    var raw: [String: String]

    /// Labels every source kind has a name for; anything else is a custom label's text.
    static let standardLabels: Set<String> = ["work", "home", "mobile", "other", "workFax", "homeFax", "otherFax", "pager", "main"]

    /// The compared fields of this card, each as one string. Labels are compared per value of
    /// `typed` (the card as its user typed it), split into standard and custom labels, so that a
    /// source without custom labels can be allowed exactly that.
    func fields(labelsAsIn typed: FidelityCard) -> [String: String] {
        var out: [String: String] = [
            "prefix": prefix ?? "", "given": given ?? "", "middle": middle ?? "", "family": family ?? "",
            "suffix": suffix ?? "", "nickname": nickname ?? "", "display": display ?? "", "org": org ?? "",
            "department": department ?? "", "title": title ?? "", "note": note ?? "", "birthday": birthday ?? "",
        ]
        for (name, mine, theirs) in [("emails", emails, typed.emails), ("phones", phones, typed.phones)] {
            out[name] = mine.map { $0[0] }.sorted().joined(separator: "\n")
            let label = Dictionary(mine.map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
            for custom in [false, true] {
                out[name + (custom ? ".customLabel" : ".label")] = theirs
                    .filter { Self.standardLabels.contains($0[1]) != custom }
                    .map { "\($0[0]): \(label[$0[0]] ?? "-")" }.sorted().joined(separator: "\n")
            }
        }
        let parts = ["street", "city", "region", "postcode", "country"]
        out["addresses"] = addresses.map { a in parts.map { a[$0] ?? "" }.joined(separator: " | ") }.sorted().joined(separator: "\n")
        out["addresses.label"] = addresses.map { "\($0["street"] ?? ""): \($0["label"] ?? "")" }.sorted().joined(separator: "\n")
        return out
    }
}

/// A field that differs between what a user typed and what a source reads back.
struct FidelityChange: CustomStringConvertible {
    var source: FidelityRig.Kind
    var contact: String
    var field: String
    var typed: String
    var got: String
    var description: String {
        "\(source) · \(contact) · \(field): \(typed.debugDescription) → \(got.debugDescription)"
    }
}

enum Fidelity {
    /// What each kind of source cannot hold, by compared field, and why: the only changes allowed.
    static let cannotHold: [FidelityRig.Kind: [String: String]] = [
        .exchange: [
            "emails.label": "the three email slots (EmailAddress1…3) carry no label",
            "emails.customLabel": "the three email slots carry no label",
            "phones.customLabel": "phone slots are fixed (BusinessPhone, MobilePhone…): no custom label",
        ],
        .google: [
            "display": "Google composes the display name from the name parts",
        ],
        .carddav: [:],
        .folder: [:],
    ]

    /// What a source's client cannot type, so it is not compared when that source is where a
    /// contact was written.
    static let notTyped: [FidelityRig.Kind: Set<String>] = [
        .google: ["display"],  // output only in the People API
    ]

    /// Every field of each typed card that reads back differently from `source`.
    static func changes(typed: [FidelityCard], from writer: FidelityRig.Kind, readBack: [FidelityCard],
                        in source: FidelityRig.Kind) -> (changes: [FidelityChange], missing: [String]) {
        var changes: [FidelityChange] = [], missing: [String] = []
        for t in typed {
            let name = t.given ?? "?"
            guard let got = readBack.first(where: { $0.given == t.given }) else {
                missing.append(name)
                continue
            }
            let want = t.fields(labelsAsIn: t), have = got.fields(labelsAsIn: t)
            for (field, value) in want.sorted(by: { $0.key < $1.key })
            where have[field] != value && !(notTyped[writer] ?? []).contains(field) {
                changes.append(FidelityChange(source: source, contact: name, field: field, typed: value, got: have[field] ?? ""))
            }
        }
        return (changes, missing)
    }

    /// Raw fields (the client's own view) that differ between two reads of the same source.
    static func rawChanges(before: [FidelityCard], after: [FidelityCard], in source: FidelityRig.Kind) -> [FidelityChange] {
        var out: [FidelityChange] = []
        for b in before {
            let a = after.first { $0.given == b.given }?.raw ?? [:]
            for key in Set(b.raw.keys).union(a.keys).sorted() where b.raw[key] != a[key] {
                out.append(FidelityChange(source: source, contact: b.given ?? "?", field: "raw " + key,
                                          typed: b.raw[key] ?? "(none)", got: a[key] ?? "(none)"))
            }
        }
        return out
    }
}
