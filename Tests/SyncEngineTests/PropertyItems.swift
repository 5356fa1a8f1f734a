import Foundation
import SyncCore
import SyncModel
import SyncStore
import TestSupport

/// What the convergence model (`ConvergencePropertyTests`) needs of an item type, so one model
/// runs over contacts and events: a token naming each item, text fields people edit, and one
/// keyed list (a contact's emails, an event's attendees) whose entries are added, removed,
/// rewritten in another display form and given other label details.
protocol PropertyItem: HarnessItem & CoreItem & StoredItem {
    /// A new item; `first` and `second` go in `editable[0]` and `editable[1]`, and the list
    /// holds one entry made from the token.
    static func make(token: String, _ first: String, _ second: String) -> Self
    /// Never edited: how the model tells items apart.
    var token: String { get }
    static var editable: [EditableField<Self>] { get }

    var entries: [String] { get }
    /// A new entry's value, from a fresh value and the item's token.
    static func entry(_ value: String, token: String) -> String
    /// What two entries that are one share (an email address, case aside).
    static func key(_ entry: String) -> String
    mutating func add(_ entry: String)
    mutating func remove(_ entry: String)
    /// Entry `i` written another way, the same key: the old and new value (nil: no change).
    mutating func reformat(_ i: Int, using rng: inout SeededRandom) -> (String, String)?
    /// Entry `i`'s label details changed; false when they came out the same.
    mutating func relabel(_ i: Int, using rng: inout SeededRandom) -> Bool
    /// Items in a form a spoke's and the hub's can be compared in (list order is not content).
    static func comparable(_ items: [Self]) -> [Self]
}

struct EditableField<Item>: CustomStringConvertible, @unchecked Sendable {
    let name: String
    let path: WritableKeyPath<Item, String?>
    var description: String { name }
}

extension Contact: PropertyItem {
    static func make(token: String, _ first: String, _ second: String) -> Contact {
        var c = Contact(givenName: first, familyName: second, nickname: token)
        c.emails = [LabeledValue("\(token)@example.com", label: .work)]
        return c
    }
    var token: String { nickname ?? "?" }
    /// `nickname` is the token and is never edited.
    static let editable: [EditableField<Contact>] = [TextField.givenName, .familyName, .organization, .title, .notes, .department]
        .map { EditableField(name: "\($0)", path: $0.keyPath) }

    var entries: [String] { emails.map(\.value) }
    static func entry(_ value: String, token: String) -> String { "\(value)@\(token).example" }
    static func key(_ entry: String) -> String { entry.lowercased() }
    mutating func add(_ entry: String) { emails.append(LabeledValue(entry, label: .home)) }
    mutating func remove(_ entry: String) { emails.removeAll { $0.value == entry } }

    mutating func reformat(_ i: Int, using rng: inout SeededRandom) -> (String, String)? {
        let old = emails[i].value
        let upper = old.uppercased()
        emails[i].value = upper == old ? old.lowercased() : (Bool.random(using: &rng) ? upper : old.capitalized)
        return emails[i].value == old ? nil : (old, emails[i].value)
    }

    /// A custom label text or the preferred flag of one value.
    mutating func relabel(_ i: Int, using rng: inout SeededRandom) -> Bool {
        let before = emails
        if Bool.random(using: &rng) {
            emails[i].customLabel = ["Cottage", "Assistant", nil].randomElement(using: &rng)!
        } else {
            emails[i].preferred.toggle()
        }
        return emails != before
    }

    static func comparable(_ items: [Contact]) -> [Contact] { Harness.sorted(items) }
}

extension Event: PropertyItem {
    private static func at(_ d: CivilDate, _ hour: Int) -> EventTime {
        .dateTime(CivilDateTime(d, hour), .named("Europe/Berlin"))
    }

    /// A weekly series near the test clock (inside the default window), its second instance
    /// moved; the UID is the token.
    static func make(token: String, _ first: String, _ second: String) -> Event {
        let day = CivilDate(2023, 11, 20)
        var m = EventFields(start: at(day, 9), end: .time(at(day, 10)), summary: first)
        m.location = second
        m.attendees = [Participant(address: "mailto:\(token)@example.com")]
        var rule = EventRule(.weekly, end: .count(6))
        rule.byDay = [EventRule.Day(.monday)]
        let moved = EventFields(start: at(day.adding(days: 7), 15), end: .time(at(day.adding(days: 7), 16)), summary: "moved")
        return Event(uid: token, master: m, rule: rule,
                     overrides: [EventOverride(recurrenceID: at(day.adding(days: 7), 9), fields: moved)])
    }
    var token: String { uid }
    /// The series' title, place and notes, and the moved instance's own title.
    static let editable: [EditableField<Event>] = [
        EditableField(name: "summary", path: \Event.master!.summary),
        EditableField(name: "location", path: \Event.master!.location),
        EditableField(name: "description", path: \Event.master!.description),
        EditableField(name: "override summary", path: \Event.overrides[0].fields.summary),
    ]

    var entries: [String] { master?.attendees.map(\.address) ?? [] }
    static func entry(_ value: String, token: String) -> String { "mailto:\(value)@\(token).example" }
    static func key(_ entry: String) -> String { entry.lowercased() }
    mutating func add(_ entry: String) { master?.attendees.append(Participant(address: entry)) }
    mutating func remove(_ entry: String) { master?.attendees.removeAll { $0.address == entry } }

    /// The address in capitals or back (the same attendee).
    mutating func reformat(_ i: Int, using rng: inout SeededRandom) -> (String, String)? {
        guard let old = master?.attendees[i].address else { return nil }
        let mailbox = old.dropFirst("mailto:".count)
        let upper = "mailto:" + mailbox.uppercased()
        let new = upper == old ? "mailto:" + mailbox.lowercased() : (Bool.random(using: &rng) ? upper : "mailto:" + mailbox.capitalized)
        master?.attendees[i].address = new
        return new == old ? nil : (old, new)
    }

    /// The attendee's name (CN) set, changed or dropped.
    mutating func relabel(_ i: Int, using rng: inout SeededRandom) -> Bool {
        guard var p = master?.attendees[i] else { return false }
        let before = p
        let name = ["Ann", "Bob", nil].randomElement(using: &rng)!
        p.params.removeAll { $0.name == "CN" }
        if let name { p.params.append(EventParameter(name: "CN", values: [name])) }
        master?.attendees[i] = p
        return p != before
    }

    static func comparable(_ items: [Event]) -> [Event] {
        items.map { e in
            var n = e.canonical()
            n.master?.attendees.sort { $0.address.lowercased() < $1.address.lowercased() }
            return n
        }.sorted { $0.itemHash.value < $1.itemHash.value }
    }
}
