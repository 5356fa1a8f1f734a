/// Exchange validates every request against its schema: the children of `t:Contact` must come in
/// the order of ItemType then ContactItemType, or the whole request fails with
/// ErrorSchemaValidation. Checked here so a client writing them out of order fails as it would
/// against a real server.
enum ContactSchema {
    static let order: [String] = [
        // ItemType
        "MimeContent", "ItemId", "ParentFolderId", "ItemClass", "Subject", "Sensitivity", "Body", "Attachments",
        "DateTimeReceived", "Size", "Categories", "Importance", "InReplyTo", "IsSubmitted", "IsDraft", "IsFromMe",
        "IsResend", "IsUnmodified", "InternetMessageHeaders", "DateTimeSent", "DateTimeCreated", "ResponseObjects",
        "ReminderDueBy", "ReminderIsSet", "ReminderNextTime", "ReminderMinutesBeforeStart", "DisplayCc", "DisplayTo",
        "HasAttachments", "ExtendedProperty", "Culture", "EffectiveRights", "LastModifiedName", "LastModifiedTime",
        "IsAssociated", "WebClientReadFormQueryString", "WebClientEditFormQueryString", "ConversationId", "UniqueBody",
        "Flag", "StoreEntryId", "InstanceKey", "NormalizedBody", "EntityExtractionResult", "PolicyTag",
        "ArchiveTag", "RetentionDate", "Preview", "RightsManagementLicenseData", "PredictedActionReasons",
        "IsClutter", "TextBody", "IconIndex", "SearchKey", "SortKey", "Hashtags", "Mentions", "MentionedMe",
        // ContactItemType
        "FileAs", "FileAsMapping", "DisplayName", "GivenName", "Initials", "MiddleName", "Nickname", "CompleteName",
        "CompanyName", "EmailAddresses", "PhysicalAddresses", "PhoneNumbers", "AssistantName", "Birthday",
        "BusinessHomePage", "Children", "Companies", "ContactSource", "Department", "Generation", "ImAddresses",
        "JobTitle", "Manager", "Mileage", "OfficeLocation", "PostalAddressIndex", "Profession", "SpouseName",
        "Surname", "WeddingAnniversary", "HasPicture", "PhoneticFullName", "PhoneticFirstName", "PhoneticLastName",
        "Alias", "Notes", "Photo", "UserSMIMECertificate", "MSExchangeCertificate", "DirectoryId", "ManagerMailbox",
        "DirectReports",
    ]
    static let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    static let addressParts = ["Street", "City", "State", "CountryOrRegion", "PostalCode"]

    /// Throws the fault Exchange gives for the first element out of place or unknown.
    static func check(_ contact: XNode) throws {
        var last = -1
        for child in contact.children {
            guard let p = position[child.name] else { throw invalid(child.name, in: "Contact") }
            // ExtendedProperty may repeat; anything else going backwards is out of order.
            guard p > last || (p == last && child.name == "ExtendedProperty") else { throw invalid(child.name, in: "Contact") }
            last = p
            if child.name == "PhysicalAddresses" {
                for entry in child.children {
                    var lastPart = -1
                    for part in entry.children {
                        guard let q = addressParts.firstIndex(of: part.name), q > lastPart else {
                            throw invalid(part.name, in: "Entry")
                        }
                        lastPart = q
                    }
                }
            }
        }
    }

    private static func invalid(_ name: String, in parent: String) -> SOAPFault {
        SOAPFault(code: "ErrorSchemaValidation", message: "The request failed schema validation: The element '\(parent)' "
            + "in namespace 'http://schemas.microsoft.com/exchange/services/2006/types' has invalid child element '\(name)'.")
    }
}
