import SyncModel

/// The engine's refusals as English templates with `{name}` places: the CLI prints them filled
/// (`message`), the web API sends the template and its values beside the filled words, and the
/// page translates the template from its catalogs (CatalogTests checks both languages have each).
/// A person reads them, so they say "source", never "spoke".
extension EngineError {
    public static let noHub = "no hub {id}"
    public static let noSource = "no source {id} in hub {hub}"
    public static let noEntry = "no journal entry {entry} in hub {hub}"
    public static let runChangedNothing = "the sync {run} changed nothing in hub {hub}"
    public static let noHeldDeletions = "no held deletions for that source"
    public static let noConflict = "no conflict settled by journal entry {entry} in hub {hub}"
    public static let conflictItemGone = "the contact or event of this conflict was deleted since"
    public static let switchKeepsPlace = "moving a source to another connection keeps it where it is in its hub"
    public static let switchHeld = "{source} has held deletions or changes; approve or reject them before moving it"
    public static let holdWaiting = "this would delete items in {source}, whose held changes wait for a decision: approve or reject them first"
    public static let holdsEvents = "hub {hub} holds calendar events, not contacts"
    public static let holdsContacts = "hub {hub} holds contacts, not calendar events"

    public static let texts = [
        noHub, noSource, noEntry, runChangedNothing, noHeldDeletions, noConflict, conflictItemGone, switchKeepsPlace,
        switchHeld, holdWaiting, holdsEvents, holdsContacts,
    ]

    /// A hub asked for (or given connectors of) the other kind of item than it holds.
    static func wrongKind(_ hub: HubID, holds: ObjectKind) -> EngineError {
        switch holds {
        case .calendar: EngineError(holdsEvents, ["hub": "\(hub)"], kind: .invalid)
        case .contacts: EngineError(holdsContacts, ["hub": "\(hub)"], kind: .invalid)
        }
    }
}
