import Foundation

extension Contact: SyncItem {
    public typealias Field = ContactField
    public static var schema: FieldSchema<Contact> { ContactSchema.schema }
    public static var empty: Contact { Contact() }
    /// The identity first seen stays; one the hub did not have yet is learnt.
    public static func keepIdentity(hub: Contact, spoke: Contact, into out: inout Contact) {
        out.uid = hub.uid ?? spoke.uid
    }
}

/// The contact's fields, once: what each holds, how it normalises, merges and shows in history,
/// and its tags in the content hash and the codec. Those tags are what stored data and stored
/// hashes were written with, so they never change; a new field takes new tags.
enum ContactSchema {
    static let schema = FieldSchema<Contact>([
        text(.namePrefix, Lens({ $0.namePrefix }, { $0.namePrefix = $1 }), tag: 1),
        text(.givenName, Lens({ $0.givenName }, { $0.givenName = $1 }), tag: 2),
        text(.middleName, Lens({ $0.middleName }, { $0.middleName = $1 }), tag: 3),
        text(.familyName, Lens({ $0.familyName }, { $0.familyName = $1 }), tag: 4),
        text(.nameSuffix, Lens({ $0.nameSuffix }, { $0.nameSuffix = $1 }), tag: 5),
        text(.nickname, Lens({ $0.nickname }, { $0.nickname = $1 }), tag: 6),
        text(.displayName, Lens({ $0.displayName }, { $0.displayName = $1 }), tag: 7),
        text(.organization, Lens({ $0.organization }, { $0.organization = $1 }), tag: 8),
        text(.department, Lens({ $0.department }, { $0.department = $1 }), tag: 9),
        text(.title, Lens({ $0.title }, { $0.title = $1 }), tag: 10),
        text(.notes, Lens({ $0.notes }, { $0.notes = $1 }), tag: 11),
        date(.birthday, Lens({ $0.birthday }, { $0.birthday = $1 }), tag: 20),
        date(.anniversary, Lens({ $0.anniversary }, { $0.anniversary = $1 }), tag: 21),
        labeled(.emails, Lens({ $0.emails }, { $0.emails = $1 }), tag: 22, key: { Normalize.key(email: $0) }) {
            Normalize.text($0)
        },
        labeled(.phones, Lens({ $0.phones }, { $0.phones = $1 }), tag: 23, key: { Normalize.key(phone: $0) }) { v in
            Normalize.text(v).flatMap { Normalize.phone($0).isEmpty ? nil : $0 }
        },
        addresses(tag: 24),
        labeled(.websites, Lens({ $0.websites }, { $0.websites = $1 }), tag: 25,
                key: { Normalize.key(website: $0) }) { v in
            let u = Normalize.url(v)
            return u.isEmpty ? nil : u
        },
        labeled(.ims, Lens({ $0.ims }, { $0.ims = $1 }), tag: 26, key: { Normalize.key(im: $0) },
                value: { Normalize.text($0) }) { v in
            // One spelling per known service, and none where the handle's scheme says it.
            var v = v
            v.service = IMService.canonical(v.service)
            if let s = v.service, s == IMService.implied(by: v.value) { v.service = nil }
            return v
        },
        // Categories and extensions alone do not make a contact: the blank check ignores them.
        tags(.categories, Lens({ $0.categories }, { $0.categories = $1 }), hashTag: 27, codecTag: 27,
             key: { Normalize.key(category: $0) }),
        photo(tag: 28),
        // Tag 30 was the uid's in the codec before extensions came: they took 32 there.
        tags(.extensions, Lens({ $0.extensions }, { $0.extensions = $1 }), hashTag: 30, codecTag: 32, key: { $0 }),
        custom(tag: 29),
    ])

    /// The order the codec writes tags in, as the first databases were written: addresses after
    /// IM handles, and the uid (30) and held forms (31), which are not fields, among them.
    static let codecOrder: [UInt8] = Array(1...11) + [20, 21, 22, 23, 25, 26, 24, 27, 28, 29, 30, 32, 31]

    /// The slots that are not fields: identity and the held display forms (not content).
    static let bookkeeping: [CodecSlot<Contact>] = [
        CodecSlot(tag: 30, encode: { c, w in if let uid = c.uid { w.tag(30); w.string(uid) } },
                  decode: { r, c throws(ContactCodec.DecodingError) in c.uid = try r.string() }),
        CodecSlot(tag: 31, encode: { c, w in
            for k in c.heldForms.keys.sorted() { w.tag(31); w.string(k); w.string(c.heldForms[k]!) }
        }, decode: { r, c throws(ContactCodec.DecodingError) in
            let k = try r.string()
            c.heldForms[k] = try r.string()
        }),
    ]

    /// Every codec slot by tag.
    static let slots: [CodecSlot<Contact>?] = {
        var out = [CodecSlot<Contact>?](repeating: nil, count: 256)
        for s in schema.fields.compactMap(\.codec) + bookkeeping {
            precondition(out[Int(s.tag)] == nil, "codec tag \(s.tag) used twice")
            out[Int(s.tag)] = s
        }
        return out
    }()

