import SyncModel

extension SpokeFilter {
    /// Whether a hub contact flows into the spoke. Criteria AND together; values within one OR.
    public func admits(_ c: Contact) -> Bool {
        if requireEmail && c.emails.isEmpty { return false }
        if requirePhone && c.phones.isEmpty { return false }
        if !categories.isEmpty {
            let want = Set(categories.map(Normalize.key(category:)))
            if !c.categories.contains(where: { want.contains(Normalize.key(category: $0)) }) { return false }
        }
        if !companies.isEmpty {
            guard let org = c.organization?.lowercased() else { return false }
            if !companies.contains(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == org }) {
                return false
            }
        }
        if !emailDomains.isEmpty {
            let domains = Set(emailDomains.map { d in
                String(d.lowercased().trimmingCharacters(in: .whitespaces).drop { $0 == "@" })
            })
            let has = c.emails.contains { e in
                let key = Normalize.key(email: e)  // emails keep their case; domains compare without
                guard let at = key.lastIndex(of: "@") else { return false }
                let domain = key[key.index(after: at)...]
                // A domain also admits its subdomains: example.com admits sales.example.com.
                return domains.contains { domain == $0 || domain.hasSuffix("." + $0) }
            }
            if !has { return false }
        }
        return true
    }
}
