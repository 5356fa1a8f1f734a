import SyncModel

/// How much of a hub item a pulled change would take away. A card that parses but holds
/// nothing (`N:;;;;` only) is far likelier a broken server or file than a person's edit, so the
/// guard weighs changes as it counts deletions.
public enum ChangeWeight: Hashable, Sendable {
    case normal
    /// Loses most of its fields: held when more than the guard's share of a spoke's items do so
    /// in one pass.
    case stripped
    /// Loses its identity (every name, the organization, every email and phone): held always.
    case blanked

    public static func of<Item: CoreItem>(_ old: Item, to new: Item) -> ChangeWeight {
        if old.hasIdentity && !new.hasIdentity { return .blanked }
        let before = old.filledFieldCount, after = new.filledFieldCount
        // "Most": more than half of at least three fields.
        if before >= 3 && after * 2 < before { return .stripped }
        return .normal
    }
}

extension Contact {
    /// Something that tells who this is: a name, an organization, an email or a phone.
    public var hasIdentity: Bool {
        let names = [namePrefix, givenName, middleName, familyName, nameSuffix, nickname, displayName, organization]
        return names.contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
            || emails.contains { !$0.value.isEmpty } || phones.contains { !$0.value.isEmpty }
    }

    /// How many fields hold something.
    public var filledFieldCount: Int { Contact().changedFields(to: self).count }
}

extension DeletionGuard {
    /// Decides whether the stripping changes one spoke reported in one pass may be applied.
    public func evaluate(stripped: Int, linked: Int) -> GuardVerdict {
        guard stripped >= minimum && stripped * 100 > linked * percent else { return .allow }
        return .hold(reason: "\(stripped) of \(linked) linked items lost most of their fields at once (limit \(percent)%)")
    }
}
