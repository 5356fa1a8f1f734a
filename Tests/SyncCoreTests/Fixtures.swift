import Foundation
import SyncCore
import SyncModel
import Testing

/// Shared builders. Contacts are normalised, as everything the core sees is.
enum F {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func person(
        _ given: String? = nil, _ family: String? = nil, email: String? = nil, phone: String? = nil,
        org: String? = nil, title: String? = nil, categories: [String] = [], custom: [String: String] = [:]
    ) -> Contact {
        Contact(
            givenName: given, familyName: family, organization: org, title: title,
            emails: email.map { [LabeledValue($0, label: .work)] } ?? [],
            phones: phone.map { [LabeledValue($0, label: .mobile)] } ?? [],
            categories: categories, custom: custom
        ).normalized()
    }

    static let ada = person("Ada", "Lovelace", email: "ada@example.com", phone: "+44 20 7946 0958", org: "Analytical Engines")

    static func view(
        twoWay: Bool = true, categorizeAs: String? = nil, filter: SpokeFilter = .init(),
        mappings: [FieldMapping] = [], capabilities: Set<ContactField>? = nil
    ) -> SpokeView {
        SpokeView(
            options: SpokeOptions(twoWay: twoWay, categorizeAs: categorizeAs, filter: filter, fieldMappings: mappings),
            capabilities: capabilities)
    }

    static func hub(_ c: Contact, deleted: Bool = false, at: Date = t0) -> HubSnapshot {
        HubSnapshot(contact: c, deleted: deleted, modifiedAt: at)
    }

    static func remote(
        _ c: Contact, version: String? = "v2", at: Date? = nil, id: String = "r1", marker: CreateMarker? = nil
    ) -> RemoteItem {
        RemoteItem(id: RemoteID(id), version: version.map { RemoteVersion($0) }, contact: c, modifiedAt: at, marker: marker)
    }

    static func link(_ base: Contact, version: String? = "v1", leaving: Bool = false) -> LinkSnapshot {
        LinkSnapshot(remoteVersion: version.map { RemoteVersion($0) }, base: base, leavingFilter: leaving)
    }

    static func emails(_ items: [String]) -> [LabeledValue] {
        items.map { s in
            let parts = s.split(separator: ":", maxSplits: 1).map(String.init)
            return LabeledValue(parts[0], label: parts.count > 1 ? ContactLabel(rawValue: parts[1])! : .work)
        }
    }
}

extension Contact {
    func with(_ change: (inout Contact) -> Void) -> Contact {
        var c = self
        change(&c)
        return c
    }
}
