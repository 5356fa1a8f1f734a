import ConnectorXML
import Foundation
import SyncModel

/// One contact item read from GetItem: ids, the slots, the marker and the photo attachment.
struct ContactItem: Sendable {
    var id: String
    var changeKey: String
    var slots: EWSContact
    var marker: String?
    var modifiedAt: Date?
    /// The contact photo's attachment, read by GetAttachment.
    var photoAttachment: String?
}

enum ContactReader {
    /// A `t:Contact` element; nil for other item kinds (distribution lists are not contacts).
    static func item(_ node: XMLTree) -> ContactItem? {
        guard node.name == .t("Contact"), let itemID = node.child(.t("ItemId")), let id = itemID.attributes["Id"] else {
            return nil
        }
        var s = EWSContact()
        for p in EWSContact.TextProperty.allCases where p != .prefix {
            if let v = node.value(.t(p.rawValue)) { s.text[p] = v }
        }
        s.emails = entries(node, "EmailAddresses")
            .filter { !$0.value.hasPrefix("/o=") && !$0.value.hasPrefix("/O=") }  // X.500 routing, not an address
        s.phones = entries(node, "PhoneNumbers")
        s.ims = entries(node, "ImAddresses")
        for entry in node.child(.t("PhysicalAddresses"))?.all(.t("Entry")) ?? [] {
            guard let key = entry.attributes["Key"] else { continue }
            s.addresses[key] = PostalAddress(
                street: entry.value(.t("Street")) ?? "", city: entry.value(.t("City")) ?? "",
                region: entry.value(.t("State")) ?? "", postalCode: entry.value(.t("PostalCode")) ?? "",
                country: entry.value(.t("CountryOrRegion")) ?? "")
        }
        s.categories = node.child(.t("Categories"))?.all(.t("String")).map(\.trimmed).filter { !$0.isEmpty } ?? []
        s.birthday = node.value(.t("Birthday")).flatMap(EWSDate.read)
        s.anniversary = node.value(.t("WeddingAnniversary")).flatMap(EWSDate.read)
        for key in EWSContact.extraFields { if let v = node.value(.t(key)) { s.extras[key] = v } }
        var marker: String?
        for prop in node.all(.t("ExtendedProperty")) {
            guard let uri = prop.child(.t("ExtendedFieldURI")), let value = prop.value(.t("Value")) else { continue }
            if ExtendedProperty.marker.matches(uri) { marker = value }
            if ExtendedProperty.prefix.matches(uri) { s.text[.prefix] = value }
        }
        let photo = node.child(.t("Attachments"))?.all(.t("FileAttachment"))
            .first { $0.value(.t("IsContactPhoto")) == "true" }?
            .child(.t("AttachmentId"))?.attributes["Id"]
        return ContactItem(
            id: id, changeKey: itemID.attributes["ChangeKey"] ?? "", slots: s, marker: marker,
            modifiedAt: node.value(.t("LastModifiedTime")).flatMap(EWSDate.instant), photoAttachment: photo)
    }

    private static func entries(_ node: XMLTree, _ list: String) -> [String: String] {
        var out: [String: String] = [:]
        for entry in node.child(.t(list))?.all(.t("Entry")) ?? [] {
            if let key = entry.attributes["Key"], !entry.trimmed.isEmpty { out[key] = entry.trimmed }
        }
        return out
    }
}

/// Exchange keeps dates as instants; a birthday is midnight somewhere.
enum EWSDate {
    /// The nearest midnight UTC, so a birthday written at local midnight anywhere reads as its day.
    static func read(_ s: String) -> PartialDate? {
        guard let t = instant(s) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let d = cal.dateComponents([.year, .month, .day], from: t.addingTimeInterval(12 * 3600))
        guard let y = d.year, let m = d.month, let day = d.day else { return nil }
        return PartialDate(year: y == EWSContact.noYear ? nil : y, month: m, day: day)
    }

    static func write(_ d: PartialDate) -> String {
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(pad(d.year ?? EWSContact.noYear, 4))-\(pad(d.month, 2))-\(pad(d.day, 2))T00:00:00Z"
    }

    static func instant(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }
}

/// The MAPI named and tagged properties HubSync reads and writes.
struct ExtendedProperty: Sendable {
    var xml: String
    var matches: @Sendable (XMLTree) -> Bool

    /// Marks items the hub created: a retried create finds its item, a crash never duplicates.
    static let marker = ExtendedProperty(
        xml: #"<t:ExtendedFieldURI PropertySetId="\#(setID)" PropertyName="HubSyncMarker" PropertyType="String"/>"#,
        matches: { $0.attributes["PropertyName"] == "HubSyncMarker" && $0.attributes["PropertySetId"]?.lowercased() == setID })
    /// PidTagDisplayNamePrefix.
    static let prefix = ExtendedProperty(
        xml: #"<t:ExtendedFieldURI PropertyTag="0x3A45" PropertyType="String"/>"#,
        matches: { uri in
            guard let tag = uri.attributes["PropertyTag"]?.lowercased() else { return false }
            return (tag.hasPrefix("0x") ? Int(tag.dropFirst(2), radix: 16) : Int(tag)) == 0x3A45
        })

    static let setID = "8c9f4f53-2c6b-4a3e-9b1e-6d1c0a7e5b21"
}
