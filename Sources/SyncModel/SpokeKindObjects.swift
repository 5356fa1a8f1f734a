/// What a spoke of each kind holds: a hub takes only spokes of its own object kind.
extension SpokeKind {
    public var objectKind: ObjectKind {
        switch self {
        case .memory, .folder, .carddav, .ews, .google, .graph, .directory: .contacts
        case .caldav, .icsFolder: .calendar
        }
    }
}
