/// What a new spoke of a kind must or should start with, whoever adds it (CLI, web API).
extension SpokeKind {
    /// The hub field a directory user's office goes to; a mailbox spoke maps `custom.OfficeLocation`
    /// to it so the office reaches the contact's Office box in Outlook.
    public static let officeHubField = "OfficeLocation"

    /// `options` as a new spoke of this kind keeps them: a directory only feeds the hub (it is
    /// never written to), and carries the office when no mapping says otherwise.
    public func adjusted(_ options: SpokeOptions) -> SpokeOptions {
        guard self == .directory else { return options }
        var o = options
        o.twoWay = false
        if o.fieldMappings.isEmpty {
            o.fieldMappings = [FieldMapping(spokeField: .custom(Self.officeHubField), hubField: Self.officeHubField)]
        }
        return o
    }
}