    /// The slots' writers in `codecOrder`.
    static let encoders: [@Sendable (Contact, inout ContactCodec.Writer) -> Void] =
        codecOrder.map { slots[Int($0)]!.encode }

    /// The order history lists changes in: IM handles before addresses, extensions before the photo.
    static let historyOrder: [ContactField] = TextField.allCases.map { .text($0) } + [
        .birthday, .anniversary, .emails, .phones, .websites, .ims, .addresses, .categories, .extensions, .photo,
    ]

    // MARK: Kinds

    typealias Path<T> = Lens<Contact, T>

    static func text(_ f: TextField, _ path: Path<String?>, tag: UInt8) -> FieldSpec<Contact> {
        FieldSpec(
            .text(f), .text, .scalar(ScalarField(path, text: { $0 })), recognisable: true,
            normalize: { path.set(&$0, Normalize.text(path.get($0))) },
            hash: FieldHash(tag: tag) { c, h in if let v = path.get(c) { h.field(tag, v) } },
            codec: CodecSlot(tag: tag, encode: { c, w in w.text(tag, path.get(c)) },
                             decode: { r, c throws(ContactCodec.DecodingError) in path.set(&c, try r.string()) }))
    }

    static func date(_ f: ContactField, _ path: Path<PartialDate?>, tag: UInt8) -> FieldSpec<Contact> {
        FieldSpec(
            f, .date, .scalar(ScalarField(path, text: { $0.description })), recognisable: true,
            normalize: { if path.get($0)?.isValid == false { path.set(&$0, nil) } },
            hash: FieldHash(tag: tag) { c, h in if let d = path.get(c) { h.field(tag, d.description) } },
            codec: CodecSlot(tag: tag, encode: { c, w in if let d = path.get(c) { w.tag(tag); w.date(d) } },
                             decode: { r, c throws(ContactCodec.DecodingError) in path.set(&c, try r.date()) }))
    }

    /// Emails, phones, websites, IM handles: `value` normalises the value (nil drops the entry),
    /// `then` whatever else the entry needs; duplicates by `key` go, the first kept.
    static func labeled(
        _ f: ContactField, _ path: Path<[LabeledValue]>, tag: UInt8, key: @escaping @Sendable (LabeledValue) -> String,
        value: @escaping @Sendable (String) -> String?,
        then: (@Sendable (LabeledValue) -> LabeledValue)? = nil
    ) -> FieldSpec<Contact> {
        FieldSpec(
            f, .labeled,
            .list(ListField(path, key: key, unify: specific, text: { "\($0.value) (\($0.labelText))" })),
            recognisable: true,
            normalize: { c in
                let e = Contact.entries(path.get(c), key: key, value: value)
                path.set(&c, then.map { e.map($0) } ?? e)
            },
            hash: FieldHash(tag: tag) { c, h in h.list(tag, path.get(c).map(Contact.hashed)) },
            codec: CodecSlot(
                tag: tag, encode: { c, w in w.labeled(tag, path.get(c)) },
                decode: { r, c throws(ContactCodec.DecodingError) in
                    let v = try r.labeled()
                    path.modify(&c) { $0.append(v) }
                },
                details: { c, d in
                    path.modify(&c) { list in
                        let i = list.count - 1
                        list[i].customLabel = d.customLabel
                        list[i].preferred = d.preferred
                        list[i].service = d.service
                    }
                }))
    }

    static func addresses(tag: UInt8) -> FieldSpec<Contact> {
        FieldSpec(
            .addresses, .structured,
            .list(ListField(Lens({ $0.addresses }, { $0.addresses = $1 }), key: { Normalize.key(address: $0) },
                            unify: specific, text: { $0.oneLine })),
            recognisable: true,
            normalize: { c in
                c.addresses = Contact.dedupe(
                    Contact.preferredFirst(c.addresses.map { a in
                        var a = a
                        a.poBox = Normalize.text(a.poBox) ?? ""
                        a.extended = Normalize.text(a.extended) ?? ""
                        a.street = Normalize.text(a.street) ?? ""
                        a.city = Normalize.text(a.city) ?? ""
                        a.region = Normalize.text(a.region) ?? ""
                        a.postalCode = Normalize.text(a.postalCode) ?? ""
                        a.country = Normalize.text(a.country) ?? ""
                        (a.label, a.customLabel) = Contact.label(a.label, a.customLabel)
                        return a
                    }.filter { !$0.isEmpty }, \.preferred),
                    key: { Normalize.key(address: $0) })
            },
            hash: FieldHash(tag: tag) { c, h in
                h.list(tag, c.addresses.map {
                    "\($0.label.rawValue)\u{1F}" + $0.components.joined(separator: "\u{1F}")
                        + Contact.details($0.customLabel, $0.preferred, nil)
                })
            },
            codec: CodecSlot(
                tag: tag,
                encode: { c, w in
                    for a in c.addresses {
                        w.tag(tag); w.label(a.label)
                        for s in a.components { w.string(s) }
                        w.details(customLabel: a.customLabel, preferred: a.preferred, service: nil)
                    }
                },
                decode: { r, c throws(ContactCodec.DecodingError) in
                    let label = try r.label()
                    c.addresses.append(PostalAddress(
                        label: label, poBox: try r.string(), extended: try r.string(), street: try r.string(),
                        city: try r.string(), region: try r.string(), postalCode: try r.string(),
                        country: try r.string()))
                },
                details: { c, d in
                    c.addresses[c.addresses.count - 1].customLabel = d.customLabel
                    c.addresses[c.addresses.count - 1].preferred = d.preferred
                }))
    }

