/// A field of a calendar series, as the unit of merge and conflict. The master's own fields and
/// the series' shape (rule, extra and cancelled instances); overrides are one field, keyed by
/// RECURRENCE-ID, and one changed on both sides merges field by field inside (`EventMerge`).
public enum EventField: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case start, end, summary, description, location, url, status, transparency, classification
    case categories, organizer, attendees, alarms
    case rule, rdates, exdates, overrides

    public var description: String { rawValue }
}

extension Event: SyncItem {
    public typealias Field = EventField
    public static var schema: FieldSchema<Event> { EventSchema.schema }
    /// No master and no uid: what a first sync merges against.
    public static var empty: Event { Event(uid: "", master: nil) }
    /// The series keeps its uid; one the hub lacked is learnt.
    public static func keepIdentity(hub: Event, spoke: Event, into out: inout Event) {
        if out.uid.isEmpty { out.uid = spoke.uid }
    }
}

/// The event's fields, once: how each merges, normalises and shows in history. The stored form
/// and the hash are written over the whole series (`EventCodec`, `Event.contentHash`), since a
/// series nests (overrides carry fields of their own) where the schema's slots are flat.
enum EventSchema {
    static let schema = FieldSchema<Event>([
        // First: the start says whether there is a master at all, so the master's other fields
        // merge into the master this one leaves.
        FieldSpec(.start, .date, .scalar(ScalarField(startLens, text: EventCanon.time)), recognisable: true,
                  normalize: { _ in }),
        // Compared by what it means, so DTEND and the same DURATION are one end (`WrittenEnd`).
        FieldSpec(.end, .value, .scalar(ScalarField(endLens, none: { $0.end == nil }, text: { $0.end.flatMap(show) })),
                  recognisable: false, normalize: { _ in }),
        text(.summary, { $0.summary }, { $0.summary = $1 }),
        text(.description, { $0.description }, { $0.description = $1 }),
        text(.location, { $0.location }, { $0.location = $1 }),
        text(.url, { $0.url }, { $0.url = $1 }),
        master(.status, .value, { $0.status }, { $0.status = $1 }, EventNormal.status),
        master(.transparency, .value, { $0.transparency }, { $0.transparency = $1 }, EventNormal.transparency),
        master(.classification, .value, { $0.classification }, { $0.classification = $1 }, EventNormal.classification),
        masterList(.categories, .tags, { $0.categories }, { $0.categories = $1 }, key: { $0.lowercased() },
                   text: { $0 }, recognisable: false, normalized: EventNormal.categories),
        master(.organizer, .value, { $0.organizer }, { $0.organizer = $1 }, EventNormal.participant),
        // People are data (HubSync never schedules), one entry per address.
        masterList(.attendees, .structured, { $0.attendees }, { $0.attendees = $1 },
                   key: { Normalize.email($0.address) }, text: { $0.address }, recognisable: true,
                   normalized: EventNormal.attendees),
        masterList(.alarms, .structured, { $0.alarms }, { $0.alarms = $1 },
                   key: { EventCanon.alarm($0) }, text: { $0.action }, recognisable: false,
                   normalized: EventNormal.alarms),
        FieldSpec(.rule, .value, .scalar(ScalarField(Lens({ $0.rule }, { $0.rule = $1 }), text: { EventCanon.rule($0) })),
                  recognisable: false, normalize: { e in e.rule = e.rule.map(EventNormal.rule) }),
        times(.rdates, Lens({ $0.rdates }, { $0.rdates = $1 })),
        times(.exdates, Lens({ $0.exdates }, { $0.exdates = $1 })),
        FieldSpec(
            .overrides, .structured,
            .list(ListField(Lens({ $0.overrides }, { $0.overrides = $1 }), key: { EventCanon.time($0.recurrenceID) },
                            text: { EventCanon.time($0.recurrenceID) }, merge: EventMerge.override)),
            recognisable: true, normalize: { e in e.overrides = EventNormal.overrides(e.overrides) }),
    ])

    /// The master's start; setting one on a series without a master gives it a master, and none
    /// takes the master away (an orphan's overrides stay).
    static let startLens = Lens<Event, EventTime?>({ $0.master?.start }, { e, v in
        guard let v else {
            e.master = nil
            return
        }
        if e.master == nil { e.master = EventFields(start: v) } else { e.master!.start = v }
    })

    /// The master's end, as written and as meant.
    static let endLens = Lens<Event, WrittenEnd>({ WrittenEnd($0.master) }, { e, v in if e.master != nil { e.master!.end = v.end } })

    @Sendable static func show<T>(_ v: T) -> String? { String(describing: v) }

    /// A field of the master; on a series without one, there is nothing to set.
    static func master<T: Equatable & Sendable>(
        _ f: EventField, _ kind: FieldKind, _ get: @escaping @Sendable (EventFields) -> T?,
        _ set: @escaping @Sendable (inout EventFields, T?) -> Void, _ normal: @escaping @Sendable (T) -> T = { $0 }
    ) -> FieldSpec<Event> {
        FieldSpec(f, kind, .scalar(ScalarField(lens(get, set), text: { show($0) })), recognisable: kind == .text,
                  normalize: { e in
                      guard let m = e.master else { return }
                      set(&e.master!, get(m).map(normal))
                  })
    }

    static func text(
        _ f: EventField, _ get: @escaping @Sendable (EventFields) -> String?,
        _ set: @escaping @Sendable (inout EventFields, String?) -> Void
    ) -> FieldSpec<Event> {
        FieldSpec(f, .text, .scalar(ScalarField(lens(get, set), text: { $0 })), recognisable: true,
                  normalize: { e in
                    guard let m = e.master else { return }
                    set(&e.master!, Normalize.text(get(m)))
                })
    }

    static func masterList<T: Hashable & Sendable>(
        _ f: EventField, _ kind: FieldKind, _ get: @escaping @Sendable (EventFields) -> [T],
        _ set: @escaping @Sendable (inout EventFields, [T]) -> Void, key: @escaping @Sendable (T) -> String,
        text: @escaping @Sendable (T) -> String, recognisable: Bool, normalized: @escaping @Sendable ([T]) -> [T]
    ) -> FieldSpec<Event> {
        let l = Lens<Event, [T]>({ $0.master.map(get) ?? [] }, { e, v in if e.master != nil { set(&e.master!, v) } })
        return FieldSpec(f, kind, .list(ListField(l, key: key, text: text)), recognisable: recognisable,
                         normalize: { e in
                            guard let m = e.master else { return }
                            set(&e.master!, normalized(get(m)))
                         })
    }

    static func times(_ f: EventField, _ l: Lens<Event, [EventTime]>) -> FieldSpec<Event> {
        FieldSpec(f, .date, .list(ListField(l, key: EventCanon.time, text: EventCanon.time)),
                  recognisable: false, normalize: { e in l.set(&e, EventNormal.times(l.get(e))) })
    }

    static func lens<T>(_ get: @escaping @Sendable (EventFields) -> T?,
                        _ set: @escaping @Sendable (inout EventFields, T?) -> Void) -> Lens<Event, T?> {
        Lens({ $0.master.flatMap(get) }, { e, v in if e.master != nil { set(&e.master!, v) } })
    }
}
