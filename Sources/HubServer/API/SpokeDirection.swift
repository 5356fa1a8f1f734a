import SyncModel

/// Which way changes go between the hub and a source, as the Sources table says it: the
/// source's options (`twoWay` off: it only feeds the hub) and what its provider describes (a
/// receive-only group mailbox only gets the hub's contacts; a member who left is paused).
enum SpokeDirection: String, Codable, Sendable {
    case twoWay, toHub, fromHub, none, paused

    init(_ options: SpokeOptions, described: [String: String]) {
        if described["paused"] != nil {
            self = .paused
            return
        }
        self = switch (options.twoWay, described["receiveOnly"] == "true") {
        case (true, false): .twoWay
        case (false, false): .toHub
        case (true, true): .fromHub
        case (false, true): .none
        }
    }
}