    /// Plain text entries: hashed by their keys (a category's case is not content), stored as written.
    static func tags(
        _ f: ContactField, _ path: Path<[String]>, hashTag: UInt8, codecTag: UInt8,
        key: @escaping @Sendable (String) -> String
    ) -> FieldSpec<Contact> {
        FieldSpec(
            f, .tags, .list(ListField(path, key: key, text: { $0 })), recognisable: false,
            normalize: { path.set(&$0, Contact.dedupe(path.get($0).compactMap { Normalize.text($0) }, key: key)) },
            hash: FieldHash(tag: hashTag) { c, h in h.list(hashTag, path.get(c).map(key)) },
            codec: CodecSlot(
                tag: codecTag, encode: { c, w in for s in path.get(c) { w.tag(codecTag); w.string(s) } },
                decode: { r, c throws(ContactCodec.DecodingError) in
                    let s = try r.string()
                    path.modify(&c) { $0.append(s) }
                }))
    }

    static func photo(tag: UInt8) -> FieldSpec<Contact> {
        FieldSpec(
            .photo, .photo,
            .scalar(ScalarField(Lens({ $0.photo }, { $0.photo = $1 }), text: { "\($0.mediaType), \($0.data.count) bytes" })),
            recognisable: true,
            normalize: { if let p = $0.photo, p.data.isEmpty { $0.photo = nil } },
            hash: FieldHash(tag: tag) { c, h in
                if let p = c.photo {
                    h.field(tag, p.mediaType)
                    h.add(p.data)
                }
            },
            codec: CodecSlot(
                tag: tag, encode: { c, w in if let p = c.photo { w.tag(tag); w.string(p.mediaType); w.data(p.data) } },
                decode: { r, c throws(ContactCodec.DecodingError) in
                    let type = try r.string()
                    c.photo = Photo(data: try r.data(), mediaType: type)
                }))
    }

    /// Custom fields: each name is a field (`.custom(name)`); the map's own key names none.
    static func custom(tag: UInt8) -> FieldSpec<Contact> {
        FieldSpec(
            .custom(""), .custom,
            .map(MapAccess(get: \.custom, set: { $0.custom = $1 }, field: { .custom($0) })),
            recognisable: true,
            normalize: { c in
                var custom: [String: String] = [:]
                for (k, v) in c.custom {
                    if let k = Normalize.text(k), let v = Normalize.text(v) { custom[k] = v }
                }
                c.custom = custom
            },
            hash: FieldHash(tag: tag) { c, h in h.list(tag, c.custom.map { "\($0.key)\u{1F}\($0.value)" }) },
            codec: CodecSlot(
                tag: tag,
                encode: { c, w in for k in c.custom.keys.sorted() { w.tag(tag); w.string(k); w.string(c.custom[k]!) } },
                decode: { r, c throws(ContactCodec.DecodingError) in
                    let k = try r.string()
                    c.custom[k] = try r.string()
                }))
    }

    /// Two entries new to a merge that differ only in that one is labelled plainly "other" are
    /// one entry with the other's label (and label text), not a conflict: "other" is what a source
    /// that keeps no label there (Exchange's email slots) says, not a choice made against "home".
    @Sendable static func specific<T: Labelled>(_ a: T, _ b: T) -> T? {
        func plain(_ x: T) -> Bool { x.label == .other && x.customLabel == nil }
        guard a != b, plain(a) != plain(b) else { return nil }
        var relabelled = plain(a) ? a : b
        let labelled = plain(a) ? b : a
        relabelled.label = labelled.label
        relabelled.customLabel = labelled.customLabel
        return relabelled == labelled ? labelled : nil
    }
}

/// An entry with a label (emails, phones, addresses…).
protocol Labelled: Equatable {
    var label: ContactLabel { get set }
    var customLabel: String? { get set }
}
extension LabeledValue: Labelled {}
extension PostalAddress: Labelled {}

extension FNV1a {
    /// Entries of a list, sorted: their order is not content.
    mutating func list(_ tag: UInt8, _ items: [String]) {
        for s in items.sorted() { field(tag, s) }
    }
}
